package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import kindling.data.DataLoader;
import kindling.data.Dataset;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.Subset;
import kindling.data.transforms.Resize;
import kindling.examples.charts.Charts;
import kindling.examples.models.ResNet;
import kindling.kernels.Threads;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;

/**
 * ResNet on Fashion-MNIST, d2l's chapter 7.6: prints the network, its shape trace and summary, trains
 * it and reports the test accuracy, then writes the training curves to {@code charts/resnet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="resnet"                          # the small variant (default)
 *   mvn -q compile exec:java -Dexec.args="resnet --variant d2l"            # the book's: hours on a CPU
 *   options: --variant d2l|small  --epochs N  --batch-size N  --lr X  --train-size N  --subset  --data DIR  --threads N  --seed N
 * </pre>
 * {@code d2l} is the book's network and recipe: ResNet-18 (11.2M parameters) on images resized to
 * 96×96, SGD with lr 0.05, batch 256, 10 epochs — 0.32 GMACs per image forward, so an epoch
 * takes hours on two cores. {@code small} ({@link ResNet#small()}) keeps the architecture, with
 * channels 16-32-64-128 on 28×28 images (7.7M MACs per image), and trains with Adam (lr 0.001,
 * batch 128) for 3 epochs on the first 15,000 training images — about five minutes on two cores
 * (about 170 images/s); {@code --train-size 60000} trains on all of them. {@code --train-size N}
 * trains on the first N training images (the test set is always whole).
 * The data comes from the first place that has Fashion-MNIST (see {@link FashionMnist}); {@code --subset}
 * uses the 6,000/1,000-image subset bundled with the examples.
 */
public final class ResNetExample {
    private ResNetExample() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        String variant = options.choice("variant", "small", "d2l");
        boolean book = variant.equals("d2l");
        int epochs = options.getInt("epochs", book ? 10 : 3);
        int batchSize = options.getInt("batch-size", book ? 256 : 128);
        float lr = (float) options.getDouble("lr", book ? 0.05 : 0.001);
        int size = book ? 96 : 28;
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));
        try {
            ImageData data = options.fashionMnist();
            System.out.println("Data: " + data);
            Dataset trainSet = data.train();
            int trainSize = options.getInt("train-size", book ? trainSet.size() : 15_000);
            if (trainSize < trainSet.size()) {
                trainSet = first(trainSet, trainSize);
                System.out.println("Training on the first " + trainSet.size() + " training images (--train-size)");
            }

            Sequential net = book ? ResNet.d2l() : ResNet.small();
            ClassifierRun.describe("ResNet (" + variant + ")", net, size);

            DataLoader.Builder train = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(0);
            DataLoader.Builder test = DataLoader.builder(data.test()).batchSize(batchSize);
            if (book) {                                        // d2l's load_data_fashion_mnist(batch_size, resize=96)
                train.transform(new Resize(96, 96));
                test.transform(new Resize(96, 96));
            }
            Optimizer optimizer = book ? SGD.builder(net.parameters()).lr(lr).build()
                    : Adam.builder(net.parameters()).lr(lr).build();
            System.out.printf("Training %d epochs, batch %d, %s lr %s, %dx%d images, %d thread(s)%n", epochs, batchSize,
                    book ? "SGD" : "Adam", lr, size, size, Threads.get());
            ClassifierRun.fit("resnet", variant, "ResNet (" + variant + ")", net, optimizer, epochs,
                    train.build(), test.build(), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code n} examples of {@code dataset} (all of them if it has fewer). */
    private static Dataset first(Dataset dataset, int n) {
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
