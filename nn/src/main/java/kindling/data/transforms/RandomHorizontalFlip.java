package kindling.data.transforms;

import kindling.data.Transform;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Mirrors the image left to right with probability p, as torchvision's
 * {@code transforms.RandomHorizontalFlip(p=0.5)}:
 * <pre>
 *   u ~ U[0, 1)       (one draw per image, always)
 *   out[c, h, w] = x[c, h, W − 1 − w]   if u &lt; p,   else x[c, h, w]
 * </pre>
 * Shape: (C, H, W) → (C, H, W). The draw comes from the given generator, so a seed fixes every flip.
 */
public final class RandomHorizontalFlip implements Transform {
    private final float p;
    private final Generator generator;

    /** PyTorch's default p = 0.5. */
    public RandomHorizontalFlip(Generator generator) {
        this(0.5f, generator);
    }

    public RandomHorizontalFlip(float p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        if (generator == null) {
            throw new IllegalArgumentException("RandomHorizontalFlip: generator must not be null");
        }
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor apply(Tensor image) {
        float[] x = Images.pixels("RandomHorizontalFlip", image);
        if (generator.nextFloat() < p) {
            flipRows(x, image.size(0) * image.size(1), image.size(2));
        }
        return Tensor.wrap(x, image.shape());
    }

    /** Reverses each of the {@code rows} rows of {@code width} values in place. */
    static void flipRows(float[] x, int rows, int width) {
        for (int r = 0; r < rows; r++) {                      // every row of every channel
            int a = r * width;
            int b = a + width - 1;
            for (; a < b; a++, b--) {                         // swap from both ends toward the middle
                float t = x[a];
                x[a] = x[b];
                x[b] = t;
            }
        }
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
