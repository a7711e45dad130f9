package kindling.kernels;

/**
 * The pooling family: max and average pooling over the last two dims of (P, H, W) planes, forward
 * and backward. In kernel mode {@code naive} each method runs its twin in {@link PoolNaive};
 * otherwise the fast loops here, which the tests hold to the twins.
 *
 * <p>Optimisation rules: planes run in parallel, each plane on one thread, so results are the same
 * for any thread count; they are handed out in blocks of consecutive planes
 * ({@link Threads#parallelForItems}), since a plane of a small network's last layers (2 × 2) is far
 * less work than handing it to another thread. A pooling with one window per plane (global average
 * pooling) sums a few planes side by side instead of copying windows. Max pooling keeps the argmax as an int per output so
 * that backward is a single scatter with no search. In mode {@code plain} every output element walks
 * its window clipped to the input once per row and column (no bounds test in the innermost loop);
 * average pooling sums the output columns of a row side by side, each into its own double, so that
 * the additions do not wait for one another. On random data the scalar max pooling spends its time
 * on the mispredicted {@code if (value > max)}, not on memory traffic; in mode {@code simd}
 * {@link PoolSimd} does without the branch, and separably: the window's column maxima (vectors
 * down whole rows), then the maximum of those k columns (a vector of outputs at a time). When no
 * gradient will come back (argmax null) it finds the values alone. Average pooling with windows of
 * one size that do not cross the border copies each window position's values for all outputs of a
 * plane into a row of their own (an im2col of the plane, in the L1 cache, in double), then a vector
 * of outputs adds position after position. Both give the twin's bits (max pooling's values alone:
 * but for the sign of a zero maximum, see {@link PoolSimd#maxValuesPlane}).
 */
public final class PoolKernels {
    private PoolKernels() {
    }

    /** The output length of a window of {@code kernelSize} sliding by {@code stride}: ⌊(in + 2·pad − k) / s⌋ + 1. */
    public static int outputSize(int in, int kernelSize, int stride, int padding) {
        return Math.floorDiv(in + 2 * padding - kernelSize, stride) + 1;
    }

    /** Max pooling; the contract of {@link PoolNaive#maxPool2dForward} ({@code argmax} null: values alone). */
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
            Threads.parallelForItems(planes, height * width, p -> maxPoolPlaneSimd(x, p, geometry, out, argmax));
            return;
        }
        Threads.parallelForItems(planes, height * width, p -> maxPoolPlane(x, p * height * width, height, width, kernelSize, stride,
                padding, out, argmax, p * outHeight * outWidth, outHeight, outWidth));
    }

    /** Per thread, reused from call to call: the max pooling kernel's buffers (see {@link #maxPoolPlaneSimd}). */
    private static final ThreadLocal<PoolSimd.MaxPoolScratch> MAX_SCRATCH =
            ThreadLocal.withInitial(PoolSimd.MaxPoolScratch::new);

    /**
     * Plane p of max pooling with the Vector API: the plane is copied row by row into the middle of the
     * thread's padded buffer, whose border stays −∞ (no window needs clipping), then
     * {@link PoolSimd#maxPoolPlane}, or {@link PoolSimd#maxValuesPlane} when no argmax is wanted.
     */
    private static void maxPoolPlaneSimd(float[] x, int p, PoolSimd.MaxPoolGeometry geometry, float[] out,
                                         int[] argmax) {
        PoolSimd.MaxPoolScratch scratch = MAX_SCRATCH.get();
        float[] padded = scratch.paddedFor(geometry);
        int height = geometry.height;
        int width = geometry.width;
        int inBase = p * height * width;
        for (int h = 0; h < height; h++) {
            System.arraycopy(x, inBase + h * width, padded, (h + geometry.padding) * geometry.pitch + geometry.padding,
                    width);
        }
        if (argmax == null) {
            PoolSimd.maxValuesPlane(padded, geometry, scratch, out, p * geometry.outputs);
        } else {
            PoolSimd.maxPoolPlane(padded, geometry, scratch, out, argmax, p * geometry.outputs);
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
            if (argmax != null) {
                argmax[outRow + j] = best;
            }
        }
    }

    /** ∂L/∂x of max pooling; the contract of {@link PoolNaive#maxPool2dBackward}. */
    public static float[] maxPool2dBackward(float[] gradY, int[] argmax, int planes, int planeIn, int planeOut) {
        if (Kernels.naive()) {
            return PoolNaive.maxPool2dBackward(gradY, argmax, planes, planeIn, planeOut);
        }
        float[] gradX = new float[planes * planeIn];
        Threads.parallelForItems(planes, planeIn, p -> {                     // each plane, on one thread
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
        if (outHeight == 1 && outWidth == 1) {                               // one window per plane: ResNet's head
            int window = (rowEnd[0] - rowStart[0]) * (colEnd[0] - colStart[0]);
            int groups = (planes + GLOBAL_PLANES - 1) / GLOBAL_PLANES;
            Threads.parallelForItems(groups, GLOBAL_PLANES * Math.max(window, 1), group -> globalAvgPool(x, height,
                    width, rowStart[0], rowEnd[0], colStart[0], colEnd[0], rowDivisor[0] * colDivisor[0],
                    group * GLOBAL_PLANES, Math.min(planes, (group + 1) * GLOBAL_PLANES), out));
            return out;
        }
        int[] rows = uniformWindows(rowStart, rowEnd);
        int[] cols = uniformWindows(colStart, colEnd);
        boolean uniform = rows != null && cols != null;                       // every window k_h × k_w, s apart, none clipped
        if (uniform && rows[0] == 2 && cols[0] == 2) {                       // LeNet's, in every fast mode
            double[] divisors = windowDivisors(rowDivisor, colDivisor);
            Threads.parallelForItems(planes, height * width, p -> avgPoolPlane2x2(x, p, height, width, rowStart[0],
                    rows[1], colStart[0], cols[1], outHeight, outWidth, divisors, out));
            return out;
        }
        if (uniform && Kernels.simd()) {                                     // the window rows of a plane, in double
            double[] divisors = windowDivisors(rowDivisor, colDivisor);
            Threads.parallelForItems(planes, height * width, p -> avgPoolPlaneSimd(x, p, height, width, rowStart[0], rows[0], rows[1],
                    colStart[0], cols[0], cols[1], outHeight, outWidth, divisors, out));
            return out;
        }
        Threads.parallelForItems(planes, height * width, p -> avgPoolPlane(x, p, height, width, rowStart, rowEnd, rowDivisor,
                colStart, colEnd, colDivisor, out));                         // each (n, c) plane, in parallel
        return out;
    }

    /** Planes that {@link #globalAvgPool} sums side by side. */
    private static final int GLOBAL_PLANES = 4;

    /**
     * Average pooling with one window per plane, rows [r0, r1) and columns [c0, c1), for planes
     * from ≤ p &lt; to. Each plane's window is summed in the twin's order (rows, then columns within a
     * row) in a double of its own and divided by the twin's float {@code divisor}, so the result is the
     * twin's to the bit. A plane of ResNet's head is 2 × 2: one sum waits for the last, so the sums of
     * {@link #GLOBAL_PLANES} planes are interleaved, each addition beside three that do not wait for it.
     */
    private static void globalAvgPool(float[] x, int height, int width, int r0, int r1, int c0, int c1,
                                      float divisor, int from, int to, float[] out) {
        int plane = height * width;
        int p = from;
        for (; p + 4 <= to; p += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int base = p * plane;
            for (int h = r0; h < r1; h++) {
                for (int w = c0; w < c1; w++) {
                    int i = base + h * width + w;
                    s0 += x[i];
                    s1 += x[i + plane];
                    s2 += x[i + 2 * plane];
                    s3 += x[i + 3 * plane];
                }
            }
            out[p] = (float) (s0 / divisor);
            out[p + 1] = (float) (s1 / divisor);
            out[p + 2] = (float) (s2 / divisor);
            out[p + 3] = (float) (s3 / divisor);
        }
        for (; p < to; p++) {
            double sum = 0;
            for (int h = r0; h < r1; h++) {
                for (int w = c0; w < c1; w++) {
                    sum += x[p * plane + h * width + w];
                }
            }
            out[p] = (float) (sum / divisor);
        }
    }

    /** Each output's divisor d_row · d_col, the float product the twin divides by, widened to double. */
    private static double[] windowDivisors(float[] rowDivisor, float[] colDivisor) {
        double[] divisors = new double[rowDivisor.length * colDivisor.length];
        for (int i = 0; i < rowDivisor.length; i++) {
            for (int j = 0; j < colDivisor.length; j++) {
                divisors[i * colDivisor.length + j] = rowDivisor[i] * colDivisor[j];
            }
        }
        return divisors;
    }

    /** {window length, stride} when every window has the same length and starts one stride after the last. */
    private static int[] uniformWindows(int[] start, int[] end) {
        if (start.length == 0) {
            return null;
        }
        int length = end[0] - start[0];
        int stride = start.length > 1 ? start[1] - start[0] : 1;
        for (int i = 0; i < start.length; i++) {
            if (end[i] - start[i] != length || start[i] != start[0] + i * stride) {
                return null;
            }
        }
        return length > 0 && stride > 0 ? new int[] {length, stride} : null;
    }

    /**
     * Plane p of an average pooling whose windows are all 2 × 2 (LeNet's), s_h and s_w apart, inside
     * the input, written out: each output's four values added in double from 0 in the twin's order
     * (the top row's two, then the bottom row's) and divided by the twin's divisor, so the twin's bits.
     * Four loads and four adds per output, in a plain loop, ran about twice as fast as copying the
     * window rows out for {@link #avgPoolPlaneSimd}, whose copies cost more than its vector adds save
     * when a window is this small (docs/kernels.md).
     */
    private static void avgPoolPlane2x2(float[] x, int p, int height, int width, int firstRow, int sh,
                                        int firstCol, int sw, int outHeight, int outWidth, double[] divisors,
                                        float[] out) {
        int inBase = p * height * width;
        int outBase = p * outHeight * outWidth;
        for (int i = 0; i < outHeight; i++) {
            int top = inBase + (firstRow + i * sh) * width + firstCol;
            int bottom = top + width;
            int row = i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                int c = j * sw;
                double sum = 0;                    // from 0 as the twin: 0 + (−0) is +0
                sum += x[top + c];
                sum += x[top + c + 1];
                sum += x[bottom + c];
                sum += x[bottom + c + 1];
                out[outBase + row + j] = (float) (sum / divisors[row + j]);
            }
        }
    }

    /** Per thread, reused: a plane's window rows and its means, in double. */
    private static final ThreadLocal<double[][]> DOUBLE_SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    /**
     * Plane p of an average pooling whose windows are all k_h × k_w, s_h and s_w apart, inside the input:
     * each window position's values for all outputs copied, widened to double, into a row of their own,
     * then {@link PoolSimd#avgPoolPlane}; the few outputs after the last whole vector summed here.
     */
    private static void avgPoolPlaneSimd(float[] x, int p, int height, int width, int firstRow, int kh, int sh,
                                         int firstCol, int kw, int sw, int outHeight, int outWidth,
                                         double[] divisors, float[] out) {
        int outputs = outHeight * outWidth;
        int positions = kh * kw;
        double[][] scratch = DOUBLE_SCRATCH.get();
        if (scratch[0].length < positions * outputs) {
            scratch[0] = new double[positions * outputs];
        }
        if (scratch[1].length < outputs) {
            scratch[1] = new double[outputs];
        }
        double[] windows = scratch[0];
        double[] means = scratch[1];
        int inBase = p * height * width;
        if (kw == 2) {                                                       // LeNet's 2 × 2: both columns of a
            for (int a = 0; a < kh; a++) {                                   // window row in one loop (a loop of
                int left = 2 * a * outputs;                                  // 14 costs its start-up twice over)
                int right = left + outputs;
                for (int i = 0; i < outHeight; i++) {
                    int from = inBase + (firstRow + i * sh + a) * width + firstCol;
                    int to = i * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        windows[left + to + j] = x[from + j * sw];
                        windows[right + to + j] = x[from + j * sw + 1];
                    }
                }
            }
        }
        for (int a = 0; a < kh && kw != 2; a++) {                            // window position (a, b) of
            for (int b = 0; b < kw; b++) {                                   // every output, in a row of its own
                int row = (a * kw + b) * outputs;
                for (int i = 0; i < outHeight; i++) {
                    int from = inBase + (firstRow + i * sh + a) * width + firstCol + b;
                    int to = row + i * outWidth;
                    for (int j = 0; j < outWidth; j++) {
                        windows[to + j] = x[from + j * sw];
                    }
                }
            }
        }
        int done = PoolSimd.avgPoolPlane(windows, positions, divisors, means, outputs);
        for (int o = done; o < outputs; o++) {                               // the last few, one at a time
            double sum = 0;
            for (int q = 0; q < positions; q++) {
                sum += windows[q * outputs + o];
            }
            means[o] = sum / divisors[o];
        }
        int outBase = p * outputs;
        for (int o = 0; o < outputs; o++) {
            out[outBase + o] = (float) means[o];
        }
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
        if (rowStart.length == 1 && colStart.length == 1) {                  // one window per plane
            float divisor = rowDivisor[0] * colDivisor[0];
            int r0 = rowStart[0];
            int r1 = rowEnd[0];
            int c0 = colStart[0];
            int c1 = colEnd[0];
            Threads.parallelForItems(planes, height * width, p -> {
                float share = gradY[p] / divisor;                            // the twin's float division
                for (int h = r0; h < r1; h++) {
                    int row = (p * height + h) * width;
                    for (int w = c0; w < c1; w++) {
                        gradX[row + w] += share;                             // 0 + share, as the twin (−0 → +0)
                    }
                }
            });
            return gradX;
        }
        int[] rows = uniformWindows(rowStart, rowEnd);
        int[] cols = uniformWindows(colStart, colEnd);
        // windows of one size inside the input that do not overlap (stride ≥ window, as LeNet's 2 × 2 pool):
        // every input element receives at most one share, so any order of the additions is the twin's
        if (Kernels.simd() && rows != null && cols != null && rows[1] >= rows[0] && cols[1] >= cols[0]) {
            int outHeight = rowStart.length;
            int outWidth = colStart.length;
            float[] divisors = new float[outHeight * outWidth];
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    divisors[i * outWidth + j] = rowDivisor[i] * colDivisor[j];   // a float product, as the twin
                }
            }
            Threads.parallelForItems(planes, height * width, p -> avgPoolBackwardPlaneSimd(gradY, p, height, width, rowStart[0], rows[0],
                    rows[1], colStart[0], cols[0], cols[1], outHeight, outWidth, divisors, gradX));
            return gradX;
        }
        Threads.parallelForItems(planes, height * width, p -> avgPoolBackwardPlane(gradY, p, height, width, rowStart, rowEnd, rowDivisor,
                colStart, colEnd, colDivisor, gradX));                       // each plane, in parallel
        return gradX;
    }

    /** Per thread, reused: a plane's shares g / d. */
    private static final ThreadLocal<float[][]> SHARES = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * ∂L/∂x of plane p when every window is k_h × k_w, s_h and s_w apart, inside the input: the shares
     * g / d of all the plane's outputs, a vector at a time ({@link PoolSimd#avgPoolShares}), then each
     * output row's window rows, every column's share added to its k_w neighbours. The twin's
     * {@code (float) (g / d)} is a float division already (g and d are floats), so a float vector
     * divides to its bits. The windows do not overlap, so each input element receives one share at
     * most, as from the twin.
     */
    private static void avgPoolBackwardPlaneSimd(float[] gradY, int p, int height, int width, int firstRow, int kh,
                                                 int sh, int firstCol, int kw, int sw, int outHeight, int outWidth,
                                                 float[] divisors, float[] gradX) {
        int outputs = outHeight * outWidth;
        float[][] scratch = SHARES.get();
        if (scratch[0].length < outputs) {
            scratch[0] = new float[outputs];
        }
        float[] shares = scratch[0];
        int outBase = p * outputs;
        int done = PoolSimd.avgPoolShares(gradY, outBase, divisors, shares, outputs);
        for (int o = done; o < outputs; o++) {
            shares[o] = gradY[outBase + o] / divisors[o];
        }
        int inBase = p * height * width;
        for (int i = 0; i < outHeight; i++) {                                // each output row
            for (int a = 0; a < kh; a++) {                                   // each row its windows cover
                int row = inBase + (firstRow + i * sh + a) * width + firstCol;
                int share = i * outWidth;
                if (kw == 2) {                                               // LeNet's 2 × 2: no inner loop
                    for (int j = 0; j < outWidth; j++) {
                        float g = shares[share + j];
                        gradX[row + j * sw] += g;
                        gradX[row + j * sw + 1] += g;
                    }
                } else {
                    for (int j = 0; j < outWidth; j++) {
                        float g = shares[share + j];
                        for (int b = 0; b < kw; b++) {
                            gradX[row + j * sw + b] += g;
                        }
                    }
                }
            }
        }
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
