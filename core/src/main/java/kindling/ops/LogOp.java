package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Elementwise natural logarithm.
 * <pre>
 *   forward:   y = ln x                  (−∞ at 0, NaN below)
 *   backward:  ∂L/∂x = ∂L/∂y / x
 * </pre>
 * Shape: any; y has the shape of x.
 */
public final class LogOp extends Function {
    private Saved input;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.LOG, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        LogOp op = new LogOp();
        op.input = op.save(input);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] gradInput = new float[g.length];
        Elementwise.derivative(Elementwise.Derivative.LOG, g, x, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
