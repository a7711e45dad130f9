package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
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
        float[] values = new float[1];
        // The whole tensor as one slice: the first winner, a NaN beating every number.
        DimReductions.extreme(x, values, new float[1], 1, x.length, 1, largest);
        float best = values[0];
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
        float[] gradInput = new float[x.length];
        DimReductions.tiesBackward(x, extreme, gradOutput.item(), gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, input.shape())};
    }
}
