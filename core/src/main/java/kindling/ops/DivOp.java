package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise quotient with broadcasting.
 * <pre>
 *   forward:   c = a / b
 *   backward:  ∂L/∂a = ∂L/∂c / b,   ∂L/∂b = −∂L/∂c · a / b²    (each summed back over its broadcast dims)
 * </pre>
 * Division by zero follows IEEE 754 as PyTorch does: 1/0 = ∞, 0/0 = NaN, and so do the gradients.
 * Shape: a and b broadcast to c.
 */
public final class DivOp extends Function {
    private Saved a;
    private Saved b;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("div", a.shape(), b.shape());
        float[] out = Broadcast.zip("div", Elementwise.Binary.DIV, a, b, shape);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        DivOp op = new DivOp();
        op.a = op.save(a);
        op.b = op.save(b);
        return op.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = this.a.get();
        Tensor b = this.b.get();
        // −g · (a / b) / b rather than −g · a / b², in PyTorch's order: b² overflows sooner.
        return new Tensor[] {
            needsInputGrad(0) ? Broadcast.sumTo(gradOutput.div(b), a.shape()) : null,
            needsInputGrad(1) ? Broadcast.sumTo(gradOutput.neg().mul(a.div(b).div(b)), b.shape()) : null,
        };
    }
}
