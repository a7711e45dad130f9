package kindling.ops;

import kindling.autograd.Function;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The same elements in another shape: {@code view}, {@code reshape}, {@code flatten},
 * {@code squeeze}, {@code unsqueeze}.
 * <pre>
 *   forward:   y = x read as shape S'       (row-major order of elements unchanged)
 *   backward:  ∂L/∂x = (∂L/∂y) read as x's shape S
 * </pre>
 * A view when strides can express the new shape ({@link Shape#viewStrides}); otherwise
 * {@code view} fails and {@code reshape} copies first.
 */
public final class ReshapeOp extends Function {
    private int[] inputShape;

    public static Tensor apply(Tensor input, int[] requested, boolean copyIfNeeded) {
        String name = copyIfNeeded ? "reshape" : "view";
        int[] shape = Shape.inferSize(name, input.shape(), requested);
        int[] strides = Shape.viewStrides(input.shape(), input.stride(), shape);
        Tensor source = input;
        if (strides == null) {
            if (!copyIfNeeded) {
                throw new ShapeException("view: shape " + Shape.format(shape) + " is not compatible with the strides "
                        + Shape.format(input.stride()) + " of input " + Shape.format(input.shape())
                        + " (at least one dim spans two non-contiguous chunks); use reshape(...) instead");
            }
            source = CloneOp.apply(input);
            strides = Shape.contiguousStrides(shape);
        }
        Tensor result = source.detach().asStrided(shape, strides, source.storageOffset());
        if (!needsGrad(source)) {
            return result;
        }
        ReshapeOp op = new ReshapeOp();
        op.inputShape = source.shape();
        return op.record(result, source);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.reshape(inputShape)};
    }
}
