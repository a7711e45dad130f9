package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Every {@code step}-th element from {@code start} along one dim, {@code length} of them: the view
 * behind {@code narrow}, {@code slice} and {@code select}.
 * <pre>
 *   forward:   y[..., i, ...] = x[..., start + i·step, ...]
 *   backward:  ∂L/∂x = zeros, with ∂L/∂y written at the selected positions
 * </pre>
 */
public final class SliceOp extends Function {
    private int[] inputShape;
    private int dim;
    private int start;
    private int step;

    public static Tensor apply(Tensor input, int dim, int start, int length, int step) {
        int[] shape = input.shape();
        int[] strides = input.stride();
        int offset = input.storageOffset() + (length == 0 ? 0 : start * strides[dim]);
        shape[dim] = length;
        strides[dim] *= step;
        Tensor result = input.detach().asStrided(shape, strides, offset);
        if (!needsGrad(input)) {
            return result;
        }
        SliceOp op = new SliceOp();
        op.inputShape = input.shape();
        op.dim = dim;
        op.start = start;
        op.step = step;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gradInput = new float[Shape.numel(inputShape)];
        int[] strides = Shape.contiguousStrides(inputShape);
        int offset = start * strides[dim];
        strides[dim] *= step;
        StridedLoops.copy(gradOutput.shape(), gradOutput.storage(), gradOutput.storageOffset(), gradOutput.stride(),
                gradInput, gradOutput.numel() == 0 ? 0 : offset, strides);
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
