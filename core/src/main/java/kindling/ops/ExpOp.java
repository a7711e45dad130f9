package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Elementwise exponential.
 * <pre>
 *   forward:   y = eˣ
 *   backward:  ∂L/∂x = ∂L/∂y · y
 * </pre>
 * ∂L/∂x is written over ∂L/∂y itself when the backward walk says no one else can see it
 * ({@code Function.mayOverwriteGradOutput}), saving a new array as large as the activation.
 * Shape: any; y has the shape of x.
 */
public final class ExpOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.EXP, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        ExpOp op = new ExpOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = gradInputArray(gradOutput);   // g itself if no one else sees it
        Elementwise.derivative(Elementwise.Derivative.EXP, g, y, gradInput);
        return new Tensor[] {gradInputTensor(gradInput, gradOutput)};
    }
}
