package kindling.ops.loss;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities, element by element, with PyTorch's guards at 0 and 1.
 * <pre>
 *   forward:   ℓ = −(y · max(log x, −100) + (1 − y) · max(log(1 − x), −100))
 *   backward:  ∂L/∂x = ∂L/∂ℓ · (x − y) / max((1 − x) · x, 1e−12)
 * </pre>
 * The clamp at −100 keeps ℓ finite when x is exactly 0 or 1 (log 0 = −∞); the floor of 1e−12 keeps
 * the gradient finite there. Both are PyTorch's ({@code binary_cross_entropy} in ATen's Loss.cpp), so a
 * composition of log and clamp would not match it at the ends. The target gets no gradient, as in
 * PyTorch 1.13. Shape: x and y the same, any; ℓ the same.
 */
public final class BinaryCrossEntropyOp extends Function {
    private static final double EPSILON = 1e-12;
    private Saved input;
    private Saved target;

    public static Tensor apply(Tensor input, Tensor target) {
        float[] x = input.data();
        float[] y = target.data();
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double logX = Math.max(Math.log(x[i]), -100.0);
            double logOneMinusX = Math.max(Math.log1p(-x[i]), -100.0);
            out[i] = (float) -(y[i] * logX + (1 - y[i]) * logOneMinusX);
        }
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        BinaryCrossEntropyOp op = new BinaryCrossEntropyOp();
        op.input = op.save(input);
        op.target = op.save(target);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] y = target.get().data();
        float[] gradInput = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = (float) (g[i] * (x[i] - y[i]) / Math.max((1.0 - x[i]) * x[i], EPSILON));
        }
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
