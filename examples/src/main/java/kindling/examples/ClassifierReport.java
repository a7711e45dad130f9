package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import kindling.data.Batches;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.charts.ConfusionMatrix;
import kindling.examples.charts.Predictions;
import kindling.nn.Module;

/**
 * What the image examples show after training: the test set's confusion matrix (printed and as a
 * heat map) and a grid of the first misclassified test images, written to
 * {@code charts/<example>/confusion-<variant>.png} and {@code misclassified-<variant>.png}.
 */
final class ClassifierReport {
    private ClassifierReport() {
    }

    /**
     * Runs {@code net} over {@code test} (an unshuffled loader over {@code data.test()}), prints the
     * confusion matrix and writes both charts.
     */
    static void write(String example, String variant, String title, Module net, Batches test, ImageData data)
            throws IOException {
        Predictions predictions = Predictions.of(net, test);
        ConfusionMatrix matrix = predictions.confusionMatrix(data.classes().length);
        System.out.println("\nConfusion matrix (rows: true class, columns: predicted), accuracy "
                + String.format("%.3f", matrix.accuracy()) + ":\n" + matrix);
        Path folder = Path.of("charts", example);
        Path confusion = Charts.confusionMatrix(title + ": confusion matrix on " + data.name() + " test",
                matrix, data.classes(), folder.resolve("confusion-" + variant + ".png"));
        Path wrong = Charts.misclassified(title + ": first misclassified test images (true → predicted)",
                data.test().inputs(), predictions, data.classes(), 4, 8, folder.resolve("misclassified-" + variant + ".png"));
        System.out.println("Confusion matrix: " + confusion.toAbsolutePath());
        System.out.println("Misclassified images: " + wrong.toAbsolutePath());
    }
}
