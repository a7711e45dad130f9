package kindling.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col for small output planes with the Vector API, for {@link Conv2dKernels} in mode {@code simd},
 * with its two relatives on the same planes: colᵀ for the weight gradient ({@code im2colTransposed})
 * and col2im by gathering for the input gradient ({@code col2im}). {@link Im2Col#im2col},
 * {@link Im2Col#im2colTransposed} and {@link Im2Col#col2im} are the scalar twins (same contracts, the
 * same values, and for col2im the same additions in the same order), and
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
 * A stride-1 layer whose output is as wide as its input ({@link #keepsRows}) needs neither: there a
 * row of col is the plane itself, shifted, and {@link #im2colByShifts} copies it with plain vector
 * loads. The values copied are exactly the scalar twin's, so the choice of kernel never changes a result.
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
        if (keepsRows(g)) {
            im2colByShifts(x, g, first, images, col);
            return;
        }
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

    /**
     * Whether layer g's output rows are its input rows shifted ({@link #im2colByShifts}): stride 1 and
     * an output as wide as the input, so that output position q = i·W + j of tap (a, b) reads input
     * pixel q + shift(a, b), one shift for the whole plane.
     */
    static boolean keepsRows(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.outWidth() == g.width() && g.outPlane() > 0;
    }

    /**
     * im2col of a layer that {@link #keepsRows}, by shifted loads instead of gathers. With stride 1 and
     * W_out = W, output position (i, j) of tap (a, b) reads pixel (i + a·d_h − pad_top, j + b·d_w − pad_left),
     * whose index in the plane is
     * <pre>
     *   q + shift(a, b),   q = i·W + j,   shift(a, b) = (a·d_h − pad_top)·W + (b·d_w − pad_left)
     * </pre>
     * so a vector of output positions is one contiguous load of the plane, moved by the tap's shift:
     * the pixels that fall off the plane (above, below, or past a row's end into the next row) are
     * the padding, and a lane mask built once per call ({@code padding[t][q]}) blends 0 into them (a
     * blend selects, it does not multiply, so an infinite pixel cannot leak into the padding). A
     * gather costs about a load per lane; this is one load, one blend and one store per vector. Near
     * the ends of x, where a whole vector would read outside the array, the lanes go one by one. Each
     * image's positions are written a whole vector at a time: the last vector of an image may run
     * past its positions into the next image's (or the next row's), which are written afterwards
     * (the vectors of a row go last one first, images in order within each; then taps, then
     * channels, in order), and only the very end of col is written lane by lane. The values are the scalar twin's.
     */
    static void im2colByShifts(float[] x, ConvGeometry g, int first, int images, float[] col) {
        int taps = g.kernelH() * g.kernelW();
        int positions = g.outPlane();
        int columns = images * positions;
        int plane = g.height() * g.width();
        int imageFloats = g.inChannels() * plane;
        int lanes = FLOATS.length();
        int span = ((positions + lanes - 1) / lanes) * lanes;      // positions rounded up to whole vectors
        boolean[] padding = padding(taps * span);
        int[] shift = sources(taps);
        for (int a = 0; a < g.kernelH(); a++) {
            for (int b = 0; b < g.kernelW(); b++) {
                int t = a * g.kernelW() + b;
                int di = a * g.dilationH() - g.padTop();
                int dj = b * g.dilationW() - g.padLeft();
                shift[t] = di * g.width() + dj;
                for (int q = 0; q < span; q++) {
                    int i = q / g.width() + di;
                    int j = q % g.width() + dj;
                    padding[t * span + q] = q >= positions || i < 0 || i >= g.height() || j < 0 || j >= g.width();
                }
            }
        }
        int end = g.inChannels() * taps * columns;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int t = 0; t < taps; t++) {
                int row = (c * taps + t) * columns;
                int source = first * imageFloats + c * plane + shift[t];
                // The last vector of each image first, for all images, then the one before...: an
                // image's last vector, running past its positions, lands on the next image's first
                // positions, which a later pass (or the next image, in the same pass) writes again.
                for (int q = span - lanes; q >= 0; q -= lanes) {
                    VectorMask<Float> pad = VectorMask.fromArray(FLOATS, padding, t * span + q);
                    for (int slot = 0; slot < images; slot++) {
                        int from = source + slot * imageFloats + q;
                        int to = row + slot * positions + q;
                        if (from >= 0 && from <= x.length - lanes && to <= end - lanes) {
                            FloatVector.fromArray(FLOATS, x, from).blend(0f, pad).intoArray(col, to);
                        } else {
                            // the ends of x and of col: lane by lane (only the valid pixels are read)
                            for (int e = 0; e < Math.min(lanes, positions - q); e++) {
                                col[to + e] = padding[t * span + q + e] ? 0f : x[from + e];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the columns of images {@code first .. first + images − 1} back into x, column block s into
     * image first + s: the same sum as {@link Im2Col#col2im} called for each image, to the bit. This is
     * the last step of ∂L/∂x for a strided layer with a small output plane (ResNet's stride-2 3×3 and
     * 1×1 layers), where col2im's rows are a few values long and a row-by-row scatter costs several
     * times the matrix product before it.
     *
     * <p>col2im scatters: each column entry is added to the pixel it came from. Turned around, each
     * pixel gathers: it receives one value from every tap whose patch covers it (at most one per tap,
     * since for a fixed tap different output positions read different pixels), in the order of the
     * taps, which is the order col2im adds them in. So one table, built once per call, lists for each
     * pixel v of a channel plane its contributions k = 0, 1, ... (at most {@code depth}):
     * <pre>
     *   from[k][v] = t·columns + q     (tap t, output position q: the column entry of channel 0, image 0)
     *   x[n][c][v] += col[(c·k_h·k_w)·columns + s·H_out·W_out + from[0][v]] + ... + col[... + from[depth−1][v]]
     * </pre>
     * and the plane is walked {@code depth} times, k = 0, 1, ..., each time adding a gather of every
     * pixel's k-th contribution, a vector of pixels at a time, with the pixels that have fewer
     * contributions masked off (nothing, not even a 0, is added for them). (Summing the k
     * contributions in a register instead, one pixel vector at a time, ran three to five times
     * slower in some JVM runs: a vector carried around a loop is one the JIT may fail to keep in a
     * register.)
     * On a 3×3 layer with stride 2 a pixel has 1, 2 or 4 contributions; with a 1×1 stride-2 shortcut,
     * 1 or none.
     */
    static void col2im(float[] col, int columns, ConvGeometry g, int first, int images, float[] x) {
        int taps = g.kernelH() * g.kernelW();
        int positions = g.outPlane();
        int plane = g.height() * g.width();
        if (plane == 0 || positions == 0) {
            return;
        }
        int[] perImage = Im2Col.sourceTable(g);
        int[] count = new int[plane];
        int depth = 0;
        for (int u = 0; u < taps * positions; u++) {
            if (perImage[u] < plane) {
                depth = Math.max(depth, ++count[perImage[u]]);
            }
        }
        int[] from = sources(depth * plane);
        boolean[] present = padding(depth * plane);
        Arrays.fill(from, 0, depth * plane, 0);                 // absent: any valid entry, masked off
        Arrays.fill(present, 0, depth * plane, false);
        Arrays.fill(count, 0);
        for (int t = 0; t < taps; t++) {                         // taps in order: col2im's order of the adds
            for (int q = 0; q < positions; q++) {
                int pixel = perImage[t * positions + q];
                if (pixel < plane) {
                    int k = count[pixel]++;
                    from[k * plane + pixel] = t * columns + q;
                    present[k * plane + pixel] = true;
                }
            }
        }
        int lanes = FLOATS.length();
        int bound = FLOATS.loopBound(plane);
        for (int slot = 0; slot < images; slot++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int colBase = c * taps * columns + slot * positions;
                int xBase = ((first + slot) * g.inChannels() + c) * plane;
                for (int k = 0; k < depth; k++) {                // each pixel's k-th contribution
                    int table = k * plane;
                    int v = 0;
                    for (; v < bound; v += lanes) {              // 16 pixels (8 on AVX2) at a time
                        VectorMask<Float> has = VectorMask.fromArray(FLOATS, present, table + v);
                        FloatVector.fromArray(FLOATS, x, xBase + v)
                                .add(FloatVector.fromArray(FLOATS, col, colBase, from, table + v), has)
                                .intoArray(x, xBase + v);
                    }
                    for (; v < plane; v++) {                     // the last few, one by one
                        if (present[table + v]) {
                            x[xBase + v] += col[colBase + from[table + v]];
                        }
                    }
                }
            }
        }
    }

    /**
     * Where the values of one colᵀ row come from, for every output position: the table of
     * {@link #im2colTransposed}. It depends only on the shapes, so one table serves every chunk and
     * thread of a call (it is only read).
     */
    static final class TransposedTable {
        /** source[q·C_in·k_h·k_w + c·k_h·k_w + t]: c·H·W + the pixel, or 0 where it lies in the padding. */
        final int[] source;
        /** Whether that entry lies in the padding (then 0 is written). */
        final boolean[] padding;

        TransposedTable(ConvGeometry g) {
            int taps = g.kernelH() * g.kernelW();
            int positions = g.outPlane();
            int plane = g.height() * g.width();
            int rowLength = g.inChannels() * taps;
            int[] perImage = Im2Col.sourceTable(g);
            source = new int[positions * rowLength];
            padding = new boolean[positions * rowLength];
            for (int q = 0; q < positions; q++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    for (int t = 0; t < taps; t++) {
                        int pixel = perImage[t * positions + q];
                        int e = q * rowLength + c * taps + t;
                        source[e] = pixel < plane ? c * plane + pixel : 0;
                        padding[e] = pixel >= plane;
                    }
                }
            }
        }
    }

    /**
     * {@link Im2Col#im2colTransposed} for images {@code first .. first + images − 1} (image first + s
     * into rows s·H_out·W_out ..), the same values: colᵀ has one row per output position, each the
     * C_in·k_h·k_w values of its patch. With the table, a row is a few gathers (16 values each on
     * AVX-512), with 0 blended into the padding: a row of a 3×3 layer with 32 input channels is 18.
     * In this layout the weight gradient ∂L/∂W = ∂L/∂Y · colᵀ reads colᵀ as GEMM's B, row by row
     * where it is, instead of packing the whole col matrix (see {@code Conv2dKernels}).
     */
    static void im2colTransposed(float[] x, ConvGeometry g, int first, int images, TransposedTable table,
                                 float[] colT) {
        im2colTransposed(x, g, first, images, table, colT, 0);
    }

    /** {@link #im2colTransposed(float[], ConvGeometry, int, int, TransposedTable, float[])} with colᵀ's rows from {@code colTOffset} on. */
    static void im2colTransposed(float[] x, ConvGeometry g, int first, int images, TransposedTable table,
                                 float[] colT, int colTOffset) {
        int positions = g.outPlane();
        int rowLength = g.inChannels() * g.kernelH() * g.kernelW();
        int imageFloats = g.inChannels() * g.height() * g.width();
        if (imageFloats == 0) {                            // an empty image: every patch lies in the padding
            Arrays.fill(colT, colTOffset, colTOffset + images * positions * rowLength, 0f);
            return;
        }
        int lanes = FLOATS.length();
        int bound = FLOATS.loopBound(rowLength);
        for (int slot = 0; slot < images; slot++) {
            int image = (first + slot) * imageFloats;
            for (int q = 0; q < positions; q++) {
                int row = colTOffset + (slot * positions + q) * rowLength;
                int from = q * rowLength;
                int e = 0;
                for (; e < bound; e += lanes) {
                    VectorMask<Float> pad = VectorMask.fromArray(FLOATS, table.padding, from + e);
                    FloatVector.fromArray(FLOATS, x, image, table.source, from + e)
                            .blend(0f, pad)
                            .intoArray(colT, row + e);
                }
                for (; e < rowLength; e++) {
                    colT[row + e] = table.padding[from + e] ? 0f : x[image + table.source[from + e]];
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
