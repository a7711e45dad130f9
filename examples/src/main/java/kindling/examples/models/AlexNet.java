package kindling.examples.models;

import kindling.nn.Conv2d;
import kindling.nn.Dropout;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.MaxPool2d;
import kindling.nn.Module;
import kindling.nn.ReLU;
import kindling.nn.Sequential;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, 2012) as d2l.ai builds it for Fashion-MNIST (Dive into
 * Deep Learning, PyTorch edition 0.17, §7.1 "Deep Convolutional Neural Networks (AlexNet)"): one
 * input channel instead of three, ten classes instead of 1000, no local response normalisation and
 * the whole net on one device instead of split over two GPUs.
 * <pre>
 *   input (N, 1, 224, 224)                       output size: ⌊(H + 2p − k) / s⌋ + 1
 *   Conv2d(1, 96, k=11, s=4, p=1)  ReLU   → (N, 96, 54, 54)     ⌊(224 + 2 − 11) / 4⌋ + 1 = 54
 *   MaxPool2d(3, 2)                       → (N, 96, 26, 26)     ⌊(54 − 3) / 2⌋ + 1 = 26
 *   Conv2d(96, 256, k=5, p=2)      ReLU   → (N, 256, 26, 26)
 *   MaxPool2d(3, 2)                       → (N, 256, 12, 12)
 *   Conv2d(256, 384, k=3, p=1)     ReLU   → (N, 384, 12, 12)
 *   Conv2d(384, 384, k=3, p=1)     ReLU   → (N, 384, 12, 12)
 *   Conv2d(384, 256, k=3, p=1)     ReLU   → (N, 256, 12, 12)
 *   MaxPool2d(3, 2)                       → (N, 256, 5, 5)
 *   Flatten                               → (N, 6400)
 *   Linear(6400, 4096) ReLU Dropout(0.5) → Linear(4096, 4096) ReLU Dropout(0.5) → Linear(4096, 10)
 *                                                              46,764,746 parameters
 * </pre>
 */
public final class AlexNet {
    /** The image size {@link #small()} expects: Fashion-MNIST's 28×28 resized up (see there). */
    public static final int SMALL_INPUT = 68;

    private AlexNet() {
    }

    /**
     * The book's network at its size (inputs 1×224×224), initialised as its {@code train_ch6} does:
     * every Conv2d and Linear weight Xavier-uniform, biases PyTorch's default.
     */
    public static Sequential d2l() {
        return alexNet(new int[] {96, 256, 384, 384, 256}, 5, 4096);
    }

    /**
     * The same eleven layers with every kernel, stride and padding unchanged, sized for a CPU: a
     * quarter of the channels (24, 64, 96, 96, 64), 512 instead of 4096 hidden units, and inputs of
     * {@value #SMALL_INPUT}×{@value #SMALL_INPUT} instead of 224×224. Above 64 pixels is needed for the
     * three 3/2 max-pools to leave a map at all: 68 → 15 → 7 → 7 → 3 → 3 → 1, so the last feature map
     * is 64×1×1 (the book's is 256×5×5).
     */
    public static Sequential small() {
        return alexNet(new int[] {24, 64, 96, 96, 64}, 1, 512);
    }

    /** AlexNet with the given conv widths, last feature map side {@code side} and hidden width. */
    private static Sequential alexNet(int[] c, int side, int hidden) {
        Sequential net = new Sequential(
                // A large 11×11 window with stride 4 to shrink the image fast; many more channels than LeNet.
                new Conv2d(1, c[0], 11, 4, 1), new ReLU(),
                new MaxPool2d(3, 2),
                // Smaller window, padding 2 keeps height and width; more output channels.
                new Conv2d(c[0], c[1], 5, 1, 2), new ReLU(),
                new MaxPool2d(3, 2),
                // Three 3×3 convolutions in a row, then pooling.
                new Conv2d(c[1], c[2], 3, 1, 1), new ReLU(),
                new Conv2d(c[2], c[3], 3, 1, 1), new ReLU(),
                new Conv2d(c[3], c[4], 3, 1, 1), new ReLU(),
                new MaxPool2d(3, 2),
                new Flatten(),
                // Wide fully connected layers, dropout against overfitting.
                new Linear(c[4] * side * side, hidden), new ReLU(), new Dropout(0.5),
                new Linear(hidden, hidden), new ReLU(), new Dropout(0.5),
                new Linear(hidden, 10));
        net.apply(LeNet::xavierInit);
        return net;
    }
}
