package kindling.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import kindling.data.Batches;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.charts.ConfusionMatrix;
import kindling.examples.charts.Predictions;
import kindling.nn.Module;
import kindling.nn.Summary;
import kindling.tensor.Tensor;
import kindling.train.History;

/**
 * The plumbing the image-classification examples (LeNet, AlexNet, VGG, ResNet) share: printing a
 * network ({@link #traceShapes}, {@link #describe}) and reporting on a trained one
 * ({@link #reportTraining}, {@link #reportTest}). Everything a student should see — the data, the
 * network, the loss, the optimizer, the training loop — stays in each example's {@code main}.
 */
final class ClassifierRun {
    private ClassifierRun() {
    }

    /** Prints d2l's shape trace of {@code net} for one side×side image, as the book prints it. */
    static void traceShapes(String title, Module net, int side) {
        System.out.println("\n" + title + ", shape trace at " + side + "×" + side + " as d2l prints it:");
        Summary.traceShapes(net, Tensor.zeros(1, 1, side, side), System.out);
    }

    /** Prints the network, its shape trace for one side×side image and the summary (parameters, MACs). */
    static void describe(String title, Module net, int side) {
        System.out.println("\n" + title + ":\n" + net);
        traceShapes(title, net, side);
        System.out.println("\n" + Summary.of(net, 1, 1, side, side));
    }

    /**
     * Prints the history of a run that evaluated on the test set after each epoch and its final test
     * accuracy, and writes the curves to {@code charts/<example>/<example>-<variant>.png}.
     */
    static void reportTraining(String example, String variant, String title, History history, ImageData data)
            throws IOException {
        System.out.println("\n" + history.table("test"));
        History.Epoch last = history.last();
        System.out.printf("test accuracy %.3f after %d epochs (%.0f images/s in the last epoch)%n",
                last.validationAccuracy(), last.epoch(), last.imagesPerSecond());
        Path chart = Charts.history(title + " on " + data.name(), history,
                Path.of("charts", example, example + "-" + variant + ".png"));
        System.out.println("Training curves: " + chart.toAbsolutePath());
    }

    /**
     * Saves the trained weights to {@code checkpoints/<example>/<example>-<variant>.safetensors}, for
     * the examples that reuse this network (style transfer uses the VGG's).
     */
    static Path saveWeights(String example, String variant, Module net) throws IOException {
        Path weights = Path.of("checkpoints", example, example + "-" + variant + ".safetensors");
        Files.createDirectories(weights.getParent());
        net.save(weights);
        System.out.println("Weights: " + weights.toAbsolutePath());
        return weights;
    }

    /**
     * A CRC-32 of every parameter's bits, in {@code parameters()} order, then of every buffer's (batch
     * norm's running statistics and its count of batches): two runs print the same fingerprint exactly
     * when they ended with the same weights and statistics, to the last bit (an interrupted run resumed
     * from its checkpoint against one that never stopped, say). A network without buffers has the
     * fingerprint of its parameters alone.
     */
    static long fingerprint(Module net) {
        CRC32 crc = new CRC32();
        for (Tensor parameter : net.parameters()) {
            update(crc, parameter);
        }
        for (Tensor buffer : net.namedBuffers().values()) {
            update(crc, buffer);
        }
        return crc.getValue();
    }

    private static void update(CRC32 crc, Tensor tensor) {
        for (float value : tensor.toArray()) {
            int bits = Float.floatToRawIntBits(value);
            crc.update(bits);
            crc.update(bits >>> 8);
            crc.update(bits >>> 16);
            crc.update(bits >>> 24);
        }
    }

    /** Prints {@link #fingerprint}, for comparing a resumed run with an uninterrupted one. */
    static void printFingerprint(Module net) {
        System.out.printf("Fingerprint of the trained weights (CRC-32 of their bits): %08x%n", fingerprint(net));
    }

    /**
     * Runs {@code net} over {@code test} (an unshuffled loader over {@code data.test()}), prints the
     * confusion matrix with the class names and writes it as a heat map, with a grid of the first
     * misclassified test images, to {@code charts/<example>/confusion-<variant>.png} and
     * {@code misclassified-<variant>.png}.
     */
    static void reportTest(String example, String variant, String title, Module net, Batches test, ImageData data)
            throws IOException {
        Predictions predictions = Predictions.of(net, test);
        ConfusionMatrix matrix = predictions.confusionMatrix(data.classes().length);
        System.out.println("\nConfusion matrix on the test set (rows: true class, columns: predicted), accuracy "
                + String.format("%.3f", matrix.accuracy()) + ":\n" + matrix.toString(data.classes()));
        Path folder = Path.of("charts", example);
        Path confusion = Charts.confusionMatrix(title + ": confusion matrix on " + data.name() + " test",
                matrix, data.classes(), folder.resolve("confusion-" + variant + ".png"));
        Path wrong = Charts.misclassified(title + ": first misclassified test images (true → predicted)",
                data.test().inputs(), predictions, data.classes(), 4, 8, folder.resolve("misclassified-" + variant + ".png"));
        System.out.println("Confusion matrix: " + confusion.toAbsolutePath());
        System.out.println("Misclassified images: " + wrong.toAbsolutePath());
    }
}
