package kindling.data.transforms;

import java.util.Arrays;
import kindling.data.Transform;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Standardises each channel with a fixed mean and standard deviation, as torchvision's
 * {@code transforms.Normalize(mean, std)}:
 * <pre>
 *   out[c, h, w] = (x[c, h, w] − mean[c]) / std[c]
 * </pre>
 * Shape: (C, H, W) → (C, H, W). mean and std have C entries, or one entry used for every channel.
 * For Fashion-MNIST scaled to [0, 1] the usual values are mean 0.2860, std 0.3530 (MNIST: 0.1307, 0.3081).
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std must have the same, non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (s == 0 || Float.isNaN(s)) {
                throw new IllegalArgumentException("Normalize: std must not be 0, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public Tensor apply(Tensor image) {
        float[] x = Images.pixels("Normalize", image);
        int channels = image.size(0);
        if (mean.length != 1 && mean.length != channels) {
            throw new ShapeException("Normalize(" + mean.length + " channels): expected an image ("
                    + mean.length + ", H, W) but got " + Shape.format(image.shape()));
        }
        int plane = image.size(1) * image.size(2);
        for (int c = 0; c < channels; c++) {                  // one channel at a time
            float m = mean[mean.length == 1 ? 0 : c];
            float s = std[std.length == 1 ? 0 : c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {   // every pixel of the channel
                x[i] = (x[i] - m) / s;
            }
        }
        return Tensor.wrap(x, image.shape());
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
