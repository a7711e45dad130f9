package kindling.examples.models;

import kindling.nn.BatchNorm2d;
import kindling.nn.Conv2d;
import kindling.nn.ConvTranspose2d;
import kindling.nn.Flatten;
import kindling.nn.LeakyReLU;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.nn.Tanh;
import kindling.nn.init.Init;

/**
 * DCGAN (Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
 * Generative Adversarial Networks", 2016) sized for 28×28 grey images, and the small MLP pair that
 * plays the same game in the plane.
 * <pre>
 *   generator G, width w (the paper's ngf):
 *     z (N, nz, 1, 1)
 *     ConvTranspose2d(nz, 2w, k=7)            → (N, 2w, 7, 7)     BatchNorm2d  ReLU
 *     ConvTranspose2d(2w, w, k=4, s=2, p=1)   → (N, w, 14, 14)    BatchNorm2d  ReLU
 *     ConvTranspose2d(w, 1, k=4, s=2, p=1)    → (N, 1, 28, 28)    Tanh          images in [−1, 1]
 *   discriminator D, width w (ndf):
 *     x (N, 1, 28, 28)
 *     Conv2d(1, w, k=4, s=2, p=1)             → (N, w, 14, 14)    LeakyReLU(0.2)
 *     Conv2d(w, 2w, k=4, s=2, p=1)            → (N, 2w, 7, 7)     BatchNorm2d  LeakyReLU(0.2)
 *     Conv2d(2w, 1, k=7)  Flatten             → (N, 1)            one logit: "real" if positive
 * </pre>
 * The paper's guidelines, all kept: strided (transposed) convolutions instead of pooling, batch
 * normalisation in both networks except G's output and D's input layer, ReLU in G with Tanh at the
 * output, LeakyReLU(0.2) in D, no fully connected hidden layers, and weights drawn from N(0, 0.02)
 * (BatchNorm scales from N(1, 0.02), its shifts 0) — {@link #dcganInit}. D ends in a logit rather than
 * the paper's sigmoid, so the loss is {@code BCEWithLogitsLoss}, which is the same maths computed
 * without taking log 0.
 */
public final class DcGan {
    private DcGan() {
    }

    /** The generator: noise (N, nz, 1, 1) to images (N, 1, 28, 28) in [−1, 1]. */
    public static Sequential generator(int nz, int width) {
        Sequential g = new Sequential(
                new ConvTranspose2d(nz, 2 * width, 7), new BatchNorm2d(2 * width), new ReLU(),
                new ConvTranspose2d(2 * width, width, 4, 2, 1), new BatchNorm2d(width), new ReLU(),
                new ConvTranspose2d(width, 1, 4, 2, 1), new Tanh());
        g.apply(DcGan::dcganInit);
        return g;
    }

    /** The discriminator: images (N, 1, 28, 28) to one logit each, (N, 1). */
    public static Sequential discriminator(int width) {
        Sequential d = new Sequential(
                new Conv2d(1, width, 4, 2, 1), new LeakyReLU(0.2),
                new Conv2d(width, 2 * width, 4, 2, 1), new BatchNorm2d(2 * width), new LeakyReLU(0.2),
                new Conv2d(2 * width, 1, 7), new Flatten());
        d.apply(DcGan::dcganInit);
        return d;
    }

    /**
     * A generator for points in the plane: z (N, nz) → Linear → ReLU → Linear → ReLU → Linear → (N, 2).
     * PyTorch's default initialisation; no normalisation, as in the GAN paper's toy experiments.
     */
    public static Sequential pointGenerator(int nz, int hidden) {
        return new Sequential(new Linear(nz, hidden), new ReLU(), new Linear(hidden, hidden), new ReLU(),
                new Linear(hidden, 2));
    }

    /** A discriminator for points in the plane: (N, 2) → Linear → LeakyReLU(0.2) → ... → one logit (N, 1). */
    public static Sequential pointDiscriminator(int hidden) {
        return new Sequential(new Linear(2, hidden), new LeakyReLU(0.2), new Linear(hidden, hidden),
                new LeakyReLU(0.2), new Linear(hidden, 1));
    }

    /**
     * The DCGAN paper's {@code weights_init}: every convolution's weight from N(0, 0.02); BatchNorm's
     * weight from N(1, 0.02) and its bias 0. Convolution biases keep PyTorch's default.
     */
    public static void dcganInit(Module module) {
        if (module instanceof Conv2d conv) {
            Init.normal_(conv.weight, 0.0, 0.02);
        } else if (module instanceof ConvTranspose2d conv) {
            Init.normal_(conv.weight, 0.0, 0.02);
        } else if (module instanceof BatchNorm2d norm) {
            Init.normal_(norm.weight, 1.0, 0.02);
            Init.zeros_(norm.bias);
        }
    }
}
