package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise product with broadcasting.
 * <pre>
 *   forward:   c = a · b
 *   backward:  ∂L/∂a = ∂L/∂c · b,   ∂L/∂b = ∂L/∂c · a    (each summed back over its broadcast dims)
 * </pre>
 * Shape: a and b broadcast to c.
 */
public final class MulOp extends Function {
    private Saved a;
    private Saved b;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("mul", a.shape(), b.shape());
        float[] out = Broadcast.zip("mul", Elementwise.Binary.MUL, a, b, shape);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        MulOp op = new MulOp();
        op.a = op.save(a);
        op.b = op.save(b);
        return op.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = this.a.get();
        Tensor b = this.b.get();
        return new Tensor[] {
            needsInputGrad(0) ? Broadcast.sumTo(gradOutput.mul(b), a.shape()) : null,
            needsInputGrad(1) ? Broadcast.sumTo(gradOutput.mul(a), b.shape()) : null,
        };
    }
}
