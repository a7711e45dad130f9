package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise maximum with broadcasting, as {@code torch.maximum}.
 * <pre>
 *   forward:   c = max(a, b)                  (NaN if either is NaN)
 *   backward:  ∂L/∂a = ∂L/∂c · [a > b] + ½ ∂L/∂c · [a = b]
 *              ∂L/∂b = ∂L/∂c · [b > a] + ½ ∂L/∂c · [a = b]
 * </pre>
 * On a tie the gradient is split half and half, as PyTorch does: each input is "the maximum"
 * equally, and the two halves still add up to ∂L/∂c.
 * Shape: a and b broadcast to c.
 */
public final class MaximumOp extends Function {
    private Saved a;
    private Saved b;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("maximum", a.shape(), b.shape());
        float[] x = a.broadcastData("maximum", shape);
        float[] y = b.broadcastData("maximum", shape);
        float[] out = new float[x.length];
        Elementwise.zip(Elementwise.Binary.MAXIMUM, x, y, out);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        MaximumOp op = new MaximumOp();
        op.a = op.save(a);
        op.b = op.save(b);
        return op.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = this.a.get();
        Tensor b = this.b.get();
        int[] shape = gradOutput.shape();
        float[] g = gradOutput.data();
        float[] x = a.broadcastData("maximum", shape);
        float[] y = b.broadcastData("maximum", shape);
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsInputGrad(0)) {
            float[] grad = new float[g.length];
            Elementwise.zip3(Elementwise.Ternary.MAXIMUM_GRAD_FIRST, g, x, y, grad);
            gradA = Broadcast.sumTo(Tensor.wrap(grad, shape), a.shape());
        }
        if (needsInputGrad(1)) {
            float[] grad = new float[g.length];
            Elementwise.zip3(Elementwise.Ternary.MAXIMUM_GRAD_SECOND, g, x, y, grad);
            gradB = Broadcast.sumTo(Tensor.wrap(grad, shape), b.shape());
        }
        return new Tensor[] {gradA, gradB};
    }
}
