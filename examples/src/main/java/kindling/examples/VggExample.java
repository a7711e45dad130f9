package kindling.examples;

import kindling.examples.models.Vgg;

/**
 * VGG-11 on Fashion-MNIST, d2l's chapter 7.2: prints the network (five VGG blocks and the
 * classifier), its shape trace and summary, trains it on images resized up from 28×28, reports the
 * test accuracy, and writes the training curves, the confusion matrix and the first misclassified
 * test images to {@code charts/vgg/}.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="vgg"                           # the CPU-sized variant (default)
 *   mvn -q compile exec:java -Dexec.args="vgg --epochs 5 --threads 2"
 *   options: --variant small|d2l  --epochs N  --batch-size N  --lr X  --subset  --data DIR  --threads N  --seed N  --show
 * </pre>
 * {@code d2l} is the network and recipe the book trains (see {@link Vgg#d2l()}): VGG-11 with a
 * quarter of the channels at 224×224, SGD with lr 0.05, batch 128 (10 epochs in the book) — half a
 * billion multiply-adds per image, hours per epoch on a laptop CPU. (The full VGG-11,
 * {@link Vgg#vgg11()}, needs 7.5 billion.)
 * {@code small} (the default) is the book's narrowed VGG-11 taken further: channels divided by 8,
 * 256 hidden units and 32×32 inputs (see {@link Vgg#small()}), trained with Adam (lr 0.001).
 * {@code --subset} uses the 6,000-image subset bundled with the examples.
 * The program itself, shared with the other resized-image example, is {@link ResizedImageRun}.
 */
public final class VggExample {
    private VggExample() {
    }

    public static void main(String[] args) {
        new ResizedImageRun("vgg", "VGG-11", Vgg::d2l, Vgg::small, Vgg.SMALL_INPUT, 0.05)
                .main(args);
    }
}
