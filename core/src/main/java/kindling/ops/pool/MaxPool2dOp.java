package kindling.ops.pool;

import kindling.autograd.Function;
import kindling.kernels.PoolKernels;
import kindling.tensor.Tensor;

/**
 * 2-D max pooling over the last two dims, as PyTorch's {@code F.max_pool2d} (dilation 1, floor mode).
 * <pre>
 *   forward:   y[p, i, j] = max over the window  x[p, i·s − pad + a, j·s − pad + b],  0 ≤ a, b &lt; k
 *              (positions outside the input count as −∞, so padding never wins)
 *   backward:  ∂L/∂x[p, h, w] = Σ over windows whose argmax is (h, w) of ∂L/∂y[p, i, j]
 * </pre>
 * The argmax is the first maximum in row-major order within the window (a later equal value does
 * not replace it), as PyTorch's CPU kernel, so on ties the whole gradient goes to one element.
 * A NaN in the window wins (the last NaN, as PyTorch's CPU kernel's {@code val > max || isnan(val)}).
 *
 * <p>Shape: input (P..., H, W) — any leading dims, typically (N, C, H, W) or (C, H, W); output
 * (P..., H_out, W_out) with H_out = ⌊(H + 2·pad − k) / s⌋ + 1 (the same for W).
 *
 * <p>The loops are in {@link PoolKernels} (fast) and {@code PoolNaive} (textbook); forward keeps the
 * argmax as an int per output, so backward is a single scatter with no search. When no gradient is
 * needed (evaluation, {@code detach()}), forward computes the values alone: no argmax array, and a
 * kernel that does not have to carry indices.
 */
public final class MaxPool2dOp extends Function {
    private int[] argmax;           // per output element: flat index h·W + w of the winner in its plane
    private int[] inputShape;
    private int planeIn;            // H·W
    private int planeOut;           // H_out·W_out
    private int planes;             // the product of the leading dims

    /** Max-pools {@code input} (dims ≥ 2, output sizes ≥ 1 checked by the caller). */
    public static Tensor apply(Tensor input, int kernelSize, int stride, int padding) {
        int[] shape = input.shape();
        int dims = shape.length;
        int height = shape[dims - 2];
        int width = shape[dims - 1];
        int outHeight = PoolKernels.outputSize(height, kernelSize, stride, padding);
        int outWidth = PoolKernels.outputSize(width, kernelSize, stride, padding);
        int planes = height * width == 0 ? 0 : input.numel() / (height * width);
        float[] out = new float[planes * outHeight * outWidth];
        boolean recording = needsGrad(input);
        int[] argmax = recording ? new int[out.length] : null;   // no backward coming: values alone
        PoolKernels.maxPool2dForward(input.data(), planes, height, width, kernelSize, stride, padding,
                out, argmax, outHeight, outWidth);
        int[] outShape = shape.clone();
        outShape[dims - 2] = outHeight;
        outShape[dims - 1] = outWidth;
        Tensor result = Tensor.wrap(out, outShape);
        if (!recording) {
            return result;
        }
        MaxPool2dOp op = new MaxPool2dOp();
        op.argmax = argmax;
        op.inputShape = shape;
        op.planeIn = height * width;
        op.planeOut = outHeight * outWidth;
        op.planes = planes;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gradInput = PoolKernels.maxPool2dBackward(gradOutput.data(), argmax, planes, planeIn, planeOut);
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
