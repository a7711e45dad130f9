package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise minimum with broadcasting, as {@code torch.minimum}.
 * <pre>
 *   forward:   c = min(a, b)                  (NaN if either is NaN)
 *   backward:  ∂L/∂a = ∂L/∂c · [a &lt; b] + ½ ∂L/∂c · [a = b]
 *              ∂L/∂b = ∂L/∂c · [b &lt; a] + ½ ∂L/∂c · [a = b]
 * </pre>
 * On a tie the gradient is split half and half, as PyTorch does: each input is "the minimum"
 * equally, and the two halves still add up to ∂L/∂c.
 * Shape: a and b broadcast to c.
 */
public final class MinimumOp extends Function {
    private Saved a;
    private Saved b;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("minimum", a.shape(), b.shape());
        float[] x = a.broadcastData("minimum", shape);
        float[] y = b.broadcastData("minimum", shape);
        float[] out = new float[x.length];
        Elementwise.zip(Elementwise.Binary.MINIMUM, x, y, out);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        MinimumOp op = new MinimumOp();
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
        float[] x = a.broadcastData("minimum", shape);
        float[] y = b.broadcastData("minimum", shape);
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsInputGrad(0)) {
            float[] grad = new float[g.length];
            Elementwise.zip3(Elementwise.Ternary.MINIMUM_GRAD_FIRST, g, x, y, grad);
            gradA = Broadcast.sumTo(Tensor.wrap(grad, shape), a.shape());
        }
        if (needsInputGrad(1)) {
            float[] grad = new float[g.length];
            Elementwise.zip3(Elementwise.Ternary.MINIMUM_GRAD_SECOND, g, x, y, grad);
            gradB = Broadcast.sumTo(Tensor.wrap(grad, shape), b.shape());
        }
        return new Tensor[] {gradA, gradB};
    }
}
