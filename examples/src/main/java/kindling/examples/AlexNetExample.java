package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.AlexNet;
import kindling.kernels.Threads;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;

/**
 * AlexNet on Fashion-MNIST, d2l's chapter 7.1: prints the network, its shape trace and summary,
 * trains it on images resized up from 28×28, reports the test accuracy, and writes the training
 * curves, the confusion matrix and the first misclassified test images to {@code charts/alexnet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="alexnet"                       # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="alexnet --epochs 5 --threads 2"
 *   options: --variant small|d2l  --epochs N  --batch-size N  --lr X  --subset  --data DIR  --threads N  --seed N  --show
 * </pre>
 * {@code d2l} is the book's network and recipe: 224×224 inputs, SGD with lr 0.01, batch 128 (10
 * epochs in the book) — about a billion multiply-adds per image, hours per epoch on a laptop CPU.
 * {@code small} (the default) keeps every layer's kernel, stride and padding but has a quarter of the
 * channels, 512 hidden units and 68×68 inputs (see {@link AlexNet#small()}), and trains with Adam
 * (lr 0.001), so three epochs take minutes. {@code --subset} uses the 6,000-image subset bundled with
 * the examples.
 */
public final class AlexNetExample {
    private AlexNetExample() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        String variant = options.choice("variant", "small", "d2l");
        boolean book = variant.equals("d2l");
        int side = book ? 224 : AlexNet.SMALL_INPUT;
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size", 128);
        float lr = (float) options.getDouble("lr", book ? 0.01 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.fashionMnist();
            System.out.println("Data: " + data);

            Sequential net = book ? AlexNet.d2l() : AlexNet.small();
            ClassifierRun.describe("AlexNet (" + variant + ")", net, side);

            // Each 28×28 image is resized (bilinear) to side×side as it is batched, as d2l's resize=224.
            Resize resize = new Resize(side, side);
            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).transform(resize).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(resize).build();
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, Threads.get());
            ClassifierRun.fit("alexnet", variant, "AlexNet (" + variant + ")", net, optimizer, epochs, train, test, data);
            ClassifierRun.report("alexnet", variant, "AlexNet (" + variant + ")", net, test, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
