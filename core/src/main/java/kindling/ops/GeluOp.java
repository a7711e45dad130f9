package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel 2016, arXiv:1606.08415), as
 * {@code torch.nn.functional.gelu}.
 * <pre>
 *   exact (default):  y = x · Φ(x),   Φ(x) = ½ erfc(−x/√2),   φ(x) = e^(−x²/2) / √(2π)
 *                     ∂L/∂x = ∂L/∂y · (Φ(x) + x · φ(x))
 *   tanh:             u = √(2/π) · (x + 0.044715 x³),   y = ½ x (1 + tanh u)
 *                     ∂L/∂x = ∂L/∂y · (½ (1 + tanh u) + ½ x (1 − tanh² u) · √(2/π) (1 + 3 · 0.044715 x²))
 * </pre>
 * The tanh form is PyTorch's {@code approximate='tanh'} (the one GPT-2 used); the exact form is the default.
 * Φ is computed through erfc, not as ½ (1 + erf): for negative x, 1 + erf(x) cancels to nothing
 * while erfc keeps its relative accuracy, so y stays accurate far into the left tail.
 * ∂L/∂x is written over ∂L/∂y itself when the backward walk says no one else can see it
 * ({@code Function.mayOverwriteGradOutput}), saving a new array as large as the activation.
 * Shape: any; y has the shape of x.
 */
public final class GeluOp extends Function {
    private Saved input;
    private boolean tanhApproximation;

    public static Tensor apply(Tensor input, boolean tanhApproximation) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(tanhApproximation ? Elementwise.Unary.GELU_TANH : Elementwise.Unary.GELU, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        GeluOp op = new GeluOp();
        op.input = op.save(input);
        op.tanhApproximation = tanhApproximation;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        Elementwise.Derivative slope = tanhApproximation ? Elementwise.Derivative.GELU_TANH : Elementwise.Derivative.GELU;
        float[] gradInput = gradInputArray(gradOutput);   // g itself if no one else sees it
        Elementwise.derivative(slope, g, x, gradInput);
        return new Tensor[] {gradInputTensor(gradInput, gradOutput)};
    }

    /** erfc(x) = 1 − erf(x), to a relative 1.2e-7: {@link Elementwise#erfc}, where its fit is written out. */
    static double erfc(double x) {
        return Elementwise.erfc(x);
    }
}
