package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.Vgg;
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
 * VGG-11 on Fashion-MNIST, d2l's chapter 7.2: prints the book's network traced at 224×224 (one line
 * per VGG block), the network it trains with its shape trace and summary, trains it on images resized
 * up from 28×28, reports the test accuracy, and writes the training curves, the confusion matrix and
 * the first misclassified test images to {@code charts/vgg/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="vgg"                           # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="vgg --epochs 5 --threads 2"
 *   mvn -q compile exec:java -Dexec.args="vgg --help"                    # every option with its default
 *   mvn -q compile exec:java -Dexec.args="vgg --resume"                  # continue an interrupted run
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

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("vgg", "VGG-11 (d2l 7.2) on Fashion-MNIST resized up: "
                        + "the book's shape trace, then training.")
                .choice("variant", "small: VGG-11 with 1/8 of the channels on 32x32 images, Adam; "
                        + "d2l: the book's 1/4-width VGG-11 on 224x224, SGD (hours per epoch)", "small", "d2l")
                .integer("epochs", "passes over the training set").byDefault("3 for small, 10 for d2l")
                .integer("batch-size", 128, "images per optimizer step")
                .number("lr", "learning rate").byDefault("0.001 for small (Adam), 0.05 for d2l (SGD)")
                .flag("resume", "continue from checkpoints/vgg/<variant>/checkpoint.safetensors, written after every epoch")
                .fashionMnist().threads().seed().show()
                .parse(args);
        String variant = options.choice("variant");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size");
        float lr = (float) options.getDouble("lr", book ? 0.05 : 0.001);
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        Charts.showWindows(options.has("show"));

        // The data: Fashion-MNIST's 28×28 images, resized (bilinear) as they are batched, as d2l's resize=224.
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        int side = book ? 224 : Vgg.SMALL_INPUT;
        Resize resize = new Resize(side, side);
        DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).transform(resize).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(resize).build();

        // The model: five VGG blocks (convolutions, then a 2×2 max pool that halves the side) and the
        // classifier. The book's network is traced at 224×224 first, as d2l prints it.
        if (!book) {
            ClassifierRun.traceShapes("The book's VGG-11 (a quarter of the channels)", Vgg.d2l(), 224);
        }
        Generator.manualSeed(seed);
        Sequential net = book ? Vgg.d2l() : Vgg.small();
        String title = "VGG-11 (" + variant + ")";
        ClassifierRun.describe(title, net, side);

        // The loss and the optimizer: the book's SGD, or Adam, which the small network learns faster with.
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                : Adam.builder(net.parameters()).lr(lr).build();

        // Training: the Trainer runs LeNetExample's loop (zeroGrad, forward, loss, backward, step) per
        // batch, and evaluates on the test set after each epoch.
        System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                book ? "SGD" : "Adam", lr, Threads.get());
        // After every epoch the Trainer saves a checkpoint: the weights, the optimizer's state (Adam's
        // moments), the history and the state of the random generator that draws dropout's masks.
        // --resume continues the last run from it (start it with the same options), and it ends with
        // exactly the weights of a run that never stopped: the fingerprint printed at the end is the same.
        Trainer trainer = Trainer.builder(net, loss, optimizer).epochs(epochs).validationName("test")
                .checkpoints(Path.of("checkpoints", "vgg", variant)).build();
        if (options.has("resume")) {
            int done = trainer.resume();
            System.out.println(done == 0 ? "No checkpoint in " + trainer.checkpointFile() + " yet: starting from epoch 1"
                    : "Resumed from " + trainer.checkpointFile() + " after epoch " + done);
        }
        History history = trainer.fit(train, test);

        // Evaluation and charts: the curves, the test confusion matrix, the misclassified test images.
        ClassifierRun.reportTraining("vgg", variant, title, history, data);
        ClassifierRun.reportTest("vgg", variant, title, net, test, data);
        ClassifierRun.saveWeights("vgg", variant, net);
        ClassifierRun.printFingerprint(net);
    }
}
