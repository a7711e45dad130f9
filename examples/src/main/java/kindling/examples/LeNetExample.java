package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
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
 * LeNet on Fashion-MNIST, d2l's chapter 6.6: prints the network, its shape trace and summary, trains
 * it and reports the test accuracy, then writes the training curves to {@code charts/lenet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="lenet"                       # the modern variant (default)
 *   mvn -q compile exec:java -Dexec.args="lenet --variant d2l --epochs 10"
 *   options: --variant d2l|modern  --epochs N  --batch-size N  --lr X  --subset  --data DIR  --threads N  --show
 * </pre>
 * {@code d2l} is the book's network and recipe: sigmoid, average pooling, Xavier init, SGD with
 * lr 0.9, batch 256, 10 epochs. {@code modern} adds batch normalisation, uses ReLU and max pooling,
 * and trains with Adam (lr 0.001), which learns far faster — the default, so the first run shows a
 * network that learns within a minute even on the bundled 6,000-image subset.
 * The data comes from the first place that has Fashion-MNIST (see {@link FashionMnist}); {@code --subset}
 * uses the subset bundled with the examples. After training it also writes the test set's confusion
 * matrix and its first misclassified images; {@code --show} opens the charts in windows where a
 * display exists.
 */
public final class LeNetExample {
    private LeNetExample() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        String variant = options.get("variant", "modern");
        boolean book = variant.equals("d2l");
        if (!book && !variant.equals("modern")) {
            throw new IllegalArgumentException("lenet: --variant must be d2l or modern, got " + variant);
        }
        int epochs = options.getInt("epochs", 10);
        int batchSize = options.getInt("batch-size", 256);
        float lr = (float) options.getDouble("lr", book ? 0.9 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.has("subset") ? FashionMnist.loadBundledSubset()
                    : options.has("data") ? FashionMnist.load(Path.of(options.get("data", ""))) : FashionMnist.load();
            System.out.println("Data: " + data);

            Sequential net = book ? LeNet.d2l() : LeNet.modern();
            System.out.println("\nLeNet (" + variant + "):\n" + net);
            System.out.println("\nShape trace, as d2l prints it:");
            Summary.traceShapes(net, Tensor.zeros(1, 1, 28, 28), System.out);
            System.out.println("\n" + Summary.of(net, 1, 1, 28, 28));

            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).build();
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
            Path chart = Charts.history("LeNet (" + variant + ") on " + data.name(), history,
                    Path.of("charts", "lenet", "lenet-" + variant + ".png"));
            System.out.println("Training curves: " + chart.toAbsolutePath());
            ClassifierReport.write("lenet", variant, "LeNet (" + variant + ")", net, test, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
