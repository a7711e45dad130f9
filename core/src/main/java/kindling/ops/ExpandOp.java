package kindling.ops;

import kindling.autograd.Function;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Repeats size-1 dims without copying, by giving them stride 0.
 * <pre>
 *   forward:   y[..., i, ...] = x[..., 0, ...]   for every i along an expanded dim
 *   backward:  ∂L/∂x = Σ over the expanded dims of ∂L/∂y
 * </pre>
 * Shape: x (1, C) expanded to (N, C); new leading dims may be added; {@code -1} keeps a size.
 */
public final class ExpandOp extends Function {
    private int[] inputShape;

    public static Tensor apply(Tensor input, int[] requested) {
        int[] inShape = input.shape();
        int[] shape = requested.clone();
        int lead = shape.length - inShape.length;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1) {
                if (d < lead) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim in "
                            + Shape.format(requested));
                }
                shape[d] = inShape[d - lead];
            } else if (shape[d] < 0) {
                throw new IllegalArgumentException("expand: invalid size " + shape[d] + " in "
                        + Shape.format(requested));
            }
        }
        int[] strides = Shape.broadcastStrides("expand", inShape, input.stride(), shape);
        Tensor result = input.detach().asStrided(shape, strides, input.storageOffset());
        if (!needsGrad(input)) {
            return result;
        }
        ExpandOp op = new ExpandOp();
        op.inputShape = inShape;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {Broadcast.sumTo(gradOutput, inputShape)};
    }
}
