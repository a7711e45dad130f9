package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.Dataset;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.AlexNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.train.History;
import kindling.train.Trainer;

/**
 * AlexNet on Fashion-MNIST, d2l's chapter 7.1: prints the book's network traced at 224×224, the
 * network it trains with its shape trace and summary, trains it on images resized up from 28×28,
 * reports the test accuracy, and writes the training curves, the confusion matrix and the first
 * misclassified test images to {@code charts/alexnet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="alexnet"                       # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="alexnet --epochs 5 --threads 2"
 *   mvn -q compile exec:java -Dexec.args="alexnet --help"                # every option with its default
 *   mvn -q compile exec:java -Dexec.args="alexnet --resume"              # continue an interrupted run
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

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("alexnet", "AlexNet (d2l 7.1) on Fashion-MNIST resized up: "
                        + "the book's shape trace, then training.")
                .choice("variant", "small: a CPU-sized AlexNet on 68x68 images, Adam; "
                        + "d2l: the book's network on 224x224, SGD (hours per epoch)", "small", "d2l")
                .integer("epochs", "passes over the training set").byDefault("3 for small, 10 for d2l")
                .integer("batch-size", 128, "images per optimizer step")
                .number("lr", "learning rate").byDefault("0.001 for small (Adam), 0.01 for d2l (SGD)")
                .flag("resume", "continue from checkpoints/alexnet/<variant>/checkpoint.safetensors, written after every epoch")
                .fashionMnist().threads().seed().show()
                .parse(args);
        String variant = options.choice("variant");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size");
        float lr = (float) options.getDouble("lr", book ? 0.01 : 0.001);
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        Charts.showWindows(options.has("show"));

        // The data: Fashion-MNIST's 28×28 images, resized (bilinear) as they are batched, as d2l's resize=224.
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        int side = side(book);
        DataLoader train = trainingBatches(data.train(), book, batchSize);
        DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(new Resize(side, side)).build();

        // The model. The book's network is traced at 224×224 first, as d2l prints it; the CPU-sized
        // one keeps every layer and shrinks the widths.
        if (!book) {
            ClassifierRun.traceShapes("The book's AlexNet", AlexNet.d2l(), 224);
        }
        Recipe recipe = recipe(book, seed, lr, epochs, Path.of("checkpoints", "alexnet", variant));
        Sequential net = recipe.net();
        String title = "AlexNet (" + variant + ")";
        ClassifierRun.describe(title, net, side);

        // Training: the Trainer runs LeNetExample's loop (zeroGrad, forward, loss, backward, step) per
        // batch, and evaluates on the test set after each epoch.
        System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                book ? "SGD" : "Adam", lr, Threads.get());
        // --resume continues the last run from its checkpoint (start it with the same options), and it
        // ends with exactly the weights of a run that never stopped: the fingerprint printed at the end
        // is the same.
        Trainer trainer = recipe.trainer().validationName("test").build();
        if (options.has("resume")) {
            int done = trainer.resume();
            System.out.println(done == 0 ? "No checkpoint in " + trainer.checkpointFile() + " yet: starting from epoch 1"
                    : "Resumed from " + trainer.checkpointFile() + " after epoch " + done);
        }
        History history = trainer.fit(train, test);

        // Evaluation and charts: the curves, the test confusion matrix, the misclassified test images.
        ClassifierRun.reportTraining("alexnet", variant, title, history, data);
        ClassifierRun.reportTest("alexnet", variant, title, net, test, data);
        ClassifierRun.saveWeights("alexnet", variant, net);
        ClassifierRun.printFingerprint(net);
    }

    /** The network and the Trainer (not yet built) that {@link #recipe} sets up. */
    record Recipe(Sequential net, Trainer.Builder trainer) {
    }

    /**
     * The training recipe, shared with AlexNetExampleTest so that the test trains what main trains:
     * the generator seeded, the variant's network, its optimizer (the book's SGD, or Adam, which the
     * small network learns faster with), cross-entropy, and a Trainer for {@code epochs} that saves a
     * checkpoint into {@code checkpoints} after every epoch: the weights, the optimizer's state (Adam's
     * moments), the history and the state of the random generator that draws dropout's masks.
     */
    static Recipe recipe(boolean book, int seed, float lr, int epochs, Path checkpoints) {
        Generator.manualSeed(seed);
        Sequential net = book ? AlexNet.d2l() : AlexNet.small();
        Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                : Adam.builder(net.parameters()).lr(lr).build();
        return new Recipe(net, Trainer.builder(net, new CrossEntropyLoss(), optimizer).epochs(epochs).checkpoints(checkpoints));
    }

    /** Image side the variant trains on: 224 for the book's network, {@link AlexNet#SMALL_INPUT} for the small one. */
    static int side(boolean book) {
        return book ? 224 : AlexNet.SMALL_INPUT;
    }

    /** Training batches: Fashion-MNIST's 28×28 images resized (bilinear) as they are batched, shuffled with seed 0. */
    static DataLoader trainingBatches(Dataset images, boolean book, int batchSize) {
        return DataLoader.builder(images).batchSize(batchSize).shuffle(0).transform(new Resize(side(book), side(book))).build();
    }
}
