package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.kernels.Threads;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;

/**
 * The program AlexNet and VGG share (d2l chapters 7.1 and 7.2): a network built for larger images
 * than Fashion-MNIST's 28×28, trained on the images resized (bilinear) as they are batched, as d2l's
 * {@code resize=224}, in two variants:
 * <ul>
 *   <li>{@code d2l}: the book's network and recipe: 224×224, SGD at the book's learning rate, batch
 *       128, 10 epochs (hours per epoch on a laptop CPU);</li>
 *   <li>{@code small} (the default): the CPU-sized network at its own input size, Adam with lr 0.001,
 *       3 epochs.</li>
 * </ul>
 * Options: {@code --variant d2l|small --epochs N --batch-size N --lr X --subset --data DIR --threads N
 * --seed N --show}. It prints the network, its shape trace and summary, trains, reports the test
 * accuracy, and writes the curves, the confusion matrix and the misclassified images to
 * {@code charts/<example>/}.
 *
 * @param example   the example's name, also its charts folder: "alexnet", "vgg"
 * @param title     how the network is named in the output: "AlexNet", "VGG-11"
 * @param d2l       the book's network (224×224 inputs)
 * @param small     the CPU-sized network
 * @param smallSide the input side the CPU-sized network takes
 * @param d2lLr     the book's SGD learning rate
 */
record ResizedImageRun(String example, String title, Supplier<Sequential> d2l, Supplier<Sequential> small,
                       int smallSide, double d2lLr) {

    /** Parses {@code args} and runs the program for this network. */
    void main(String[] args) {
        Options options = Options.parse(args);
        String variant = options.choice("variant", "small", "d2l");
        boolean book = variant.equals("d2l");
        int side = book ? 224 : smallSide;
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size", 128);
        float lr = (float) options.getDouble("lr", book ? d2lLr : 0.001);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = options.fashionMnist();
            System.out.println("Data: " + data);

            Sequential net = book ? d2l.get() : small.get();
            String name = title + " (" + variant + ")";
            ClassifierRun.describe(name, net, side);

            Resize resize = new Resize(side, side);
            DataLoader train = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(0).transform(resize).build();
            DataLoader test = DataLoader.builder(data.test()).batchSize(batchSize).transform(resize).build();
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, Threads.get());
            ClassifierRun.fit(example, variant, name, net, optimizer, epochs, train, test, data);
            ClassifierRun.report(example, variant, name, net, test, data);
            // The trained weights, for the examples that reuse this network (style transfer uses the VGG's).
            Path weights = Path.of("checkpoints", example, example + "-" + variant + ".safetensors");
            Files.createDirectories(weights.getParent());
            net.save(weights);
            System.out.println("Weights: " + weights.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
