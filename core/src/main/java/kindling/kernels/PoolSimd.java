package kindling.kernels;

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
 * other input; lanes may belong to two output rows), so each position is read with a gather
 * ({@code fromArray} with an index map).
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
     * holds 16 of them even when a row has only 14 (ResNet's stem pool on 28 × 28 inputs): lane by lane
     * the window origins differ, and each window position is read with a gather.
     */
    static final class MaxPoolGeometry {
        final int kernelSize;
        final int paddedWidth;          // W + 2·pad: the row length of the padded copy
        final int width;
        final int[] paddedOrigin;       // per output: index of its window's corner in the padded copy
        final float[] origin;           // per output: (i·s − pad)·W + (j·s − pad), the corner in x's plane
        final float[] firstInside;      // per output: the first window element inside x, the twin's start

        MaxPoolGeometry(int height, int width, int kernelSize, int stride, int padding, int outHeight, int outWidth) {
            this.kernelSize = kernelSize;
            this.width = width;
            this.paddedWidth = width + 2 * padding;
            int outputs = outHeight * outWidth;
            paddedOrigin = new int[outputs];
            origin = new float[outputs];
            firstInside = new float[outputs];
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int o = i * outWidth + j;
                    paddedOrigin[o] = i * stride * paddedWidth + j * stride;
                    origin[o] = (i * stride - padding) * width + (j * stride - padding);
                    firstInside[o] = Math.max(i * stride - padding, 0) * width + Math.max(j * stride - padding, 0);
                }
            }
        }
    }

    /**
     * Max pooling of one plane, {@code padded} being its copy with {@code pad} rows and columns of −∞
     * around it (or x itself when pad = 0, {@code paddedBase} its offset): every window lies inside it.
     * A vector of outputs at a time, each window position in row-major order: a gather of that
     * position for the 16 (or 8) outputs, a mask of the lanes where it wins ({@code value > max ||
     * isNaN(value)}, the twin's rule), and a blend of value and index. −∞ never wins, so padding never
     * does, and the index starts at each window's first element inside x, as in the twin.
     * Returns the first output element not done (a whole vector did not fit); the caller finishes.
     */
    static int maxPoolPlane(float[] padded, int paddedBase, MaxPoolGeometry geometry,
                            float[] out, int[] argmax, int outBase, int outputs) {
        int lanes = FLOATS.length();
        int k = geometry.kernelSize;
        FloatVector minusInfinity = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        float[] index = new float[lanes];
        int o = 0;
        for (; o <= outputs - lanes; o += lanes) {                           // a vector of output elements
            FloatVector max = minusInfinity;
            // indices as floats (exact below 2^24, see usable), so that the float mask blends them too
            FloatVector best = FloatVector.fromArray(FLOATS, geometry.firstInside, o);
            FloatVector origin = FloatVector.fromArray(FLOATS, geometry.origin, o);
            for (int a = 0; a < k; a++) {                                    // the window, row-major
                for (int b = 0; b < k; b++) {
                    FloatVector value = FloatVector.fromArray(FLOATS, padded,
                            paddedBase + a * geometry.paddedWidth + b, geometry.paddedOrigin, o);
                    FloatVector position = origin.add(a * geometry.width + b);
                    // the scalar rule lane by lane, no branch: a greater value replaces, then a NaN does
                    VectorMask<Float> greater = value.compare(VectorOperators.GT, max);
                    max = max.blend(value, greater);
                    best = best.blend(position, greater);
                    VectorMask<Float> nan = value.compare(VectorOperators.NE, value);
                    max = max.blend(value, nan);
                    best = best.blend(position, nan);
                }
            }
            max.intoArray(out, outBase + o);
            best.intoArray(index, 0);
            for (int l = 0; l < lanes; l++) {
                argmax[outBase + o + l] = (int) index[l];
            }
        }
        return o;
    }
}
