package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.Vgg;
import kindling.kernels.Threads;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;

/**
 * VGG-11 on Fashion-MNIST, d2l's chapter 7.2: prints the network (five VGG blocks and the
 * classifier), its shape trace and summary, trains it on images resized up from 28×28, reports the
 * test accuracy, and writes the training curves, the confusion matrix and the first misclassified
 * test images to {@code charts/vgg/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="vgg"                           # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="vgg --epochs 5 --threads 2"
 *   options: --variant small|d2l  --epochs N  --batch-size N  --lr X  --subset  --data DIR  --threads N  --seed N  --show
 * </pre>
 * {@code d2l} is the network and recipe the book trains (see {@link Vgg#d2l()}): VGG-11 with a
 * quarter of the channels at 224×224, SGD with lr 0.05, batch 128 (10 epochs in the book) — half a
 * billion multiply-adds per image, hours per epoch on a laptop CPU. (The full VGG-11,
 * {@link Vgg#vgg11()}, needs 7.5 billion.)
 * {@code small} (the default) is the book's narrowed VGG-11 taken further: channels divided by 8,
 * 256 hidden units and 32×32 inputs (see {@link Vgg#small()}), trained with Adam (lr 0.001).
 * {@code --subset} uses the 6,000-image subset bundled with the examples.
 */
public final class VggExample {
    private VggExample() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        String variant = options.choice("variant", "small", "d2l");
        boolean book = variant.equals("d2l");
        int side = book ? 224 : Vgg.SMALL_INPUT;
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size", 128);
        float lr = (float) options.getDouble("lr", book ? 0.05 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.fashionMnist();
            System.out.println("Data: " + data);

            Sequential net = book ? Vgg.d2l() : Vgg.small();
            ClassifierRun.describe("VGG-11 (" + variant + ")", net, side);

            // Each 28×28 image is resized (bilinear) to side×side as it is batched, as d2l's resize=224.
            Resize resize = new Resize(side, side);
            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).transform(resize).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(resize).build();
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, Threads.get());
            ClassifierRun.fit("vgg", variant, "VGG-11 (" + variant + ")", net, optimizer, epochs, train, test, data);
            ClassifierRun.report("vgg", variant, "VGG-11 (" + variant + ")", net, test, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
