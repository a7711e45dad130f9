package kindling.data.transforms;

import kindling.data.Transform;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Pads the image with zeros and cuts out a window of a fixed size at a random place, as torchvision's
 * {@code transforms.RandomCrop(size, padding)} with {@code fill=0, padding_mode='constant'}:
 * <pre>
 *   padded = x with {@code padding} zero rows and columns added on every side    (C, H + 2p, W + 2p)
 *   top  ~ U{0, ..., H + 2p − height}     left ~ U{0, ..., W + 2p − width}     (drawn in that order)
 *   out[c, i, j] = padded[c, top + i, left + j]
 *                = x[c, top + i − p, left + j − p]   when inside x, else 0
 * </pre>
 * Shape: (C, H, W) → (C, height, width). The window must fit: height ≤ H + 2p, width ≤ W + 2p.
 * The offsets come from the given generator, so a seed fixes every crop of a run. A common use is
 * {@code RandomCrop(28, 4)} on 28×28 images: shifts of up to 4 pixels in each direction.
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;
    private final Generator generator;

    /** A square window {@code size × size}. */
    public RandomCrop(int size, int padding, Generator generator) {
        this(size, size, padding, generator);
    }

    public RandomCrop(int height, int width, int padding, Generator generator) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("RandomCrop: size must be at least 1, got (" + height + ", " + width
                    + ")");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding must be non-negative, got " + padding);
        }
        if (generator == null) {
            throw new IllegalArgumentException("RandomCrop: generator must not be null");
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.generator = generator;
    }

    @Override
    public Tensor apply(Tensor image) {
        float[] in = Images.pixels(toString(), image);
        int channels = image.size(0);
        int inH = image.size(1);
        int inW = image.size(2);
        if (height > inH + 2 * padding || width > inW + 2 * padding) {
            throw new ShapeException(this + ": the window does not fit in the padded image of "
                    + Shape.format(image.shape()) + " (" + (inH + 2 * padding) + "×" + (inW + 2 * padding) + ")");
        }
        int top = generator.nextInt(inH + 2 * padding - height + 1);
        int left = generator.nextInt(inW + 2 * padding - width + 1);
        return crop(in, channels, inH, inW, top - padding, left - padding);
    }

    /**
     * The window whose top-left corner is at (y, x) of the unpadded image (negative: in the padding);
     * rows and columns outside the image are 0.
     */
    private Tensor crop(float[] in, int channels, int inH, int inW, int y, int x) {
        float[] out = new float[channels * height * width];     // zeros: the padding
        // Only columns x + j in [0, inW) come from the image: j in [firstJ, endJ).
        int firstJ = Math.max(0, -x);
        int endJ = Math.min(width, inW - x);
        for (int c = 0; c < channels; c++) {                    // each channel
            for (int i = 0; i < height; i++) {                  // each output row ...
                int source = y + i;
                if (source < 0 || source >= inH || firstJ >= endJ) {
                    continue;                                   // ... that lies in the padding stays 0
                }
                System.arraycopy(in, (c * inH + source) * inW + x + firstJ,
                        out, (c * height + i) * width + firstJ, endJ - firstJ);
            }
        }
        return Tensor.wrap(out, channels, height, width);
    }

    @Override
    public String toString() {
        return "RandomCrop(size=(" + height + ", " + width + "), padding=" + padding + ")";
    }
}
