package kindling.nn;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Upsampling by a scale factor, as PyTorch's {@code nn.Upsample(scale_factor=s, mode=...)}: the
 * decoder half of a U-Net doubles the resolution with it before a convolution.
 *
 * <p>Output size along each spatial dim: {@code out = ⌊in · s⌋}. Each output index o is mapped to a
 * source coordinate with the same rule as PyTorch (scale r = 1/s, because the scale factor is given):
 * <pre>
 *   "nearest":                       y[o] = x[min(⌊o · r⌋, in − 1)]
 *   "bilinear", alignCorners=false:  u = max((o + ½) · r − ½, 0)         (pixel centres line up)
 *   "bilinear", alignCorners=true:   u = o · (in − 1)/(out − 1)           (corner pixels line up)
 *                                    i = ⌊u⌋,  λ = u − i,  y[o] = (1 − λ) · x[i] + λ · x[min(i + 1, in − 1)]
 * </pre>
 * Bilinear interpolation is separable: it is the product y = A_H · x · A_Wᵀ with the interpolation
 * matrices A (out, in) that hold the weights (1 − λ, λ) above. Nearest is a selection of indices along
 * each spatial dim. Both are built from differentiable tensor ops ({@link Tensor#indexSelect},
 * {@link Tensor#matmul}), so the gradient is the autograd's: each input pixel receives the sum of
 * the gradients of the output pixels it was copied or blended into.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>"nearest": input (N, C, L) or (N, C, H, W); output (N, C, ⌊L·s⌋) or (N, C, ⌊H·s⌋, ⌊W·s⌋);
 *   <li>"bilinear": input (N, C, H, W); output (N, C, ⌊H·s⌋, ⌊W·s⌋).
 * </ul>
 * No parameters.
 */
public class Upsample extends Module {
    private final double scaleFactor;
    private final String mode;
    private final boolean alignCorners;

    /** Nearest-neighbour upsampling by {@code scaleFactor}, e.g. 2. */
    public Upsample(double scaleFactor) {
        this(scaleFactor, "nearest");
    }

    /** {@code mode} is "nearest" or "bilinear" (with alignCorners = false, PyTorch's default). */
    public Upsample(double scaleFactor, String mode) {
        this(scaleFactor, mode, false);
    }

    /** {@code alignCorners} may only be true for "bilinear", as in PyTorch. */
    public Upsample(double scaleFactor, String mode, boolean alignCorners) {
        if (!(scaleFactor > 0) || Double.isInfinite(scaleFactor)) {
            throw new IllegalArgumentException("Upsample: scaleFactor must be a positive number, got " + scaleFactor);
        }
        if (!"nearest".equals(mode) && !"bilinear".equals(mode)) {
            throw new IllegalArgumentException("Upsample: mode must be \"nearest\" or \"bilinear\", got " + mode);
        }
        if (alignCorners && "nearest".equals(mode)) {
            throw new IllegalArgumentException("Upsample: alignCorners only applies to mode \"bilinear\", not \"nearest\"");
        }
        this.scaleFactor = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    public double scaleFactor() {
        return scaleFactor;
    }

    public String mode() {
        return mode;
    }

    @Override
    public Tensor forward(Tensor input) {
        int rank = input.dim();
        boolean nearest = "nearest".equals(mode);
        if (nearest ? rank != 3 && rank != 4 : rank != 4) {
            throw new ShapeException(describe() + ": expected input " + (nearest ? "(N, C, L) or (N, C, H, W)" : "(N, C, H, W)")
                    + " but got " + Shape.format(input.shape()));
        }
        Tensor result = input;
        for (int dim = 2; dim < rank; dim++) {
            int in = input.size(dim);
            int out = (int) Math.floor(in * scaleFactor);
            if (out <= 0) {
                throw new ShapeException(describe() + ": input " + Shape.format(input.shape())
                        + " gives an empty output along dim " + dim);
            }
            result = nearest
                    ? result.indexSelect(dim, nearestIndices(in, out))
                    : interpolateAlong(result, dim, interpolationMatrix(in, out));
        }
        return result;
    }

    /** The source index of each output index; in float arithmetic as PyTorch's kernel, so ties round alike. */
    private Tensor nearestIndices(int in, int out) {
        float scale = (float) (1.0 / scaleFactor);
        float[] index = new float[out];
        for (int o = 0; o < out; o++) {
            index[o] = Math.min((int) Math.floor(o * scale), in - 1);
        }
        return Tensor.of(index, out);
    }

    /** A (out, in): row o holds the two weights (1 − λ, λ) that blend x[i] and x[i + 1] into y[o]. */
    private Tensor interpolationMatrix(int in, int out) {
        float[] a = new float[out * in];
        float scale = alignCorners
                ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f)
                : (float) (1.0 / scaleFactor);
        for (int o = 0; o < out; o++) {
            float u = alignCorners ? o * scale : Math.max((o + 0.5f) * scale - 0.5f, 0f);
            int i = Math.min((int) u, in - 1);
            int next = i < in - 1 ? i + 1 : i;
            float lambda = u - i;
            a[o * in + i] += 1f - lambda;
            a[o * in + next] += lambda;
        }
        return Tensor.of(a, out, in);
    }

    /** Applies A (out, in) along {@code dim} (2 or 3) of an (N, C, H, W) tensor. */
    private static Tensor interpolateAlong(Tensor x, int dim, Tensor a) {
        return dim == 3
                ? x.matmul(a.t())          // (N, C, H, W) · (W, W_out)
                : a.matmul(x);             // (H_out, H) · (N, C, H, W_out), broadcast over N and C
    }

    /** As PyTorch: {@code scale_factor=2.0, mode=nearest}. */
    @Override
    public String extraRepr() {
        return "scale_factor=" + PyRepr.floatRepr(scaleFactor) + ", mode=" + mode;
    }
}
