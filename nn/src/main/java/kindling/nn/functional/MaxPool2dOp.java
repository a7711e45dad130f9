package kindling.nn.functional;

import kindling.autograd.Function;
import kindling.kernels.Threads;
import kindling.tensor.Tensor;

/**
 * 2-D max pooling over the last two dims, as PyTorch's {@code F.max_pool2d} (dilation 1, floor mode).
 * <pre>
 *   forward:   y[p, i, j] = max over the window  x[p, i·s − pad + a, j·s − pad + b],  0 ≤ a, b < k
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
 * <p>The loops are already the fast order: one pass over each output element, the window clipped
 * to the input once per row and column (so no bounds test in the innermost loop), and the argmax
 * kept as an int per output so backward is a single scatter with no search. Planes run in parallel
 * ({@link Threads}); each plane is one thread's, so the result is the same for any thread count.
 */
final class MaxPool2dOp extends Function {
    private int[] argmax;           // per output element: flat index h·W + w of the winner in its plane
    private int[] inputShape;
    private int planeIn;            // H·W
    private int planeOut;           // H_out·W_out
    private int planes;             // the product of the leading dims

    /** Max-pools {@code input} (dims ≥ 2, output sizes ≥ 1 checked by the caller). */
    static Tensor apply(Tensor input, int kernelSize, int stride, int padding) {
        int[] shape = input.shape();
        int dims = shape.length;
        int height = shape[dims - 2];
        int width = shape[dims - 1];
        int outHeight = Pooling.outputSize(height, kernelSize, stride, padding);
        int outWidth = Pooling.outputSize(width, kernelSize, stride, padding);
        int planes = height * width == 0 ? 0 : input.numel() / (height * width);
        float[] x = input.data();
        float[] out = new float[planes * outHeight * outWidth];
        int[] argmax = new int[out.length];
        // Planes are independent: whole planes go to the threads, so results do not depend on their number.
        Threads.parallelFor(planes, p -> poolPlane(x, p * height * width, height, width, kernelSize, stride, padding,
                out, argmax, p * outHeight * outWidth, outHeight, outWidth));
        int[] outShape = shape.clone();
        outShape[dims - 2] = outHeight;
        outShape[dims - 1] = outWidth;
        Tensor result = Tensor.wrap(out, outShape);
        if (!needsGrad(input)) {
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

    /**
     * Max-pools one (H, W) plane of {@code x} starting at {@code inBase} into {@code out} and
     * {@code argmax} at {@code outBase}. On random data the comparison is unpredictable, and the
     * mispredicted branch, not the memory traffic, is what this loop spends its time on (about 5 ns
     * an element here); neither conditional-move selects nor swapping the loops so that the output
     * columns are innermost made it faster on JDK 17 (measured with {@code PoolNormBenchmark}).
     */
    private static void poolPlane(float[] x, int inBase, int height, int width, int kernelSize, int stride, int padding,
                                  float[] out, int[] argmax, int outBase, int outHeight, int outWidth) {
        for (int i = 0; i < outHeight; i++) {                                // each output row
            int rowStart = Math.max(i * stride - padding, 0);
            int rowEnd = Math.min(i * stride - padding + kernelSize, height);
            for (int j = 0; j < outWidth; j++) {                             // each output column
                int colStart = Math.max(j * stride - padding, 0);
                int colEnd = Math.min(j * stride - padding + kernelSize, width);
                int best = rowStart * width + colStart;
                float max = Float.NEGATIVE_INFINITY;
                for (int h = rowStart; h < rowEnd; h++) {                    // the window, clipped to the input
                    for (int w = colStart; w < colEnd; w++) {
                        float value = x[inBase + h * width + w];
                        // strict >: the first maximum stays; a NaN always wins (PyTorch's rule)
                        if (value > max || Float.isNaN(value)) {
                            max = value;
                            best = h * width + w;
                        }
                    }
                }
                out[outBase + i * outWidth + j] = max;
                argmax[outBase + i * outWidth + j] = best;
            }
        }
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = new float[planes * planeIn];
        Threads.parallelFor(planes, p -> {                                   // each plane, on its own thread
            for (int o = 0; o < planeOut; o++) {                             // scatter to each window's winner
                // += : overlapping windows (stride < k) can share a winner
                gradInput[p * planeIn + argmax[p * planeOut + o]] += g[p * planeOut + o];
            }
        });
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
