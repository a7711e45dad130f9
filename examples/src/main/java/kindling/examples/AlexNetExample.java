package kindling.examples;

import kindling.examples.models.AlexNet;

/**
 * AlexNet on Fashion-MNIST, d2l's chapter 7.1: prints the network, its shape trace and summary,
 * trains it on images resized up from 28×28, reports the test accuracy, and writes the training
 * curves, the confusion matrix and the first misclassified test images to {@code charts/alexnet/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="alexnet"                       # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="alexnet --epochs 5 --threads 2"
 *   options: --variant small|d2l  --epochs N  --batch-size N  --lr X  --subset  --data DIR  --threads N  --seed N  --show
 * </pre>
 * {@code d2l} is the book's network and recipe: 224×224 inputs, SGD with lr 0.01, batch 128 (10
 * epochs in the book) — about a billion multiply-adds per image, hours per epoch on a laptop CPU.
 * {@code small} (the default) keeps every layer's kernel, stride and padding but has a quarter of the
 * channels, 512 hidden units and 68×68 inputs (see {@link AlexNet#small()}), and trains with Adam
 * (lr 0.001), so three epochs take minutes. {@code --subset} uses the 6,000-image subset bundled with
 * the examples.
 * The program itself, shared with the other resized-image example, is {@link ResizedImageRun}.
 */
public final class AlexNetExample {
    private AlexNetExample() {
    }

    public static void main(String[] args) {
        new ResizedImageRun("alexnet", "AlexNet", AlexNet::d2l, AlexNet::small, AlexNet.SMALL_INPUT, 0.01)
                .main(args);
    }
}
