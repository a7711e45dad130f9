package kindling.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pooling's planes with the Vector API, for {@link PoolKernels} in mode {@code simd}. Only loaded
 * when the JVM has {@code jdk.incubator.vector}.
 *
 * <p>Max pooling: the scalar loop's {@code if (value > max)} is taken or not at random on real data,
 * so the processor guesses wrong about half the time and throws away the work it had started. Here
 * a comparison gives a lane mask, and a blend keeps, lane by lane, the old or the new value (and
 * its index). No branch at all. And the maximum is separable: a k × k window's maximum is the
 * maximum of its k column maxima, so each plane takes two passes of k steps instead of k² steps:
 * down the window rows on whole rows of the plane (contiguous, no gather), then across the k
 * columns of each window. The columns of neighbouring windows are not next to each other in memory
 * (stride 2 skips every other one), so the second pass first copies column b of every output's
 * window into a row of its own (k rows of H_out · W_out floats, in the L1 cache), and a vector then
 * holds 16 outputs (8 on a 256-bit machine) numbered over the whole plane, so that a 14-wide output
 * row does not leave lanes idle. A gather ({@code fromArray} with an index map) would read them in
 * place, but on JDK 17 its bounds check costs more than the copy.
 */
final class PoolSimd {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private PoolSimd() {
    }

    /** Whether the kernel fits: planes below 2^24 elements, whose indices a float holds exactly. */
    static boolean usable(int height, int width) {
        return (long) height * width < (1 << 24) && FLOATS.length() > 1;
    }

    /**
     * The plane geometry of {@link #maxPoolPlane} and {@link #maxValuesPlane}, computed once per call
     * and shared by the planes: the padded plane's rows and their pitch (W + 2·pad rounded up to whole
     * vectors, so that a row is whole vectors and needs no tail), and where each output's k window
     * columns are read.
     */
    static final class MaxPoolGeometry {
        final int height;
        final int width;
        final int kernelSize;
        final int stride;
        final int padding;
        final int outHeight;
        final int outputs;              // H_out · W_out
        final int pitch;                // row length of the padded plane and of the column maxima
        final int paddedRows;           // H + 2·pad
        final int rowLength;            // outputs rounded up to whole vectors
        final int[] columnIndex;        // at b · rowLength + o: column b of output o's window, in colMax
        final float[] columnOffset;     // per padded column c: c − pad, its column in x
        final float[] firstInside;      // per output: its window's first element inside x, the twin's start

        MaxPoolGeometry(int height, int width, int kernelSize, int stride, int padding, int outHeight,
                          int outWidth) {
            int lanes = FLOATS.length();
            this.height = height;
            this.width = width;
            this.kernelSize = kernelSize;
            this.stride = stride;
            this.padding = padding;
            this.outHeight = outHeight;
            outputs = outHeight * outWidth;
            pitch = (width + 2 * padding + lanes - 1) / lanes * lanes;
            paddedRows = height + 2 * padding;
            rowLength = (outputs + lanes - 1) / lanes * lanes;
            columnIndex = new int[kernelSize * rowLength];                   // past the outputs: element 0
            for (int b = 0; b < kernelSize; b++) {
                for (int i = 0; i < outHeight; i++) {
                    for (int j = 0; j < outWidth; j++) {
                        columnIndex[b * rowLength + i * outWidth + j] = i * pitch + j * stride + b;
                    }
                }
            }
            columnOffset = new float[pitch];
            for (int c = 0; c < pitch; c++) {
                columnOffset[c] = c - padding;
            }
            firstInside = new float[rowLength];
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    firstInside[i * outWidth + j] = Math.max(i * stride - padding, 0) * width
                            + Math.max(j * stride - padding, 0);
                }
            }
        }
    }

    /** One thread's buffers for {@link #maxPoolPlane} and {@link #maxValuesPlane}, kept from call to call. */
    static final class MaxPoolScratch {
        private float[] padded = new float[0];
        private int paddedHeight = -1;
        private int paddedWidth = -1;
        private int paddedPadding = -1;
        float[] columnMax = new float[0];
        float[] columnBest = new float[0];
        float[] columns = new float[0];
        float[] columnsBest = new float[0];
        final float[] tail = new float[FLOATS.length()];     // one vector: the last outputs, or indices

        /**
         * The padded plane buffer for this geometry, all −∞ when made: the planes are copied into its
         * middle and never write the border, so it stays −∞ for every plane of this geometry.
         */
        float[] paddedFor(MaxPoolGeometry g) {
            if (paddedHeight != g.height || paddedWidth != g.width || paddedPadding != g.padding) {   // and so the pitch
                padded = new float[g.paddedRows * g.pitch];
                java.util.Arrays.fill(padded, Float.NEGATIVE_INFINITY);
                paddedHeight = g.height;
                paddedWidth = g.width;
                paddedPadding = g.padding;
            }
            if (columnMax.length < g.outHeight * g.pitch) {
                columnMax = new float[g.outHeight * g.pitch];
                columnBest = new float[g.outHeight * g.pitch];
            }
            if (columns.length < g.kernelSize * g.rowLength) {
                columns = new float[g.kernelSize * g.rowLength];
                columnsBest = new float[g.kernelSize * g.rowLength];
            }
            return padded;
        }
    }

    /**
     * Max pooling's values alone, for a forward that no gradient will come back through (no argmax to
     * find, keep and store), of one plane already in {@code padded}: rows of {@code pitch} floats with
     * −∞ around the input. The maximum is separable: a k × k window's maximum is the maximum of its k
     * column maxima, so the k² comparisons per output become k + k, in two passes:
     * <pre>
     *   1. down:   colMax[i][c] = max over a &lt; k of padded[i·s + a][c]     every column c, whole vectors
     *   2. across: y[i][j]      = max over b &lt; k of colMax[i][j·s + b]
     * </pre>
     * Pass 1 reads whole rows of the plane, no gather at all. Pass 2 first copies column b of every
     * output's window into a row of the plane's outputs (k rows, where an im2col of the plane would be k²), so
     * that a vector holds 16 outputs (8 on AVX2) even when an output row is only 14 long.
     * Each step keeps the twin's rule {@code value > max || isNaN(value)} (compare, blend), so the
     * maximum is the twin's value and a NaN in the window gives NaN; only when a window's maximum is a
     * zero held by both +0 and −0 may the other zero come out, the columns being met before the rows.
     */
    static void maxValuesPlane(float[] padded, MaxPoolGeometry g, MaxPoolScratch scratch, float[] out,
                               int outBase) {
        int lanes = FLOATS.length();
        int pitch = g.pitch;
        int k = g.kernelSize;
        float[] columnMax = scratch.columnMax;
        for (int i = 0; i < g.outHeight; i++) {                              // pass 1: each output row's
            int top = i * g.stride * pitch;                                  // window rows, whole vectors
            for (int c = 0; c < pitch; c += lanes) {
                FloatVector max = FloatVector.fromArray(FLOATS, padded, top + c);
                for (int a = 1; a < k; a++) {
                    max = keepGreaterOrNaN(max, FloatVector.fromArray(FLOATS, padded, top + a * pitch + c));
                }
                max.intoArray(columnMax, i * pitch + c);
            }
        }
        float[] columns = scratch.columns;
        int[] columnIndex = g.columnIndex;
        int rowLength = g.rowLength;
        for (int n = 0; n < k * rowLength; n++) {                            // column b of output o's window,
            columns[n] = columnMax[columnIndex[n]];                          // at n = b · rowLength + o
        }
        int outputs = g.outputs;
        for (int o = 0; o < outputs; o += lanes) {                           // pass 2: a vector of outputs
            FloatVector max = FloatVector.fromArray(FLOATS, columns, o);
            for (int b = 1; b < k; b++) {
                max = keepGreaterOrNaN(max, FloatVector.fromArray(FLOATS, columns, b * rowLength + o));
            }
            if (o + lanes <= outputs) {
                max.intoArray(out, outBase + o);
            } else {                                                         // the last vector: its real lanes
                max.intoArray(scratch.tail, 0);
                System.arraycopy(scratch.tail, 0, out, outBase + o, outputs - o);
            }
        }
    }

    /**
     * Max pooling with its argmax, separable like {@link #maxValuesPlane}, for a forward whose backward
     * will follow. Each pass carries, beside the maximum, the flat index h·W + w of the element that
     * holds it (as a float, exact below 2^24, so that the float lane masks blend it too):
     * <pre>
     *   1. down:   (colMax, colBest)[i][c]: the twin's rule over a = 0 .. k−1 in order, so each
     *              column's candidate is its first maximum, or its last NaN
     *   2. across: over b, the candidate wins if value &gt; max, or value == max with a smaller index
     *              (the twin's first maximum in row-major order is the one with the smallest index),
     *              or value is NaN and (max is not NaN, or the index is larger: the twin's last NaN)
     * </pre>
     * Ties are broken by the index, not by the order of the passes, so the output and the argmax are
     * the twin's to the bit (±0 included: −0 == +0, and the smaller index wins). A window whose
     * maximum is −∞ (all of it −∞ or padding) takes the twin's start, its first element inside x.
     */
    static void maxPoolPlane(float[] padded, MaxPoolGeometry g, MaxPoolScratch scratch, float[] out,
                             int[] argmax, int outBase) {
        int lanes = FLOATS.length();
        int pitch = g.pitch;
        int k = g.kernelSize;
        int width = g.width;
        float[] columnMax = scratch.columnMax;
        float[] columnBest = scratch.columnBest;
        for (int i = 0; i < g.outHeight; i++) {                              // pass 1: down the window rows
            int top = i * g.stride * pitch;
            int firstRow = (i * g.stride - g.padding) * width;               // window row 0's h·W
            for (int c = 0; c < pitch; c += lanes) {
                FloatVector column = FloatVector.fromArray(FLOATS, g.columnOffset, c);
                FloatVector max = FloatVector.fromArray(FLOATS, padded, top + c);
                FloatVector best = column.add(firstRow);
                for (int a = 1; a < k; a++) {
                    FloatVector value = FloatVector.fromArray(FLOATS, padded, top + a * pitch + c);
                    FloatVector index = column.add(firstRow + a * width);
                    VectorMask<Float> greater = value.compare(VectorOperators.GT, max);
                    max = max.blend(value, greater);
                    best = best.blend(index, greater);
                    VectorMask<Float> nan = value.compare(VectorOperators.NE, value);
                    max = max.blend(value, nan);
                    best = best.blend(index, nan);
                }
                max.intoArray(columnMax, i * pitch + c);
                best.intoArray(columnBest, i * pitch + c);
            }
        }
        float[] columns = scratch.columns;
        float[] columnsBest = scratch.columnsBest;
        int[] columnIndex = g.columnIndex;
        int rowLength = g.rowLength;
        for (int n = 0; n < k * rowLength; n++) {                            // column b of output o's window
            int from = columnIndex[n];
            columns[n] = columnMax[from];
            columnsBest[n] = columnBest[from];
        }
        int outputs = g.outputs;
        float[] index = scratch.tail;
        FloatVector minusInfinity = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int o = 0; o < outputs; o += lanes) {                           // pass 2: a vector of outputs
            FloatVector max = FloatVector.fromArray(FLOATS, columns, o);
            FloatVector best = FloatVector.fromArray(FLOATS, columnsBest, o);
            for (int b = 1; b < k; b++) {
                FloatVector value = FloatVector.fromArray(FLOATS, columns, b * rowLength + o);
                FloatVector at = FloatVector.fromArray(FLOATS, columnsBest, b * rowLength + o);
                VectorMask<Float> wins = value.compare(VectorOperators.GT, max)
                        .or(value.compare(VectorOperators.EQ, max).and(at.compare(VectorOperators.LT, best)));
                max = max.blend(value, wins);
                best = best.blend(at, wins);
                VectorMask<Float> nanWins = value.compare(VectorOperators.NE, value)
                        .and(max.compare(VectorOperators.EQ, max).or(at.compare(VectorOperators.GT, best)));
                max = max.blend(value, nanWins);
                best = best.blend(at, nanWins);
            }
            best = best.blend(FloatVector.fromArray(FLOATS, g.firstInside, o),
                    max.compare(VectorOperators.EQ, minusInfinity));
            int count = Math.min(lanes, outputs - o);
            if (count == lanes) {
                max.intoArray(out, outBase + o);
            } else {                                                         // the last vector: its real lanes
                max.intoArray(index, 0);                                     // copied out before best's turn
                System.arraycopy(index, 0, out, outBase + o, count);
            }
            best.intoArray(index, 0);
            for (int l = 0; l < count; l++) {
                argmax[outBase + o + l] = (int) index[l];
            }
        }
    }

    /** The twin's step {@code if (value > max || isNaN(value)) max = value}, lane by lane, without a branch. */
    private static FloatVector keepGreaterOrNaN(FloatVector max, FloatVector value) {
        max = max.blend(value, value.compare(VectorOperators.GT, max));
        return max.blend(value, value.compare(VectorOperators.NE, value));
    }

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /**
     * Average pooling of one plane from {@code windows}, its window positions' values widened to double
     * in rows of the plane's outputs (one row per window position): each output's sum, over the positions in
     * row-major order from 0, divided by its divisor, all in double, into {@code means}. The twin's
     * order and arithmetic, so its bits; a vector of outputs at a time instead of one. Returns the
     * first output not done.
     */
    static int avgPoolPlane(double[] windows, int positions, double[] divisors, double[] means, int outputs) {
        int lanes = DOUBLES.length();
        int o = 0;
        for (; o <= outputs - lanes; o += lanes) {
            DoubleVector sum = DoubleVector.zero(DOUBLES);
            for (int q = 0; q < positions; q++) {
                sum = sum.add(DoubleVector.fromArray(DOUBLES, windows, q * outputs + o));
            }
            sum.div(DoubleVector.fromArray(DOUBLES, divisors, o)).intoArray(means, o);
        }
        return o;
    }

    /** shares[o] = gradY[base + o] / divisors[o] in float, a vector at a time; returns the first o not done. */
    static int avgPoolShares(float[] gradY, int base, float[] divisors, float[] shares, int outputs) {
        int lanes = FLOATS.length();
        int o = 0;
        for (; o <= outputs - lanes; o += lanes) {
            FloatVector.fromArray(FLOATS, gradY, base + o).div(FloatVector.fromArray(FLOATS, divisors, o))
                    .intoArray(shares, o);
        }
        return o;
    }
}
