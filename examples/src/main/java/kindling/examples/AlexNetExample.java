package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.AlexNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.History;
import kindling.train.Trainer;

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
        String variant = options.get("variant", "small");
        boolean book = variant.equals("d2l");
        if (!book && !variant.equals("small")) {
            throw new IllegalArgumentException("alexnet: --variant must be small or d2l, got " + variant);
        }
        int side = book ? 224 : AlexNet.SMALL_INPUT;
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size", 128);
        float lr = (float) options.getDouble("lr", book ? 0.01 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.has("subset") ? FashionMnist.loadBundledSubset()
                    : options.has("data") ? FashionMnist.load(Path.of(options.get("data", ""))) : FashionMnist.load();
            System.out.println("Data: " + data);

            Sequential net = book ? AlexNet.d2l() : AlexNet.small();
            System.out.println("\nAlexNet (" + variant + "):\n" + net);
            System.out.println("\nShape trace at " + side + "×" + side + ", as d2l prints it:");
            Summary.traceShapes(net, Tensor.zeros(1, 1, side, side), System.out);
            System.out.println("\n" + Summary.of(net, 1, 1, side, side));

            // Each 28×28 image is resized (bilinear) to side×side as it is batched, as d2l's resize=224.
            Resize resize = new Resize(side, side);
            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).transform(resize).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(resize).build();
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, Threads.get());
            Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), optimizer).epochs(epochs).build();
            History history = trainer.fit(train, test);
            System.out.println("\n" + history);
            History.Epoch last = history.last();
            System.out.printf("test accuracy %.3f after %d epochs (%.0f images/s in the last epoch)%n",
                    last.validationAccuracy(), epochs, last.imagesPerSecond());
            Path chart = Charts.history("AlexNet (" + variant + ") on " + data.name(), history,
                    Path.of("charts", "alexnet", "alexnet-" + variant + ".png"));
            System.out.println("Training curves: " + chart.toAbsolutePath());
            ClassifierReport.write("alexnet", variant, "AlexNet (" + variant + ")", net, test, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
