package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import kindling.data.DataLoader;
import kindling.data.Dataset;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.Subset;
import kindling.data.Transform;
import kindling.data.transforms.RandomCrop;
import kindling.data.transforms.RandomHorizontalFlip;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.ResNet;
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
 * ResNet on Fashion-MNIST, d2l's chapter 7.6: prints the network, its shape trace and summary, trains
 * it and reports the test accuracy, then writes the training curves, the test confusion matrix and
 * the first misclassified test images to {@code charts/resnet/}. With the small variant it first
 * prints the book's ResNet-18 traced at 96×96.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="resnet"                          # the small variant (default)
 *   mvn -q compile exec:java -Dexec.args="resnet --variant d2l"            # the book's: hours on a CPU
 *   mvn -q compile exec:java -Dexec.args="resnet --resume"                 # continue an interrupted run
 *   mvn -q compile exec:java -Dexec.args="resnet --augment"                # random crops and flips
 *   mvn -q compile exec:java -Dexec.args="resnet --help"   # every option with its default
 * </pre>
 * {@code d2l} is the book's network and recipe: ResNet-18 (11.2M parameters) on images resized to
 * 96×96, SGD with lr 0.05, batch 256, 10 epochs — 0.32 GMACs per image forward, so an epoch
 * takes hours on two cores. {@code small} ({@link ResNet#small()}) keeps the architecture, with
 * channels 16-32-64-128 on 28×28 images (7.7M MACs per image), and trains with Adam (lr 0.001,
 * batch 128) for 6 epochs on all 60,000 training images, which brings it to about the book's test
 * accuracy in minutes on two cores (docs/examples.md has the measured run). {@code --train-size N}
 * trains on the first N training images (the test set is always whole).
 * The data comes from the first place that has Fashion-MNIST (see {@link FashionMnist}); {@code --subset}
 * uses the 6,000/1,000-image subset bundled with the examples. After every epoch the run saves a
 * checkpoint to {@code checkpoints/resnet/<variant>/}; {@code --resume} continues from it.
 * {@code --augment} shows each training image flipped left to right half the time and shifted by up
 * to 2 pixels ({@link RandomHorizontalFlip}, {@link RandomCrop}), drawn from a generator seeded by
 * {@code --seed} that every checkpoint keeps, so an augmented run resumed with {@code --resume} draws
 * the crops and flips the uninterrupted run would have drawn.
 */
public final class ResNetExample {
    private ResNetExample() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("resnet", "ResNet (d2l 7.6) on Fashion-MNIST: residual blocks, shape trace, training.")
                .choice("variant", "small: a CPU-sized ResNet on 28x28 images; d2l: ResNet-18 on 96x96 (hours)",
                        "small", "d2l")
                .integer("epochs", "passes over the training set").byDefault("6 for small, 10 for d2l")
                .integer("batch-size", "images per optimizer step").byDefault("128 for small, 256 for d2l")
                .number("lr", "learning rate").byDefault("0.001 for small (Adam), 0.05 for d2l (SGD)")
                .integer("train-size", "train on the first N training images").byDefault("all")
                .flag("resume", "continue from checkpoints/resnet/<variant>/checkpoint.safetensors, written after every epoch")
                .flag("augment", "random horizontal flips and crops (shifts of up to 2 pixels) of the training images")
                .fashionMnist().threads().seed().show()
                .parse(args);
        String variant = options.choice("variant");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs", book ? 10 : 6);
        int batchSize = options.getInt("batch-size", book ? 256 : 128);
        float lr = (float) options.getDouble("lr", book ? 0.05 : 0.001);
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists

        // The data: the book resizes Fashion-MNIST to 96×96 (load_data_fashion_mnist(batch_size, resize=96));
        // the small network takes the 28×28 images as they are.
        ImageData data = options.fashionMnist();
        System.out.println("Data: " + data);
        Dataset trainSet = data.train();
        int trainSize = options.getInt("train-size", trainSet.size());
        if (trainSize < trainSet.size()) {
            trainSet = first(trainSet, trainSize);
            System.out.println("Training on the first " + trainSet.size() + " training images (--train-size)");
        }
        int size = book ? 96 : 28;
        DataLoader.Builder test = DataLoader.builder(data.test()).batchSize(batchSize);
        if (book) {
            test.transform(new Resize(96, 96));
        }
        DataLoader testLoader = test.build();

        // The model: a stem, four stages of residual blocks, global average pooling and a linear
        // classifier. The book's ResNet-18 is traced at 96×96 first, as d2l prints it.
        if (!book) {
            ClassifierRun.traceShapes("The book's ResNet-18", ResNet.d2l(), 96);
        }
        boolean augment = options.has("augment");
        Recipe recipe = recipe(book, seed, lr, epochs, Path.of("checkpoints", "resnet", variant), augment);
        Sequential net = recipe.net();
        DataLoader trainLoader = trainLoader(trainSet, batchSize, recipe, book);
        String title = "ResNet (" + variant + ")";
        ClassifierRun.describe(title, net, size);

        // Training: the Trainer runs LeNetExample's loop (zeroGrad, forward, loss, backward, step) per
        // batch, and evaluates on the test set after each epoch.
        System.out.printf("Training %d epochs, batch %d, %s lr %s, %dx%d images%s, %d thread(s)%n", epochs, batchSize,
                book ? "SGD" : "Adam", lr, size, size, augment ? " (random flips and crops)" : "", Threads.get());
        // --resume continues the last run from its checkpoint (start it with the same options). The
        // checkpoint holds batch norm's running statistics with the weights, so the resumed run ends
        // with exactly the weights and statistics of a run that never stopped: the fingerprint printed
        // at the end is the same.
        Trainer trainer = recipe.trainer().validationName("test").build();
        if (options.has("resume")) {
            int done = trainer.resume();
            System.out.println(done == 0 ? "No checkpoint in " + trainer.checkpointFile() + " yet: starting from epoch 1"
                    : "Resumed from " + trainer.checkpointFile() + " after epoch " + done);
        }
        History history = trainer.fit(trainLoader, testLoader);

        // Evaluation and charts: the curves, the test confusion matrix, the misclassified test images.
        ClassifierRun.reportTraining("resnet", variant, title, history, data);
        ClassifierRun.reportTest("resnet", variant, title, net, testLoader, data);
        ClassifierRun.saveWeights("resnet", variant, net);
        ClassifierRun.printFingerprint(net);
    }

    /**
     * The network, the Trainer (not yet built) and the training images' random flips and crops (null
     * without {@code --augment}) that {@link #recipe} sets up.
     */
    record Recipe(Sequential net, Trainer.Builder trainer, Transform augmentation) {
    }

    /**
     * The training recipe, shared with ResNetExampleTest so that the test trains what main trains:
     * the generator seeded, the variant's network, its optimizer (the book's SGD, or Adam, which the
     * small network learns faster with), cross-entropy, and a Trainer for {@code epochs} that saves a
     * checkpoint into {@code checkpoints} after every epoch: the weights with batch norm's running
     * statistics, the optimizer's state (Adam's moments), the history and the random generator's state.
     * With {@code augment}, a random horizontal flip and a random 28×28 crop of the image padded by 2
     * (torchvision's {@code RandomHorizontalFlip()} and {@code RandomCrop(28, padding=2)}), both drawing
     * from one generator seeded with {@code seed}, which the Trainer keeps in every checkpoint under
     * {@code generator.augment}.
     */
    static Recipe recipe(boolean book, int seed, float lr, int epochs, Path checkpoints, boolean augment) {
        Generator.manualSeed(seed);
        Sequential net = book ? ResNet.d2l() : ResNet.small();
        Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                : Adam.builder(net.parameters()).lr(lr).build();
        Trainer.Builder trainer = Trainer.builder(net, new CrossEntropyLoss(), optimizer).epochs(epochs)
                .checkpoints(checkpoints);
        Transform augmentation = null;
        if (augment) {
            Generator draws = new Generator(seed);
            augmentation = Transform.compose(new RandomHorizontalFlip(draws), new RandomCrop(28, 2, draws));
            trainer.generator("augment", draws);
        }
        return new Recipe(net, trainer, augmentation);
    }

    /**
     * The training batches, shared with ResNetExampleTest: shuffled, each image augmented (flipped,
     * shifted) when the recipe has an augmentation, then resized to 96×96 for the book's network.
     */
    static DataLoader trainLoader(Dataset trainSet, int batchSize, Recipe recipe, boolean book) {
        Transform transform = recipe.augmentation();
        if (book) {
            transform = transform == null ? new Resize(96, 96) : transform.andThen(new Resize(96, 96));
        }
        DataLoader.Builder train = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(0);
        if (transform != null) {
            train.transform(transform);
        }
        return train.build();
    }

    /** The first {@code n} examples of {@code dataset} (all of them if it has fewer). */
    static Dataset first(Dataset dataset, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--train-size must be at least 1, got " + n);
        }
        int[] indices = new int[Math.min(n, dataset.size())];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        return new Subset(dataset, indices);
    }
}
