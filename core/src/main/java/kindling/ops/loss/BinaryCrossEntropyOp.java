package kindling.ops.loss;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
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
    private Saved input;
    private Saved target;

    public static Tensor apply(Tensor input, Tensor target) {
        float[] x = input.data();
        float[] y = target.data();
        float[] out = new float[x.length];
        Elementwise.zip(Elementwise.Binary.BINARY_CROSS_ENTROPY, x, y, out);
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
        Elementwise.zip3(Elementwise.Ternary.BINARY_CROSS_ENTROPY_GRAD, g, x, y, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
