package kindling.ops;

import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise comparisons with broadcasting, giving masks of 0 and 1 as float, as
 * {@code torch.eq(a, b).float()} and its siblings.
 * <pre>
 *   eq: a = b    ne: a ≠ b    lt: a &lt; b    le: a ≤ b    gt: a &gt; b    ge: a ≥ b
 * </pre>
 * Not differentiable (the derivative is 0 almost everywhere), so the result never requires grad;
 * multiply by a mask to let gradients through selected elements. Any comparison with NaN is false
 * except {@code ne}, as in IEEE 754. Shape: a and b broadcast to the mask.
 */
public final class Comparison {
    /** Which relation to test. */
    public enum Kind { EQ, NE, LT, LE, GT, GE }

    private Comparison() {
    }

    public static Tensor apply(Kind kind, Tensor a, Tensor b) {
        String op = kind.name().toLowerCase(java.util.Locale.ROOT);
        int[] shape = Shape.broadcast(op, a.shape(), b.shape());
        float[] x = a.broadcastData(op, shape);
        float[] y = b.broadcastData(op, shape);
        float[] out = new float[x.length];
        Elementwise.zip(Elementwise.Binary.valueOf(kind.name()), x, y, out);     // the same names, one loop each
        return Tensor.wrap(out, shape);
    }
}
