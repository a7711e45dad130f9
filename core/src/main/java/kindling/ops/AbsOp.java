package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Elementwise absolute value.
 * <pre>
 *   forward:   y = |x|
 *   backward:  ∂L/∂x = ∂L/∂y · sign(x)    (0 at x = 0, as PyTorch)
 * </pre>
 * Shape: any; y has the shape of x.
 */
public final class AbsOp extends Function {
    private Saved input;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.ABS, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        AbsOp op = new AbsOp();
        op.input = op.save(input);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] gradInput = new float[g.length];
        Elementwise.derivative(Elementwise.Derivative.ABS, g, x, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
