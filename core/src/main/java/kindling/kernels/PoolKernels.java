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
        if (Kernels.simd() && PoolSimd.usable(height, width)) {
            PoolSimd.MaxPoolGeometry geometry = new PoolSimd.MaxPoolGeometry(height, width, kernelSize, stride,
                    padding, outHeight, outWidth);
            Threads.parallelFor(planes, p -> maxPoolPlaneSimd(x, p, height, width, kernelSize, stride, padding,
                    geometry, out, argmax, outHeight, outWidth));
            return;
        }
        Threads.parallelFor(planes, p -> maxPoolPlane(x, p * height * width, height, width, kernelSize, stride,
                padding, out, argmax, p * outHeight * outWidth, outHeight, outWidth));
    }

    /** A padded copy of one plane per thread, reused from call to call. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * Plane p with the Vector API: copied with a border of −∞ when there is padding (so that no window
     * needs clipping), then {@link PoolSimd#maxPoolPlane}; the outputs after the last whole vector
     * through the scalar loop.
     */
    private static void maxPoolPlaneSimd(float[] x, int p, int height, int width, int kernelSize, int stride,
                                         int padding, PoolSimd.MaxPoolGeometry geometry, float[] out, int[] argmax,
                                         int outHeight, int outWidth) {
        int inBase = p * height * width;
        float[] source = x;
        int sourceBase = inBase;
        if (padding > 0) {
            int paddedWidth = width + 2 * padding;
            int size = (height + 2 * padding) * paddedWidth;
            float[][] holder = PADDED.get();
            if (holder[0].length < size) {
                holder[0] = new float[size];
            }
            source = holder[0];
            sourceBase = 0;
            java.util.Arrays.fill(source, 0, size, Float.NEGATIVE_INFINITY);
            for (int h = 0; h < height; h++) {
                System.arraycopy(x, inBase + h * width, source, (h + padding) * paddedWidth + padding, width);
            }
        }
        int outBase = p * outHeight * outWidth;
        int done = PoolSimd.maxPoolPlane(source, sourceBase, geometry, out, argmax, outBase, outHeight * outWidth);
        for (int o = done; o < outHeight * outWidth; o++) {                  // the last few, one at a time
            int i = o / outWidth;
            int j = o % outWidth;
            maxPoolColumns(x, inBase, width, kernelSize, stride, padding, Math.max(i * stride - padding, 0),
                    Math.min(i * stride - padding + kernelSize, height), out, argmax, outBase + i * outWidth, j, j + 1);
        }
    }

    /** One (H, W) plane of {@code x} starting at {@code inBase} into {@code out} and {@code argmax} at {@code outBase}. */
    private static void maxPoolPlane(float[] x, int inBase, int height, int width, int kernelSize, int stride,
                                     int padding, float[] out, int[] argmax, int outBase, int outHeight, int outWidth) {
        for (int i = 0; i < outHeight; i++) {                                // each output row
            int rowStart = Math.max(i * stride - padding, 0);
            int rowEnd = Math.min(i * stride - padding + kernelSize, height);
            maxPoolColumns(x, inBase, width, kernelSize, stride, padding, rowStart, rowEnd, out, argmax,
                    outBase + i * outWidth, 0, outWidth);
        }
    }

    /** Output columns [from, to) of one output row, the window's rows clipped to [rowStart, rowEnd). */
    static void maxPoolColumns(float[] x, int inBase, int width, int kernelSize, int stride, int padding,
                               int rowStart, int rowEnd, float[] out, int[] argmax, int outRow, int from, int to) {
        for (int j = from; j < to; j++) {                                    // each output column
            int colStart = Math.max(j * stride - padding, 0);
            int colEnd = Math.min(j * stride - padding + kernelSize, width);
            int best = rowStart * width + colStart;
            float max = Float.NEGATIVE_INFINITY;
            for (int h = rowStart; h < rowEnd; h++) {                        // the window, clipped to the input
                for (int w = colStart; w < colEnd; w++) {
                    float value = x[inBase + h * width + w];
                    // strict >: the first maximum stays; a NaN always wins (PyTorch's rule)
                    if (value > max || Float.isNaN(value)) {
                        max = value;
                        best = h * width + w;
                    }
                }
            }
            out[outRow + j] = max;
            argmax[outRow + j] = best;
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
        Threads.parallelFor(planes, p -> avgPoolPlane(x, p, height, width, rowStart, rowEnd, rowDivisor,
                colStart, colEnd, colDivisor, out));                         // each (n, c) plane, in parallel
        return out;
    }

    /**
     * Plane p of average pooling, row by row of the output: the window's rows outside, the output
     * columns inside, each column summing into its own double {@code sums[j]}. Every window is still
     * summed in the twin's order (rows, then columns within a row) and divided as by the twin, so the
     * result is the twin's to the bit; but the additions of neighbouring columns no longer wait for each
     * other (the twin's one running sum makes every addition wait for the one before), and the
     * divisions of a row follow each other without a dependency either.
     */
    private static void avgPoolPlane(float[] x, int p, int height, int width, int[] rowStart, int[] rowEnd,
                                     float[] rowDivisor, int[] colStart, int[] colEnd, float[] colDivisor,
                                     float[] out) {
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        double[] sums = new double[outWidth];
        int inBase = p * height * width;
        for (int i = 0; i < outHeight; i++) {                                // each output row
            java.util.Arrays.fill(sums, 0);
            for (int h = rowStart[i]; h < rowEnd[i]; h++) {                  // the window's rows
                int row = inBase + h * width;
                for (int j = 0; j < outWidth; j++) {                         // every column's window, this row
                    double sum = sums[j];
                    for (int w = colStart[j]; w < colEnd[j]; w++) {
                        sum += x[row + w];
                    }
                    sums[j] = sum;
                }
            }
            int outRow = (p * outHeight + i) * outWidth;
            for (int j = 0; j < outWidth; j++) {
                out[outRow + j] = (float) (sums[j] / (rowDivisor[i] * colDivisor[j]));
            }
        }
    }

    /** ∂L/∂x of average pooling; the contract of {@link PoolNaive#avgPool2dBackward}. */
    public static float[] avgPool2dBackward(float[] gradY, int planes, int height, int width,
                                            int[] rowStart, int[] rowEnd, float[] rowDivisor,
                                            int[] colStart, int[] colEnd, float[] colDivisor) {
        if (Kernels.naive()) {
            return PoolNaive.avgPool2dBackward(gradY, planes, height, width, rowStart, rowEnd, rowDivisor,
                    colStart, colEnd, colDivisor);
        }
        float[] gradX = new float[planes * height * width];
        Threads.parallelFor(planes, p -> avgPoolBackwardPlane(gradY, p, height, width, rowStart, rowEnd, rowDivisor,
                colStart, colEnd, colDivisor, gradX));                       // each plane, in parallel
        return gradX;
    }

    /**
     * ∂L/∂x of plane p, row by row of the output: first the row's shares g / (d_row · d_col[j]) (the
     * divisions independent of each other), then each window row, every column's share added to its
     * window. Each input element receives its shares in the twin's order (output rows, then columns),
     * so the sums are the twin's to the bit.
     */
    private static void avgPoolBackwardPlane(float[] gradY, int p, int height, int width, int[] rowStart,
                                             int[] rowEnd, float[] rowDivisor, int[] colStart, int[] colEnd,
                                             float[] colDivisor, float[] gradX) {
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        float[] shares = new float[outWidth];
        int inBase = p * height * width;
        for (int i = 0; i < outHeight; i++) {                                // each output row, in order
            int outRow = (p * outHeight + i) * outWidth;
            for (int j = 0; j < outWidth; j++) {
                shares[j] = (float) (gradY[outRow + j] / (rowDivisor[i] * colDivisor[j]));
            }
            for (int h = rowStart[i]; h < rowEnd[i]; h++) {                  // each row the windows cover
                int row = inBase + h * width;
                for (int j = 0; j < outWidth; j++) {
                    float share = shares[j];
                    for (int w = colStart[j]; w < colEnd[j]; w++) {
                        gradX[row + w] += share;                             // += : windows may overlap
                    }
                }
            }
        }
    }
}
