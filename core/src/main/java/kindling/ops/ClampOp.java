package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Clamps every element into [min, max], as {@code torch.clamp}; either bound may be ±∞.
 * <pre>
 *   forward:   y = min(max(x, min), max)
 *   backward:  ∂L/∂x = ∂L/∂y · [min ≤ x ≤ max]
 * </pre>
 * The gradient passes at the bounds themselves (x = min or x = max), as in PyTorch. When
 * min &gt; max every element becomes max and no gradient passes, also as PyTorch. NaN stays NaN.
 * Shape: any; y has the shape of x.
 */
public final class ClampOp extends Function {
    private Saved input;
    private float min;
    private float max;

    public static Tensor apply(Tensor input, float min, float max) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.clamp(x, min, max, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        ClampOp op = new ClampOp();
        op.input = op.save(input);
        op.min = min;
        op.max = max;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] gradInput = new float[g.length];
        Elementwise.clampBackward(g, x, min, max, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
