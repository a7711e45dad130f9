package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise sum with broadcasting.
 * <pre>
 *   forward:   c = a + b
 *   backward:  ∂L/∂a = ∂L/∂c,  ∂L/∂b = ∂L/∂c    (each summed back over its broadcast dims)
 * </pre>
 * Shape: a and b broadcast to c.
 */
public final class AddOp extends Function {
    private int[] aShape;
    private int[] bShape;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("add", a.shape(), b.shape());
        float[] out = Broadcast.zip("add", Elementwise.Binary.ADD, a, b, shape);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        AddOp op = new AddOp();
        op.aShape = a.shape();
        op.bShape = b.shape();
        return op.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {
            needsInputGrad(0) ? Broadcast.sumTo(gradOutput, aShape) : null,
            needsInputGrad(1) ? Broadcast.sumTo(gradOutput, bShape) : null,
        };
    }
}
