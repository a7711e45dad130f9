package kindling.kernels;

/**
 * The pooling family: max and average pooling over the last two dims of (P, H, W) planes, forward
 * and backward. In kernel mode {@code naive} each method runs its twin in {@link PoolNaive};
 * otherwise the fast loops here, which the tests hold to the twins.
 *
 * <p>Optimisation rules: one pass over each output element with the window clipped to the input
 * once per row and column (no bounds test in the innermost loop); max pooling keeps the argmax as an
 * int per output so that backward is a single scatter with no search; planes run in parallel
 * ({@link Threads}), each plane on one thread, so results are the same for any thread count.
 * On random data max pooling spends its time on the mispredicted comparison, not on memory traffic;
 * neither conditional-move selects nor swapping the loops so that the output columns are innermost
 * made it faster (see {@code PoolNormBenchmark}; timings in docs/performance.md).
 */
public final class PoolKernels {
    private PoolKernels() {
    }

    /** The output length of a window of {@code kernelSize} sliding by {@code stride}: ⌊(in + 2·pad − k) / s⌋ + 1. */
    public static int outputSize(int in, int kernelSize, int stride, int padding) {
        return Math.floorDiv(in + 2 * padding - kernelSize, stride) + 1;
    }

    /** Max pooling; the contract of {@link PoolNaive#maxPool2dForward}. */
    public static void maxPool2dForward(float[] x, int planes, int height, int width,
                                        int kernelSize, int stride, int padding,
                                        float[] out, int[] argmax, int outHeight, int outWidth) {
        if (Kernels.naive()) {
            PoolNaive.maxPool2dForward(x, planes, height, width, kernelSize, stride, padding,
                    out, argmax, outHeight, outWidth);
            return;
        }
        // Planes are independent: whole planes go to the threads, so results do not depend on their number.
        Threads.parallelFor(planes, p -> maxPoolPlane(x, p * height * width, height, width, kernelSize, stride,
                padding, out, argmax, p * outHeight * outWidth, outHeight, outWidth));
    }

    /** One (H, W) plane of {@code x} starting at {@code inBase} into {@code out} and {@code argmax} at {@code outBase}. */
    private static void maxPoolPlane(float[] x, int inBase, int height, int width, int kernelSize, int stride,
                                     int padding, float[] out, int[] argmax, int outBase, int outHeight, int outWidth) {
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

    /** ∂L/∂x of max pooling; the contract of {@link PoolNaive#maxPool2dBackward}. */
    public static float[] maxPool2dBackward(float[] gradY, int[] argmax, int planes, int planeIn, int planeOut) {
        if (Kernels.naive()) {
            return PoolNaive.maxPool2dBackward(gradY, argmax, planes, planeIn, planeOut);
        }
        float[] gradX = new float[planes * planeIn];
        Threads.parallelFor(planes, p -> {                                   // each plane, on its own thread
            for (int o = 0; o < planeOut; o++) {                             // scatter to each window's winner
                // += : overlapping windows (stride < k) can share a winner
                gradX[p * planeIn + argmax[p * planeOut + o]] += gradY[p * planeOut + o];
            }
        });
        return gradX;
    }

    /** Average pooling with explicit windows; the contract of {@link PoolNaive#avgPool2dForward}. */
    public static float[] avgPool2dForward(float[] x, int planes, int height, int width,
                                           int[] rowStart, int[] rowEnd, float[] rowDivisor,
                                           int[] colStart, int[] colEnd, float[] colDivisor) {
        if (Kernels.naive()) {
            return PoolNaive.avgPool2dForward(x, planes, height, width, rowStart, rowEnd, rowDivisor,
                    colStart, colEnd, colDivisor);
        }
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        float[] out = new float[planes * outHeight * outWidth];
        Threads.parallelFor(planes, p -> {                                   // each (n, c) plane, planes in parallel
            int inBase = p * height * width;
            int outBase = p * outHeight * outWidth;
            for (int i = 0; i < outHeight; i++) {                            // each output row
                for (int j = 0; j < outWidth; j++) {                         // each output column
                    double sum = 0;
                    for (int h = rowStart[i]; h < rowEnd[i]; h++) {          // the window's rows: a contiguous
                        for (int w = colStart[j]; w < colEnd[j]; w++) {      // run of each, no bounds test
                            sum += x[inBase + h * width + w];
                        }
                    }
                    out[outBase + i * outWidth + j] = (float) (sum / (rowDivisor[i] * colDivisor[j]));
                }
            }
        });
        return out;
    }

    /** ∂L/∂x of average pooling; the contract of {@link PoolNaive#avgPool2dBackward}. */
    public static float[] avgPool2dBackward(float[] gradY, int planes, int height, int width,
                                            int[] rowStart, int[] rowEnd, float[] rowDivisor,
                                            int[] colStart, int[] colEnd, float[] colDivisor) {
        if (Kernels.naive()) {
            return PoolNaive.avgPool2dBackward(gradY, planes, height, width, rowStart, rowEnd, rowDivisor,
                    colStart, colEnd, colDivisor);
        }
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        float[] gradX = new float[planes * height * width];
        Threads.parallelFor(planes, p -> {                                   // each plane, planes in parallel
            int inBase = p * height * width;
            int outBase = p * outHeight * outWidth;
            for (int i = 0; i < outHeight; i++) {                            // each output element spreads
                for (int j = 0; j < outWidth; j++) {                         // its gradient evenly over its window
                    float share = (float) (gradY[outBase + i * outWidth + j] / (rowDivisor[i] * colDivisor[j]));
                    for (int h = rowStart[i]; h < rowEnd[i]; h++) {
                        for (int w = colStart[j]; w < colEnd[j]; w++) {
                            gradX[inBase + h * width + w] += share;          // += : windows may overlap
                        }
                    }
                }
            }
        });
        return gradX;
    }
}
