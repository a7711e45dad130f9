package kindling.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import kindling.autograd.NoGrad;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.examples.models.LeNet;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Tensor;
import kindling.train.Trainer;

/**
 * The judge of generated images: the LeNet example's network (modern variant) trained on real
 * Fashion-MNIST, saved as safetensors and loaded back, then asked which class each generated image
 * shows. Generative examples report how often it names the class a sample was generated for, and
 * which classes it sees among unconditional samples.
 * <!-- not compiled: the class is package-private, so a snippet outside kindling.examples cannot name it -->
 * <pre>
 *   SampleClassifier classifier = SampleClassifier.trainedOn(data, Path.of("runs", "judge"), 5);   // trains once, then reloads
 *   int[] classes = classifier.predict(images);       // images (N, 1, 28, 28) in [0, 1]
 * </pre>
 * The file is named after the data it was trained on (the bundled subset or the full set), so a run
 * on one never reuses a judge trained on the other.
 */
final class SampleClassifier {
    private final Sequential net;
    private final double testAccuracy;

    private SampleClassifier(Sequential net, double testAccuracy) {
        this.net = net;
        this.testAccuracy = testAccuracy;
    }

    /**
     * The judge for {@code data}: loaded from {@code folder} when an earlier run saved it there,
     * otherwise trained for {@code epochs} with Adam (lr 0.001, batch 256), saved, and loaded back
     * into a fresh network, so what judges the samples is always what the file holds.
     */
    static SampleClassifier trainedOn(ImageData data, Path folder, int epochs) throws IOException {
        Path file = folder.resolve("lenet-" + data.train().size() + ".safetensors");
        if (!Files.exists(file)) {
            System.out.printf("Training the judge, LeNet (modern) on the %,d real training images, %d epochs%n",
                    data.train().size(), epochs);
            Sequential trained = LeNet.modern();
            DataLoader train = DataLoader.builder(data.train()).batchSize(256).shuffle(0).build();
            Trainer.builder(trained, new CrossEntropyLoss(), Adam.builder(trained.parameters()).lr(1e-3f).build())
                    .epochs(epochs).build().fit(train, null);
            Files.createDirectories(folder);
            trained.save(file);
        }
        Sequential net = LeNet.modern();
        net.load(file);
        net.eval();
        DataLoader test = DataLoader.builder(data.test()).batchSize(500).build();
        double accuracy = Trainer.evaluate(net, new CrossEntropyLoss(), test).accuracy();
        System.out.printf(Locale.ROOT, "Judge: %s (accuracy %.3f on the real test images)%n", file, accuracy);
        return new SampleClassifier(net, accuracy);
    }

    /** The judge's accuracy on the real test images: the ceiling for a generated sample's score. */
    double testAccuracy() {
        return testAccuracy;
    }

    /** The class the judge gives each image of {@code images} (N, 1, 28, 28), pixel values in [0, 1]. */
    int[] predict(Tensor images) {
        int[] classes = new int[images.size(0)];
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < classes.length; start += 500) {
                int n = Math.min(500, classes.length - start);
                float[] argmax = net.forward(images.narrow(0, start, n)).argmax(1, false).toArray();
                for (int i = 0; i < n; i++) {
                    classes[start + i] = (int) argmax[i];
                }
            }
        }
        return classes;
    }

    /** The fraction of {@code images} the judge assigns to {@code intended[i]}, the class each was generated for. */
    double agreement(Tensor images, int[] intended) {
        int[] predicted = predict(images);
        int agree = 0;
        for (int i = 0; i < predicted.length; i++) {
            agree += predicted[i] == intended[i] ? 1 : 0;
        }
        return (double) agree / predicted.length;
    }

    /** How many of {@code images} the judge puts in each of the {@code classes} classes. */
    int[] histogram(Tensor images, int classes) {
        int[] counts = new int[classes];
        for (int c : predict(images)) {
            counts[c]++;
        }
        return counts;
    }
}
