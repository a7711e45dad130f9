package kindling.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling's planes with the Vector API, for {@link PoolKernels} in mode {@code simd}. Only loaded
 * when the JVM has {@code jdk.incubator.vector}.
 *
 * <p>The scalar loop's {@code if (value > max)} is taken or not at random on real data, so the
 * processor guesses wrong about half the time and throws away the work it had started. Here one
 * vector holds 16 output elements (8 on a 256-bit machine) and the window is walked once for all of
 * them: the comparison gives a lane mask, and a blend keeps, lane by lane, the old or the new value
 * and its index. No branch at all. The window positions are visited in the same row-major order
 * with the same rule ({@code value > max || isNaN(value)}), so values and argmax equal the naive
 * twin's exactly. The lanes' windows are not next to each other in memory (stride 2 skips every
 * other input; lanes may belong to two output rows), so {@link PoolKernels} first copies each
 * window position's values for all outputs of the plane into a row of their own (an im2col of the
 * plane, k² · H_out · W_out floats that stay in the L1 cache), and the vectors read those rows.
 * A gather ({@code fromArray} with an index map) would read them in place, but on JDK 17 its bounds
 * check costs more than the copy.
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
     * Where each output element's window lies, for one plane geometry, computed once per call and shared
     * by the planes. Output elements are numbered o = i·W_out + j over the whole plane, so that a vector
     * holds 16 of them even when a row has only 14 (ResNet's stem pool on 28 × 28 inputs).
     */
    static final class MaxPoolGeometry {
        final int kernelSize;
        final int width;
        final float[] origin;           // per output: (i·s − pad)·W + (j·s − pad), the corner in x's plane
        final float[] firstInside;      // per output: the first window element inside x, the twin's start
        final float[] offset;           // per window position q = a·k + b: a·W + b, its place from the corner
        final int[] sourceIndex;        // at q · rowLength + o: where window position q of output o is read
        final int rowLength;            // outputs rounded up to whole vectors: the last vector reads real data

        MaxPoolGeometry(int width, int kernelSize, int stride, int padding, int outHeight, int outWidth) {
            this.kernelSize = kernelSize;
            this.width = width;
            int outputs = outHeight * outWidth;
            rowLength = (outputs + FLOATS.length() - 1) / FLOATS.length() * FLOATS.length();
            origin = new float[rowLength];
            firstInside = new float[rowLength];
            offset = new float[kernelSize * kernelSize];
            for (int a = 0; a < kernelSize; a++) {
                for (int b = 0; b < kernelSize; b++) {
                    offset[a * kernelSize + b] = a * width + b;
                }
            }
            // read from the plane padded with −∞ (row length W + 2·pad), or from x's plane without padding
            int paddedWidth = width + 2 * padding;
            sourceIndex = new int[kernelSize * kernelSize * rowLength];  // past the outputs: element 0
            for (int q = 0; q < kernelSize * kernelSize; q++) {
                for (int i = 0; i < outHeight; i++) {
                    for (int j = 0; j < outWidth; j++) {
                        sourceIndex[q * rowLength + i * outWidth + j] =
                                (i * stride + q / kernelSize) * paddedWidth + j * stride + q % kernelSize;
                    }
                }
            }
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int o = i * outWidth + j;
                    origin[o] = (i * stride - padding) * width + (j * stride - padding);
                    firstInside[o] = Math.max(i * stride - padding, 0) * width + Math.max(j * stride - padding, 0);
                }
            }
        }
    }

    /**
     * Max pooling of one plane from {@code windows}, its k² rows of the plane's outputs: row q = a·k + b
     * holds, for every output o, the value at window position (a, b) (−∞ in the padding). A vector of
     * outputs at a time, each window position in row-major order: a mask of the lanes where it wins
     * (greater, then NaN: the twin's {@code value > max || isNaN(value)}), and a blend of value and
     * index. −∞ never wins, so padding never does, and the index starts at each window's first element
     * inside x, as in the twin. Indices are carried as floats, exact below 2^24 (see {@link #usable}),
     * so that the float lane mask blends them too. The rows are {@code rowLength} long, whole vectors:
     * the last vector computes a few lanes past the plane's outputs and stores only the real ones.
     */
    static void maxPoolPlane(float[] windows, MaxPoolGeometry geometry, float[] out, int[] argmax, int outBase,
                             int outputs, float[] index, float[] values) {
        int lanes = FLOATS.length();
        int positions = geometry.kernelSize * geometry.kernelSize;
        int rowLength = geometry.rowLength;
        FloatVector minusInfinity = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int o = 0; o < outputs; o += lanes) {                           // a vector of output elements
            FloatVector max = minusInfinity;
            FloatVector best = FloatVector.fromArray(FLOATS, geometry.firstInside, o);
            FloatVector origin = FloatVector.fromArray(FLOATS, geometry.origin, o);
            // one loop over the k² window positions in row-major order (two nested loops here
            // make C2 on JDK 17 keep the vectors in memory instead of registers: several times slower)
            for (int q = 0; q < positions; q++) {
                FloatVector value = FloatVector.fromArray(FLOATS, windows, q * rowLength + o);
                FloatVector position = origin.add(geometry.offset[q]);
                VectorMask<Float> greater = value.compare(VectorOperators.GT, max);
                max = max.blend(value, greater);
                best = best.blend(position, greater);
                VectorMask<Float> nan = value.compare(VectorOperators.NE, value);
                max = max.blend(value, nan);
                best = best.blend(position, nan);
            }
            int count = Math.min(lanes, outputs - o);                        // the last vector: only its real lanes
            best.intoArray(index, 0);
            if (count == lanes) {
                max.intoArray(out, outBase + o);
            } else {
                max.intoArray(values, 0);
                System.arraycopy(values, 0, out, outBase + o, count);
            }
            for (int l = 0; l < count; l++) {
                argmax[outBase + o + l] = (int) index[l];
            }
        }
    }

    /**
     * The plane geometry of {@link #maxValuesPlane}, computed once per call and shared by the planes:
     * the padded plane's rows and their pitch (W + 2·pad rounded up to whole vectors, so that a row is
     * whole vectors and needs no tail), and where each output's k window columns are read.
     */
    static final class MaxValuesGeometry {
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

        MaxValuesGeometry(int height, int width, int kernelSize, int stride, int padding, int outHeight,
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
        }
    }

    /** One thread's buffers for {@link #maxValuesPlane}, kept from call to call. */
    static final class MaxValuesScratch {
        private float[] padded = new float[0];
        private int paddedHeight = -1;
        private int paddedWidth = -1;
        private int paddedPadding = -1;
        private int paddedPitch = -1;
        float[] columnMax = new float[0];
        float[] columns = new float[0];
        final float[] tail = new float[FLOATS.length()];

        /**
         * The padded plane buffer for this geometry, all −∞ when made: the planes are copied into its
         * middle and never write the border, so it stays −∞ for every plane of this geometry.
         */
        float[] paddedFor(MaxValuesGeometry g) {
            if (paddedHeight != g.height || paddedWidth != g.width || paddedPadding != g.padding
                    || paddedPitch != g.pitch) {
                padded = new float[g.paddedRows * g.pitch];
                java.util.Arrays.fill(padded, Float.NEGATIVE_INFINITY);
                paddedHeight = g.height;
                paddedWidth = g.width;
                paddedPadding = g.padding;
                paddedPitch = g.pitch;
            }
            if (columnMax.length < g.outHeight * g.pitch) {
                columnMax = new float[g.outHeight * g.pitch];
            }
            if (columns.length < g.kernelSize * g.rowLength) {
                columns = new float[g.kernelSize * g.rowLength];
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
     * output's window into a row of the plane's outputs (k rows, where the argmax kernel needs k²), so
     * that a vector holds 16 outputs (8 on AVX2) even when an output row is only 14 long.
     * Each step keeps the twin's rule {@code value > max || isNaN(value)} (compare, blend), so the
     * maximum is the twin's value and a NaN in the window gives NaN; only when a window's maximum is a
     * zero held by both +0 and −0 may the other zero come out, the columns being met before the rows.
     */
    static void maxValuesPlane(float[] padded, MaxValuesGeometry g, MaxValuesScratch scratch, float[] out,
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

    /** The twin's step {@code if (value > max || isNaN(value)) max = value}, lane by lane, without a branch. */
    private static FloatVector keepGreaterOrNaN(FloatVector max, FloatVector value) {
        max = max.blend(value, value.compare(VectorOperators.GT, max));
        return max.blend(value, value.compare(VectorOperators.NE, value));
    }

    /** Lanes of a vector: the length of the {@code index} scratch of {@link #maxPoolPlane}. */
    static int lanes() {
        return FLOATS.length();
    }

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /**
     * Average pooling of one plane from {@code windows}, its window positions' values widened to double
     * in rows of the plane's outputs as for max pooling: each output's sum, over the positions in
     * row-major order from 0, divided by its divisor, all in double, into {@code means}. The twin's
     * order and arithmetic, so its bits; a vector of outputs at a time instead of one. Returns the
     * first output not done.
     */
    static int avgPoolPlane(double[] windows, int positions, double[] divisors, double[] means, int outputs) {
        int lanes = DOUBLES.length();
        int o = 0;
        for (; o <= outputs - lanes; o += lanes) {
            DoubleVector sum = DoubleVector.zero(DOUBLES);
            for (int q = 0; q < positions; q++) {                            // one loop, as in maxPoolPlane
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
