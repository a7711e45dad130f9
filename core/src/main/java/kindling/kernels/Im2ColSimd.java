package kindling.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col for small output planes with the Vector API, for {@link Conv2dKernels} in mode {@code simd};
 * {@link Im2Col#im2col} is the scalar twin (same contract: the same col matrix, value for value) and
 * the convolution tests hold both to {@link ConvNaive}. Only loaded when the JVM has
 * {@code jdk.incubator.vector}.
 *
 * <p>On a 7×7, 4×4 or 2×2 output plane (ResNet's last stages) every row of col is a handful of short
 * runs per image, with padding between them: copying them one by one costs about 1 ns a value, more
 * than the matrix product that reads them. Two ideas:
 * <ul>
 *   <li><b>One table for the whole chunk.</b> For each tap t = (a, b) and each column u of the chunk
 *       (image slot s, output position q), {@code source[t][u]} says where that column's pixel sits
 *       relative to the current channel of the chunk's first image: s·C_in·H·W + pixel. Then row
 *       (c, t) of col is one loop over all the chunk's columns, images side by side:
 *       <pre>
 *   col[(c·k_h·k_w + t)·columns + u] = x[channelBase(c) + source[t][u]]    (0 where u is padding)
 *       </pre>
 *       a loop of hundreds of columns instead of a few per image, and the table depends only on
 *       the shapes, so it is built once per chunk and reused for every channel.</li>
 *   <li><b>A gather per vector.</b> {@code FloatVector.fromArray} with an index map loads 16 (8 on
 *       AVX2) pixels from scattered places in one instruction. Padding columns point at some valid
 *       pixel, and a lane mask from the table's {@code padding[t][u]} then blends 0 into them: no
 *       branch, and an infinite pixel cannot leak through the padding (a blend, not a product).</li>
 * </ul>
 * The values copied are exactly the scalar twin's, so the choice of kernel never changes a result.
 */
final class Im2ColSimd {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    /** Per-thread tables: the source of every (tap, column), and whether it is padding. */
    private static final ThreadLocal<int[]> SOURCE = ThreadLocal.withInitial(() -> new int[0]);
    private static final ThreadLocal<boolean[]> PADDING = ThreadLocal.withInitial(() -> new boolean[0]);

    private Im2ColSimd() {
    }

    /**
     * Writes the patches of images {@code first .. first + images − 1} into col, image first + s into
     * column block s; col is (C_in·k_h·k_w) × (images·H_out·W_out), row-major. Same contract as
     * {@link Im2Col#im2col}.
     */
    static void im2col(float[] x, ConvGeometry g, int first, int images, float[] col) {
        int taps = g.kernelH() * g.kernelW();
        int positions = g.outPlane();
        int columns = images * positions;
        int plane = g.height() * g.width();
        int imageFloats = g.inChannels() * plane;
        if (plane == 0) {                                   // an empty image: every patch lies in the padding
            Arrays.fill(col, 0, g.inChannels() * taps * columns, 0f);
            return;
        }
        int[] perImage = Im2Col.sourceTable(g);             // one image's table, widened to the chunk
        int[] source = sources(taps * columns);
        boolean[] padding = padding(taps * columns);
        for (int t = 0; t < taps; t++) {
            for (int q = 0; q < positions; q++) {
                int pixel = perImage[t * positions + q];
                boolean inside = pixel < plane;
                for (int slot = 0; slot < images; slot++) {
                    int u = t * columns + slot * positions + q;
                    source[u] = slot * imageFloats + (inside ? pixel : 0);   // padding: any valid pixel, masked below
                    padding[u] = !inside;
                }
            }
        }
        int lanes = FLOATS.length();
        for (int c = 0; c < g.inChannels(); c++) {
            int channelBase = first * imageFloats + c * plane;
            for (int t = 0; t < taps; t++) {
                int row = (c * taps + t) * columns;
                int table = t * columns;
                int u = 0;
                for (; u <= columns - lanes; u += lanes) {            // 16 columns a gather
                    VectorMask<Float> pad = VectorMask.fromArray(FLOATS, padding, table + u);
                    FloatVector.fromArray(FLOATS, x, channelBase, source, table + u)
                            .blend(0f, pad)
                            .intoArray(col, row + u);
                }
                for (; u < columns; u++) {                            // the last few, one by one
                    col[row + u] = padding[table + u] ? 0f : x[channelBase + source[table + u]];
                }
            }
        }
    }

    private static int[] sources(int size) {
        int[] table = SOURCE.get();
        if (table.length < size) {
            table = new int[size];
            SOURCE.set(table);
        }
        return table;
    }

    private static boolean[] padding(int size) {
        boolean[] table = PADDING.get();
        if (table.length < size) {
            table = new boolean[size];
            PADDING.set(table);
        }
        return table;
    }
}
