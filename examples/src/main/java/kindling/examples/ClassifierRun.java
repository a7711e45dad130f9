package kindling.examples;

import java.io.IOException;
import java.nio.file.Path;
import kindling.data.Batches;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.charts.ConfusionMatrix;
import kindling.examples.charts.Predictions;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Module;
import kindling.nn.Summary;
import kindling.optim.Optimizer;
import kindling.tensor.Tensor;
import kindling.train.History;
import kindling.train.Trainer;

/**
 * The steps the image-classification examples (LeNet, AlexNet, VGG, ResNet) share, in the order they
 * run: {@link #describe} the network, {@link #fit} it, {@link #report} on the test set. What differs
 * between the examples (the network, its input size, the optimizer, the data pipeline) stays in each
 * example, where a student reads it; AlexNet and VGG, which differ only in the network, share one
 * program, {@link ResizedImageRun}.
 */
final class ClassifierRun {
    private ClassifierRun() {
    }

    /** Prints the network, d2l's shape trace for one side×side image and the summary (parameters, MACs). */
    static void describe(String title, Module net, int side) {
        System.out.println("\n" + title + ":\n" + net);
        System.out.println("\nShape trace at " + side + "×" + side + ", as d2l prints it:");
        Summary.traceShapes(net, Tensor.zeros(1, 1, side, side), System.out);
        System.out.println("\n" + Summary.of(net, 1, 1, side, side));
    }

    /**
     * Trains {@code net} with cross-entropy for {@code epochs}, validating on {@code test} after each,
     * prints the history and the final test accuracy, and writes the curves to
     * {@code charts/<example>/<example>-<variant>.png}.
     */
    static History fit(String example, String variant, String title, Module net, Optimizer optimizer, int epochs,
                       DataLoader train, DataLoader test, ImageData data) throws IOException {
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), optimizer).epochs(epochs).build();
        History history = trainer.fit(train, test);
        System.out.println("\n" + history);
        History.Epoch last = history.last();
        System.out.printf("test accuracy %.3f after %d epochs (%.0f images/s in the last epoch)%n",
                last.validationAccuracy(), epochs, last.imagesPerSecond());
        Path chart = Charts.history(title + " on " + data.name(), history,
                Path.of("charts", example, example + "-" + variant + ".png"));
        System.out.println("Training curves: " + chart.toAbsolutePath());
        return history;
    }

    /**
     * Runs {@code net} over {@code test} (an unshuffled loader over {@code data.test()}), prints the
     * confusion matrix and writes it as a heat map, with a grid of the first misclassified test images,
     * to {@code charts/<example>/confusion-<variant>.png} and {@code misclassified-<variant>.png}.
     */
    static void report(String example, String variant, String title, Module net, Batches test, ImageData data)
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
