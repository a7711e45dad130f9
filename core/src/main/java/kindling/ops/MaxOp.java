package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Tensor;

/**
 * The largest (or smallest) of all elements, as {@code torch.max(x)} / {@code torch.min(x)}.
 * <pre>
 *   forward:   y = max_i x[i]                   (min_i x[i] when not largest; NaN if any x[i] is NaN)
 *   backward:  ∂L/∂x[i] = ∂L/∂y / t   where x[i] = y,   else 0       t = number of ties
 * </pre>
 * Shape: any → () (a 0-dim tensor).
 * With ties the gradient is shared evenly among the tied elements, as PyTorch 1.13 does for the
 * full reduction; {@link MaxDimOp} (a reduction along one dim) instead sends it all to one index.
 */
public final class MaxOp extends Function {
    private Saved input;
    private float extreme;

    public static Tensor apply(Tensor input, boolean largest) {
        String name = largest ? "max" : "min";
        Reductions.requireNonEmpty(name, input.shape(), input.numel());
        float[] x = input.data();
        float best = x[0];
        for (int i = 1; i < x.length; i++) {
            if (MaxDimOp.beats(x[i], best, largest)) {
                best = x[i];
            }
        }
        Tensor result = Tensor.scalar(best);
        if (!needsGrad(input)) {
            return result;
        }
        MaxOp op = new MaxOp();
        op.input = op.save(input);
        op.extreme = best;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor input = this.input.get();
        float[] x = input.data();
        int ties = 0;
        for (float v : x) {
            ties += sameValue(v, extreme) ? 1 : 0;
        }
        float share = gradOutput.item() / ties;
        float[] gradInput = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            gradInput[i] = sameValue(x[i], extreme) ? share : 0f;
        }
        return new Tensor[] {Tensor.wrap(gradInput, input.shape())};
    }

    /** Equality that also matches NaN with NaN, so a NaN maximum gets its gradient. */
    private static boolean sameValue(float a, float b) {
        return a == b || (Float.isNaN(a) && Float.isNaN(b));
    }
}
