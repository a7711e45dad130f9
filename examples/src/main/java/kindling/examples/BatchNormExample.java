package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.train.History;
import kindling.train.ProgressBar;
import kindling.train.Trainer;

/**
 * Normalisation side by side (d2l chapter 8.5): the same LeNet (ReLU, max pooling) without
 * normalisation, with BatchNorm and with LayerNorm after every convolution and hidden linear layer,
 * trained by the same SGD from the same seed on the same batches; the training loss and the test
 * accuracy of all three per epoch on one chart each.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="batchnorm"
 *   mvn -q compile exec:java -Dexec.args="batchnorm --help"   # every option with its default
 * </pre>
 * Plain SGD at one learning rate for all three is the fair comparison: normalisation is what lets
 * the same step size work from the first batch. Charts go to {@code charts/batchnorm/}.
 */
public final class BatchNormExample {
    private BatchNormExample() {
    }

    /** The name each normalisation goes by in the output and the charts. */
    static String label(LeNet.Norm norm) {
        return switch (norm) {
            case NONE -> "no normalisation";
            case BATCH -> "BatchNorm";
            case LAYER -> "LayerNorm";
        };
    }

    /**
     * Trains one LeNet per normalisation with SGD at {@code lr}, each from {@code seed} (so the
     * convolution and linear layers start from the same weights) and on the same batches, printing
     * each network, its summary and its progress to {@code out}; returns the histories by label.
     */
    static Map<String, History> compare(DataLoader train, DataLoader test, int epochs, float lr, int seed, PrintStream out)
            throws IOException {
        Map<String, History> histories = new LinkedHashMap<>();
        for (LeNet.Norm norm : LeNet.Norm.values()) {
            Generator.manualSeed(seed);
            Sequential net = LeNet.modern(norm);
            out.println("\n== LeNet with " + label(norm) + " ==\n" + net);
            out.println(Summary.of(net, 1, 1, 28, 28));
            Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), SGD.builder(net.parameters()).lr(lr).build())
                    .epochs(epochs).validationName("test").output(out, out == System.out && ProgressBar.onTerminal()).build();
            histories.put(label(norm), trainer.fit(train, test));
        }
        return histories;
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("batchnorm", "LeNet without normalisation, with BatchNorm and with LayerNorm, "
                        + "trained alike; curves on one chart.")
                .integer("epochs", 6, "passes over the training images")
                .integer("examples", 12_000, "train on the first N training images")
                .integer("batch-size", 128, "images per optimizer step")
                .number("lr", 0.1, "SGD learning rate, the same for the three networks")
                .fashionMnist().threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        int epochs = options.getInt("epochs");
        int examples = options.getInt("examples");
        int batchSize = options.getInt("batch-size");
        float lr = (float) options.getDouble("lr");
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        int n = Math.min(examples, data.train().size());
        TensorDataset trainSet = new TensorDataset(data.train().inputs().narrow(0, 0, n),
                data.train().targets().narrow(0, 0, n));
        DataLoader train = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(seed).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(512).build();
        System.out.printf("%d training images, %d epochs, batch %d, SGD lr %s, %d thread(s)%n",
                n, epochs, batchSize, lr, Threads.get());

        Map<String, History> histories = compare(train, test, epochs, lr, seed, System.out);
        Map<String, double[]> trainLoss = new LinkedHashMap<>();
        Map<String, double[]> testAccuracy = new LinkedHashMap<>();
        histories.forEach((name, history) -> {
            trainLoss.put(name, history.series(History.Epoch::trainLoss));
            testAccuracy.put(name, history.series(History.Epoch::validationAccuracy));
        });
        System.out.printf("%n%-18s %12s %12s%n", "", "train loss", "test acc");
        for (String name : trainLoss.keySet()) {
            double[] loss = trainLoss.get(name);
            double[] accuracy = testAccuracy.get(name);
            System.out.printf("%-18s %12.4f %12.4f%n", name, loss[loss.length - 1], accuracy[accuracy.length - 1]);
        }
        Path lossChart = Charts.lines("LeNet training loss, SGD lr " + lr, "epoch", "training loss", trainLoss,
                Path.of("charts", "batchnorm", "train-loss.png"));
        Path accuracyChart = Charts.lines("LeNet test accuracy, SGD lr " + lr, "epoch", "test accuracy",
                testAccuracy, Path.of("charts", "batchnorm", "test-accuracy.png"));
        System.out.println("Charts: " + lossChart.toAbsolutePath() + "\n        " + accuracyChart.toAbsolutePath());
    }
}
