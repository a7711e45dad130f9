package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Elementwise square root.
 * <pre>
 *   forward:   y = √x                    (NaN below 0)
 *   backward:  ∂L/∂x = ∂L/∂y / (2y)       (∞ at x = 0, as PyTorch)
 * </pre>
 * Shape: any; y has the shape of x.
 */
public final class SqrtOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.SQRT, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        SqrtOp op = new SqrtOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = new float[g.length];
        Elementwise.derivative(Elementwise.Derivative.SQRT, g, y, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
