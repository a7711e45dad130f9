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
