package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
import kindling.kernels.Threads;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;

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
        String variant = options.choice("variant", "modern", "d2l");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs", 10);
        int batchSize = options.getInt("batch-size", 256);
        float lr = (float) options.getDouble("lr", book ? 0.9 : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.fashionMnist();
            System.out.println("Data: " + data);

            Sequential net = book ? LeNet.d2l() : LeNet.modern();
            ClassifierRun.describe("LeNet (" + variant + ")", net, 28);

            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).build();
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, Threads.get());
            ClassifierRun.fit("lenet", variant, "LeNet (" + variant + ")", net, optimizer, epochs, train, test, data);
            ClassifierRun.report("lenet", variant, "LeNet (" + variant + ")", net, test, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
