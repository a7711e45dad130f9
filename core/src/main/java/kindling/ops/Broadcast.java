package kindling.ops;

import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * The backward half of broadcasting. When {@code x} of shape (3,) was broadcast to (4, 3) in the
 * forward pass, each x[j] was used four times, so its gradient is the sum of the four gradients:
 * <pre>
 *   forward:   y[i][j] = x[j]           (x broadcast over i)
 *   backward:  ∂L/∂x[j] = Σ_i ∂L/∂y[i][j]
 * </pre>
 * Used inside backward, where recording is off.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /** Sums {@code grad} over the dims along which {@code shape} was broadcast to reach grad's shape. */
    public static Tensor sumTo(Tensor grad, int[] shape) {
        int[] gradShape = grad.shape();
        if (Shape.same(gradShape, shape)) {
            return grad;
        }
        float[] out = new float[Shape.numel(shape)];
        // Writing through zero strides along the broadcast dims adds every copy into one element.
        int[] outStrides = Shape.broadcastStrides("sumTo", shape, Shape.contiguousStrides(shape), gradShape);
        StridedLoops.accumulate(gradShape, grad.storage(), grad.storageOffset(), grad.stride(),
                out, 0, outStrides);
        return Tensor.wrap(out, shape);
    }
}
