package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2-D convolution forward as a direct convolution with the Vector API: no im2col matrix, no
 * GEMM call; {@link ConvNaive} is the same contract as the textbook sum, and the tests hold this
 * class to it. Only loaded in kernel mode simd (see {@link Conv2dKernels#forward}).
 *
 * <h2>The idea: make every filter tap a shifted view of one array</h2>
 * With stride 1 and the image padded, output position (i, j) of a filter tap (c, a, b) reads pixel
 * {@code xp[c][i + a·d_h][j + b·d_w]}. Lay the padded image out flat, rows {@code W_q} apart, and number
 * the output positions the same way, q = i·W_q + j; then
 * <pre>
 *   xp index of (position q, tap k = (c, a, b))  =  q + tap[k],     tap[k] = c·plane + a·d_h·W_q + b·d_w
 *   y[o][q] = Σ_k W[o][k] · xp[q + tap[k]]
 * </pre>
 * so for one tap, consecutive output positions read consecutive pixels: a vector of outputs is one
 * vector load of the padded image, at an offset. That is the im2col matrix's row k, read where it
 * already is instead of copied. The price: positions j ≥ W_out of each flat row are computed and
 * thrown away ((W_q − W_out)/W_q of the work: 1 of 29 columns on ResNet's 3×3 layer, 4 of 14 on
 * LeNet's conv2). With stride 1 a row's right padding is the next row's left padding
 * ({@link Layout#columns}), and a panel skips the filter rows that read only padding rows.
 *
 * <p>A stride s becomes stride 1 by splitting the padded image into s_h·s_w phase planes (rows
 * ≡ p_h mod s_h, columns ≡ p_w mod s_w): pixel (i·s + a·d) is row i + ⌊a·d/s⌋ of phase (a·d mod s).
 * So the same formula serves every stride and dilation, only {@code tap[k]} changes.
 *
 * <h2>The loops</h2>
 * <pre>
 *   for each image (in parallel; one image's outputs never depend on another's)
 *     xq = padded, phase-split copy of the image                 (per-thread buffer, about the input's size)
 *     for each panel of NR = 3 vectors of positions q
 *       for each block of MR = 4 filters
 *         micro-kernel: for k in 0..K: 3 vector loads of xq[q + tap[k] ..],
 *                       4 broadcasts of W[o][k], 12 FMAs into 12 accumulators (registers)
 *     copy the rows back to (C_out, H_out, W_out), dropping the extra columns, adding the bias
 * </pre>
 * 12 accumulators + 3 loaded vectors + 1 broadcast = 16 vector registers: fits AVX2's 16 as well as
 * AVX-512's 32, whatever the vector width ({@link FloatVector#SPECIES_PREFERRED}). When 3 divides
 * the filter count better than 4 (6 filters: LeNet's ∂L/∂x), blocks of 3 filters at 4 vectors of
 * positions instead (also 12 accumulators), so no zero filters are computed. With 32 registers
 * ({@link #REGISTERS}: 512-bit vectors mean AVX-512) the blocks are 8 filters × 3 vectors or 6 × 4,
 * 24 accumulators, so each tap's loop overhead is shared by twice as many FMAs. The filters are
 * packed once per call as [block][k][MR], so the 4 broadcasts of a step are adjacent floats; channel
 * counts that are not a multiple of MR are padded with zero filters, never stored. Each output sums
 * its taps in order k = 0..K−1 on one thread, so results do not depend on the thread count.
 */
final class ConvSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Filters per micro-kernel block. */
    static final int MR = 4;
    /** Output positions per micro-kernel block: three vectors. */
    static final int NR = 3 * LANES;
    /**
     * The narrow micro-kernel's block: 3 filters at 4 vectors of positions (also 12 accumulators),
     * for filter counts that 3 divides better than 4 (6 filters: two blocks of 3 instead of two
     * blocks of 4 with 2 zero filters computed for nothing).
     */
    static final int NARROW_MR = 3;
    static final int NARROW_NR = 4 * LANES;
    /**
     * The vector registers the micro-kernels may fill: 32 with 512-bit vectors (AVX-512), 16 with
     * narrower ones (AVX2), as {@link GemmSimd} assumes too. With 32, the blocks are twice as large:
     * 8 filters × 3 vectors or 6 filters × 4 vectors, 24 accumulators.
     */
    static final int REGISTERS = LANES >= 16 ? 32 : 16;

    /**
     * Per-thread buffers, kept from call to call: the padded image, and the outputs with the extra
     * columns (forward) or ∂L/∂y transposed (weight gradient).
     */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private static final class Workspace {
        private float[] image = new float[0];
        private float[] rows = new float[0];
        /** The layout whose zero padding {@code image} holds, or null. */
        private Layout cleared;

        /**
         * The padded-image buffer for layout, zero wherever {@link #padAndSplit} writes no value: cleared
         * on the first image of each call on this thread, and kept zero by padAndSplit after that.
         */
        float[] image(Layout layout, ConvGeometry g) {
            int size = layout.imageFloats(g);
            if (image.length < size) {
                image = new float[size];
            } else if (cleared != layout) {
                java.util.Arrays.fill(image, 0, size, 0f);
            }
            cleared = layout;
            return image;
        }

        /** The second buffer, at least {@code size} floats. */
        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }
    }

    private ConvSimd() {
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. Same contract as {@link ConvNaive#forward}. */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        return forward(x, w, bias, g, REGISTERS);
    }

    /** {@link #forward} with the micro-kernels for {@code registers} vector registers (the tests run both). */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g, int registers) {
        float[] y = new float[g.batch() * g.outChannels() * g.outPlane()];
        if (y.length == 0) {
            return y;
        }
        Layout layout = new Layout(g, registers);
        float[] packed = packFilters(w, g, layout.mr, layout.rowOrder);
        int tasks = g.batch();
        Threads.parallelFor(tasks, n -> image(x, packed, bias, g, layout, n, y));
        return y;
    }

    /**
     * The least share of the computed output positions that must be real ones (not the columns past
     * W_out of each flat row, nor the last panel's overhang) for this kernel to beat im2col + GEMM.
     * On ResNet.small()'s 7×7, 4×4 and 2×2 planes (shares 0.51, 0.33 and 0.08 with 16 lanes) the GEMM
     * path, which lines up the positions of many images, made a training step about a third faster
     * than this kernel; every benchmark layer (LeNet 0.69, ResNet 3×3 0.91, AlexNet conv1) stays here.
     */
    static final double MIN_USEFUL_SHARE = 0.6;

    /**
     * Whether this kernel suits layer g: at least {@link #MIN_USEFUL_SHARE} of the positions it would
     * compute are outputs. The share depends on the vector width (a panel is three vectors), so a
     * 256-bit machine sends more layers here than a 512-bit one.
     */
    static boolean suits(ConvGeometry g) {
        Layout layout = new Layout(g);
        return g.outPlane() >= MIN_USEFUL_SHARE * layout.panels * NR;
    }

    /** Sizes of the padded, phase-split image and the tap offsets, shared by every image of a call. */
    static final class Layout {
        /** Rows and columns of one phase plane. */
        final int rows;
        final int cols;
        /** Floats of one input channel: s_h·s_w phase planes. */
        final int channelFloats;
        /** Output positions in flat numbering, q = i·cols + j, up to the last valid one (exclusive). */
        final int positions;
        /** Filters per micro-kernel block (MR or NARROW_MR) and positions per block (NR or NARROW_NR). */
        final int mr;
        final int nr;
        /** Panels of nr positions covering them. */
        final int panels;
        /** tap[k] for the K = (C_in/groups)·k_h·k_w taps of one group, relative to the group's first channel. */
        final int[] tap;
        /** 0, s_w, 2·s_w, ...: the indices of one gather along a strided row ({@link #gatherRun}). */
        final int[] strideMap;
        /**
         * The forward's taps in the order (a, c, b), filter row outermost: {@code rowOrder[k]} is tap k's
         * index in {@link #tap}, {@code rowOrderTap[k]} its offset. Then the taps of the filter rows a
         * that can reach the image from a panel are one range of k ({@link #panelFrom}, {@link #panelTo}).
         */
        final int[] rowOrder;
        final int[] rowOrderTap;
        /** Per panel of positions: the range of k (in row order) whose taps can read a pixel of the image. */
        final int[] panelFrom;
        final int[] panelTo;

        Layout(ConvGeometry g) {
            this(g, REGISTERS);
        }

        /** The layout for micro-kernels that fill {@code registers} vector registers (16 or 32). */
        Layout(ConvGeometry g, int registers) {
            rows = g.outHeight() + (g.kernelH() - 1) * g.dilationH() / g.strideH();
            cols = columns(g);
            channelFloats = g.strideH() * g.strideW() * rows * cols;
            positions = (g.outHeight() - 1) * cols + g.outWidth();
            mr = filtersPerBlock(g.outPerGroup(), registers);
            nr = positionsPerBlock(mr);
            panels = (positions + nr - 1) / nr;
            strideMap = new int[LANES];
            for (int lane = 0; lane < LANES; lane++) {
                strideMap[lane] = lane * g.strideW();
            }
            tap = new int[g.patchSize()];
            int k = 0;
            for (int c = 0; c < g.inPerGroup(); c++) {
                for (int a = 0; a < g.kernelH(); a++) {
                    int along = a * g.dilationH();
                    for (int b = 0; b < g.kernelW(); b++) {
                        int across = b * g.dilationW();
                        int phase = (along % g.strideH()) * g.strideW() + across % g.strideW();
                        tap[k++] = c * channelFloats + phase * rows * cols
                                + along / g.strideH() * cols + across / g.strideW();
                    }
                }
            }
            rowOrder = new int[g.patchSize()];
            rowOrderTap = new int[g.patchSize()];
            int r = 0;
            for (int a = 0; a < g.kernelH(); a++) {
                for (int c = 0; c < g.inPerGroup(); c++) {
                    for (int b = 0; b < g.kernelW(); b++, r++) {
                        rowOrder[r] = (c * g.kernelH() + a) * g.kernelW() + b;
                        rowOrderTap[r] = tap[rowOrder[r]];
                    }
                }
            }
            // Output row i reads padded row i + a·d_h, which holds image pixels only for pad_top ≤ i + a·d_h
            // < pad_top + H; a filter row that reads padding on every row of a panel adds nothing but
            // zeros there and is skipped (only for stride 1 rows: with a stride, a phase's rows differ).
            panelFrom = new int[panels];
            panelTo = new int[panels];
            int perRow = g.inPerGroup() * g.kernelW();
            for (int panel = 0; panel < panels; panel++) {
                int aFrom = 0;
                int aTo = g.kernelH();
                if (g.strideH() == 1) {
                    int firstRow = panel * nr / cols;
                    int lastRow = Math.min(g.outHeight() - 1, ((panel + 1) * nr - 1) / cols);
                    while (aFrom < aTo && aFrom * g.dilationH() + lastRow < g.padTop()) {
                        aFrom++;
                    }
                    while (aTo > aFrom && (aTo - 1) * g.dilationH() + firstRow >= g.padTop() + g.height()) {
                        aTo--;
                    }
                }
                panelFrom[panel] = aFrom * perRow;
                panelTo[panel] = aTo * perRow;
            }
        }

        /**
         * W_q, the row length of a phase plane. With stride 1 along the rows, a row's right padding
         * and the next row's left padding are the same zeros: the image's W columns, then
         * max(pad_left, pad_right) zeros (and at least W_out), with pad_left floats before the first
         * row; W_out + d_w·(k_w − 1) = pad_left + W + pad_right otherwise. A row read from
         * column −pad_left lands on the previous row's zeros. On LeNet conv2's ∂L/∂x (10 columns, 4 of
         * padding on each side) that is 14 instead of 18 columns, no position thrown away.
         */
        static int columns(ConvGeometry g) {
            int span = (g.kernelW() - 1) * g.dilationW();
            if (g.strideW() != 1) {
                return g.outWidth() + span / g.strideW();
            }
            int right = Math.max(0, g.outWidth() + span - g.padLeft() - g.width());
            return Math.max(g.width() + Math.max(g.padLeft(), right), g.outWidth());
        }

        /** The padded image's floats, with room for the last panel's overhang (read, never used). */
        int imageFloats(ConvGeometry g) {
            return g.inChannels() * channelFloats + g.padLeft() + NARROW_NR;
        }
    }

    /**
     * Filters per micro-kernel block for a group of {@code filters} filters: of the blocks that fit
     * {@code registers} vector registers (8 × 3 vectors, 6 × 4, then 4 × 3 and 3 × 4 with 32; 4 × 3
     * and 3 × 4 with 16), the first that pads {@code filters} with the fewest zero filters, which are
     * computed and never stored.
     */
    static int filtersPerBlock(int filters, int registers) {
        int[] candidates = registers >= 32 ? new int[] {8, 6, MR, NARROW_MR} : new int[] {MR, NARROW_MR};
        int best = candidates[0];
        for (int mr : candidates) {
            if ((mr - filters % mr) % mr < (best - filters % best) % best) {
                best = mr;
            }
        }
        return best;
    }

    /** Positions per block of the micro-kernel with {@code mr} filters: 3 vectors for 8 and 4 filters, 4 for 6 and 3. */
    static int positionsPerBlock(int mr) {
        return mr == 8 || mr == MR ? NR : NARROW_NR;
    }

    /**
     * The filters as [group][block of mr][k][mr], k in the order of {@code order} (the index of the
     * k-th tap in the filter), zero for the filters past C_out/groups in the last block.
     */
    static float[] packFilters(float[] w, ConvGeometry g, int mr, int[] order) {
        int patch = g.patchSize();
        int blocks = (g.outPerGroup() + mr - 1) / mr;
        float[] packed = new float[g.groups() * blocks * patch * mr];
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < g.outPerGroup(); o++) {
                int filter = (group * g.outPerGroup() + o) * patch;
                int base = (group * blocks + o / mr) * patch * mr + o % mr;
                for (int k = 0; k < patch; k++) {
                    packed[base + k * mr] = w[filter + order[k]];
                }
            }
        }
        return packed;
    }

    /** Every output of image n. */
    private static void image(float[] x, float[] packed, float[] bias, ConvGeometry g, Layout layout, int n, float[] y) {
        Workspace workspace = WORKSPACE.get();
        float[] xq = workspace.image(layout, g);
        padAndSplit(x, g, layout, n, xq);
        int mr = layout.mr;
        int blocks = (g.outPerGroup() + mr - 1) / mr;
        int ldo = layout.panels * layout.nr;
        float[] out = workspace.rows(g.groups() * blocks * mr * ldo + LANES);   // + LANES: the last row's vector may read past it
        int patch = g.patchSize();
        for (int group = 0; group < g.groups(); group++) {
            int xBase = group * g.inPerGroup() * layout.channelFloats;
            for (int panel = 0; panel < layout.panels; panel++) {
                int q = panel * layout.nr;
                int from = layout.panelFrom[panel];
                int to = layout.panelTo[panel];
                int[] tap = layout.rowOrderTap;
                for (int block = 0; block < blocks; block++) {
                    int row = (group * blocks + block) * mr;
                    int wIndex = row * patch;
                    int outIndex = row * ldo + q;
                    switch (mr) {
                        case 8 -> microKernel8x3(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        case 6 -> microKernel6x4(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        case NARROW_MR -> narrowMicroKernel(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        default -> microKernel(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                    }
                }
            }
        }
        storeOutputs(out, bias, g, layout, blocks * mr, ldo, n, y);
    }

    /**
     * y[n][channel][i][j] = out[row of the channel][i·W_q + j] + bias[channel]: image n's outputs back to
     * (C_out, H_out, W_out), dropping the extra columns. Each output row is copied in whole vectors,
     * the last one ending at the row's end (overlapping the one before when W_out is not a multiple
     * of the vector width). A row narrower than a vector (LeNet's 10 columns with 16 lanes) is
     * written as one full vector that runs on into the next row: rows are written in order, so the
     * next row's own store overwrites the spill. Only the image's last rows, whose spill would reach
     * the next image (another thread's), are copied one float at a time. (A loop of one float at a
     * time spends more on its own counting than on copying when rows are this short.)
     */
    private static void storeOutputs(float[] out, float[] bias, ConvGeometry g, Layout layout, int rowsPerGroup,
                                     int ldo, int n, float[] y) {
        int outWidth = g.outWidth();
        int last = Math.max(0, outWidth - LANES);          // where each row's last vector starts
        int imageEnd = (n + 1) * g.outChannels() * g.outPlane();
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < g.outPerGroup(); o++) {
                int channel = group * g.outPerGroup() + o;
                float b = bias == null ? 0f : bias[channel];
                FloatVector bv = FloatVector.broadcast(SPECIES, b);
                int from = (group * rowsPerGroup + o) * ldo;
                int to = (n * g.outChannels() + channel) * g.outPlane();
                for (int i = 0; i < g.outHeight(); i++) {
                    int src = from + i * layout.cols;
                    int dst = to + i * outWidth;
                    if (dst + last + LANES > imageEnd) {
                        for (int j = 0; j < outWidth; j++) {
                            y[dst + j] = out[src + j] + b;
                        }
                        continue;
                    }
                    for (int j = 0; j < last; j += LANES) {
                        FloatVector.fromArray(SPECIES, out, src + j).add(bv).intoArray(y, dst + j);
                    }
                    FloatVector.fromArray(SPECIES, out, src + last).add(bv).intoArray(y, dst + last);
                }
            }
        }
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·MR + r] · xq[xIndex + tap[k] + p] for r &lt; MR, p &lt; NR:
     * MR filters at NR consecutive positions, all 12 sums in registers for the whole k loop.
     */
    private static void microKernel(float[] xq, int xIndex, int[] tap, int from, int to,
                                    float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            int wk = wIndex + k * MR;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·3 + r] · xq[xIndex + tap[k] + p] for r &lt; 3, p &lt; NARROW_NR:
     * the same as {@link #microKernel} for 3 filters at 4 vectors of positions.
     */
    private static void narrowMicroKernel(float[] xq, int xIndex, int[] tap, int from, int to,
                                          float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, at + 3 * LANES);
            int wk = wIndex + k * NARROW_MR;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            c13 = x3.fma(w1, c13);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            c23 = x3.fma(w2, c23);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c03.intoArray(out, outIndex + 3 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c13.intoArray(out, outIndex + ldo + 3 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c23.intoArray(out, outIndex + 2 * ldo + 3 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·8 + r] · xq[xIndex + tap[k] + p] for r &lt; 8, p &lt; 3·LANES:
     * {@link #microKernel} for 8 filters, for 32 vector registers (AVX-512): 24 accumulators, 3 loaded
     * vectors and a broadcast. Per tap the loop's own work (the tap's offset, the loads' bounds checks,
     * the counter) is shared by 24 multiply-adds instead of 12, and 11 loads feed 24 FMAs instead of 7
     * feeding 12. With 16 registers the JIT would spill accumulators to memory.
     */
    private static void microKernel8x3(float[] xq, int xIndex, int[] tap, int from, int to,
            float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES);
        FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES);
        FloatVector c71 = FloatVector.zero(SPECIES);
        FloatVector c72 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            int wk = wIndex + k * 8;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
            FloatVector w4 = FloatVector.broadcast(SPECIES, packed[wk + 4]);
            c40 = x0.fma(w4, c40);
            c41 = x1.fma(w4, c41);
            c42 = x2.fma(w4, c42);
            FloatVector w5 = FloatVector.broadcast(SPECIES, packed[wk + 5]);
            c50 = x0.fma(w5, c50);
            c51 = x1.fma(w5, c51);
            c52 = x2.fma(w5, c52);
            FloatVector w6 = FloatVector.broadcast(SPECIES, packed[wk + 6]);
            c60 = x0.fma(w6, c60);
            c61 = x1.fma(w6, c61);
            c62 = x2.fma(w6, c62);
            FloatVector w7 = FloatVector.broadcast(SPECIES, packed[wk + 7]);
            c70 = x0.fma(w7, c70);
            c71 = x1.fma(w7, c71);
            c72 = x2.fma(w7, c72);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
        c40.intoArray(out, outIndex + 4 * ldo);
        c41.intoArray(out, outIndex + 4 * ldo + LANES);
        c42.intoArray(out, outIndex + 4 * ldo + 2 * LANES);
        c50.intoArray(out, outIndex + 5 * ldo);
        c51.intoArray(out, outIndex + 5 * ldo + LANES);
        c52.intoArray(out, outIndex + 5 * ldo + 2 * LANES);
        c60.intoArray(out, outIndex + 6 * ldo);
        c61.intoArray(out, outIndex + 6 * ldo + LANES);
        c62.intoArray(out, outIndex + 6 * ldo + 2 * LANES);
        c70.intoArray(out, outIndex + 7 * ldo);
        c71.intoArray(out, outIndex + 7 * ldo + LANES);
        c72.intoArray(out, outIndex + 7 * ldo + 2 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·6 + r] · xq[xIndex + tap[k] + p] for r &lt; 6, p &lt; 4·LANES:
     * {@link #narrowMicroKernel} for 6 filters (LeNet's ∂L/∂x in one block), for 32 vector registers:
     * 24 accumulators, 4 loaded vectors and a broadcast.
     */
    private static void microKernel6x4(float[] xq, int xIndex, int[] tap, int from, int to,
            float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c33 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES);
        FloatVector c43 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c52 = FloatVector.zero(SPECIES);
        FloatVector c53 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, at + 3 * LANES);
            int wk = wIndex + k * 6;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            c13 = x3.fma(w1, c13);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            c23 = x3.fma(w2, c23);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
            c33 = x3.fma(w3, c33);
            FloatVector w4 = FloatVector.broadcast(SPECIES, packed[wk + 4]);
            c40 = x0.fma(w4, c40);
            c41 = x1.fma(w4, c41);
            c42 = x2.fma(w4, c42);
            c43 = x3.fma(w4, c43);
            FloatVector w5 = FloatVector.broadcast(SPECIES, packed[wk + 5]);
            c50 = x0.fma(w5, c50);
            c51 = x1.fma(w5, c51);
            c52 = x2.fma(w5, c52);
            c53 = x3.fma(w5, c53);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c03.intoArray(out, outIndex + 3 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c13.intoArray(out, outIndex + ldo + 3 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c23.intoArray(out, outIndex + 2 * ldo + 3 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
        c33.intoArray(out, outIndex + 3 * ldo + 3 * LANES);
        c40.intoArray(out, outIndex + 4 * ldo);
        c41.intoArray(out, outIndex + 4 * ldo + LANES);
        c42.intoArray(out, outIndex + 4 * ldo + 2 * LANES);
        c43.intoArray(out, outIndex + 4 * ldo + 3 * LANES);
        c50.intoArray(out, outIndex + 5 * ldo);
        c51.intoArray(out, outIndex + 5 * ldo + LANES);
        c52.intoArray(out, outIndex + 5 * ldo + 2 * LANES);
        c53.intoArray(out, outIndex + 5 * ldo + 3 * LANES);
    }

    /**
     * xq = image n of x, zero-padded and split into phase planes:
     * xq[c][p_h][p_w][u][v] = x[n][c][u·s_h + p_h − pad_top][v·s_w + p_w − pad_left], 0 outside the image.
     * Only the image's values are written: {@code xq} must come from {@link Workspace#image}, whose
     * padding (and the tail past the last plane, which the last panel reads) is zero and stays zero,
     * because every store here puts zeros past the end of its run (see {@link #copyRun}). So the
     * padding is cleared once per call and thread instead of once per image: on LeNet's ∂L/∂x (10×10
     * planes padded to 18×18) it is two thirds of the buffer.
     */
    static void padAndSplit(float[] x, ConvGeometry g, Layout layout, int n, float[] xq) {
        int plane = g.height() * g.width();
        int sw = g.strideW();
        int out = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            int xBase = (n * g.inChannels() + c) * plane;
            for (int ph = 0; ph < g.strideH(); ph++) {
                for (int pw = 0; pw < sw; pw++, out += layout.rows * layout.cols) {
                    int shift = pw - g.padLeft();
                    int first = Im2Col.firstInside(shift, sw, layout.cols);
                    int end = Im2Col.endInside(shift, sw, g.width(), first, layout.cols);
                    int length = end - first;
                    if (length == 0) {
                        continue;
                    }
                    VectorMask<Float> tail = SPECIES.indexInRange(0, length % LANES);   // the last partial vector's lanes
                    // Rows u of this phase that hold image rows h = u·s_h + p_h − pad_top in [0, H).
                    int u0 = Math.max(0, (g.padTop() - ph + g.strideH() - 1) / g.strideH());
                    int u1 = Math.min(layout.rows, Math.floorDiv(g.height() - 1 + g.padTop() - ph, g.strideH()) + 1);
                    for (int u = u0; u < u1; u++) {
                        int xRow = xBase + (u * g.strideH() + ph - g.padTop()) * g.width() + shift;
                        int to = out + u * layout.cols + first;
                        if (sw == 1) {
                            copyRun(x, xRow + first, xq, to, length, tail);
                        } else {
                            gatherRun(x, xRow + first * sw, sw, xq, to, length, tail, layout.strideMap);
                        }
                    }
                }
            }
        }
    }

    /**
     * xq[to ..+ length] = x[from ..+ length] in whole vectors, the last one ending at the run's end; a
     * run shorter than a vector is copied as one whole vector whose lanes past the run ({@code tail}
     * unset) are zero: they land on xq's padding, which must stay zero, or on the next rows, which are
     * written afterwards. The runs are short (LeNet's rows of 14), too short for
     * {@code System.arraycopy}'s call to pay.
     */
    private static void copyRun(float[] x, int from, float[] xq, int to, int length, VectorMask<Float> tail) {
        if (from + LANES > x.length) {
            System.arraycopy(x, from, xq, to, length);
            return;
        }
        if (length < LANES) {
            FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, x, from), tail).intoArray(xq, to);
            return;
        }
        int last = length - LANES;
        for (int j = 0; j < last; j += LANES) {
            FloatVector.fromArray(SPECIES, x, from + j).intoArray(xq, to + j);
        }
        FloatVector.fromArray(SPECIES, x, from + last).intoArray(xq, to + last);
    }

    /**
     * xq[to + v] = x[from + v·stride] for v &lt; length: one strided row of a phase plane, a vector
     * gather ({@code strideMap} = 0, s, 2s, ...) per LANES floats instead of a float at a time; the
     * last gather's lanes past the run are zero, as in {@link #copyRun}.
     */
    private static void gatherRun(float[] x, int from, int stride, float[] xq, int to, int length,
                                  VectorMask<Float> tail, int[] strideMap) {
        int v = 0;
        for (; v + LANES <= length; v += LANES) {
            FloatVector.fromArray(SPECIES, x, from + v * stride, strideMap, 0).intoArray(xq, to + v);
        }
        if (v == length) {
            return;
        }
        if (from + (v + LANES - 1) * stride >= x.length) {
            for (; v < length; v++) {
                xq[to + v] = x[from + v * stride];
            }
            return;
        }
        FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, x, from + v * stride, strideMap, 0), tail)
                .intoArray(xq, to + v);
    }

    /** Taps per block of the weight-gradient micro-kernel. */
    static final int TAPS = 8;
    /** Taps per block of the two-vector weight-gradient micro-kernel. */
    static final int WIDE_TAPS = 6;
    /**
     * Vectors of filters per block of the weight-gradient micro-kernel: one when the filters fit in
     * one vector; else two with 16 registers; with 32, three or two, whichever pads the filters with
     * fewer zero filters (three on a tie: fewer broadcasts per FMA).
     */
    static int weightBlockVectors(int filters, int registers) {
        if (filters <= LANES) {
            return 1;
        }
        if (registers < 32) {
            return 2;
        }
        int three = (3 * LANES - filters % (3 * LANES)) % (3 * LANES);
        int two = (2 * LANES - filters % (2 * LANES)) % (2 * LANES);
        return three <= two ? 3 : 2;
    }

    /** Taps per block of the weight-gradient micro-kernel with {@code vectors} vectors of filters: 12 or 24 sums. */
    static int weightBlockTaps(int vectors, int registers) {
        if (registers < 32) {
            return vectors == 1 ? TAPS : WIDE_TAPS;
        }
        return 24 / vectors;
    }

    /** The weight gradient is summed in at most this many partial sums over fixed runs of images. */
    static final int MAX_PARTIALS = 8;

    /**
     * ∂L/∂W[o][k] = Σ_n Σ_(i,j) ∂L/∂y[n][o][i][j] · xq[n][(i·W_q + j) + tap[k]], over the same padded,
     * phase-split image as the forward. Vectorised over the filters o: ∂L/∂y of one image is first
     * transposed to positions × filters, then a micro-kernel keeps 12 vectors of sums (6 taps × two
     * vectors of filters; 8 taps × one vector when the filters fit in one) in registers while it walks
     * every valid output position, loading the vectors of ∂L/∂y and broadcasting one pixel per tap. Only valid positions are visited, so no
     * work is wasted on the extra columns. The images are dealt out to a fixed number of partial sums
     * (runs of consecutive images, depending only on the batch), computed in parallel and added in
     * order: the same result for any thread count.
     */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        return backwardWeight(x, gradY, g, REGISTERS);
    }

    /** {@link #backwardWeight} with the micro-kernels for {@code registers} vector registers (the tests run both). */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g, int registers) {
        int patch = g.patchSize();
        // Vectors of filters per block and taps per block (see weightBlockVectors); filters per group
        // padded to whole blocks.
        int vectors = weightBlockVectors(g.outPerGroup(), registers);
        int width = vectors * LANES;
        int tapBlock = weightBlockTaps(vectors, registers);
        int filters = (g.outPerGroup() + width - 1) / width * width;
        int sums = g.groups() * patch * filters;                          // [group][k][filter]
        float[] gradW = new float[g.outChannels() * patch];
        if (g.batch() == 0 || gradW.length == 0) {
            return gradW;
        }
        Layout layout = new Layout(g);
        int[] taps = java.util.Arrays.copyOf(layout.tap, (patch + tapBlock - 1) / tapBlock * tapBlock);  // extra taps read tap 0's pixels, results dropped
        int[] positions = new int[g.outPlane()];                         // valid position p = i·W_out + j at i·W_q + j
        for (int p = 0; p < positions.length; p++) {
            positions[p] = p / g.outWidth() * layout.cols + p % g.outWidth();
        }
        int[] planeStarts = new int[g.outPerGroup()];                    // filter o's plane in ∂L/∂y, for the gathers
        for (int o = 0; o < planeStarts.length; o++) {
            planeStarts[o] = o * g.outPlane();
        }
        int partialCount = Math.min(g.batch(), MAX_PARTIALS);
        float[][] partials = new float[partialCount][];
        Threads.parallelFor(partialCount, s -> {
            float[] partial = new float[sums];
            Workspace workspace = WORKSPACE.get();
            float[] xq = workspace.image(layout, g);
            float[] gradT = workspace.rows(g.groups() * g.outPlane() * filters);
            float[] block = new float[tapBlock * width];
            for (int n = s * g.batch() / partialCount; n < (s + 1) * g.batch() / partialCount; n++) {
                padAndSplit(x, g, layout, n, xq);
                transposeGradient(gradY, g, n, filters, planeStarts, gradT);
                for (int group = 0; group < g.groups(); group++) {
                    int xBase = group * g.inPerGroup() * layout.channelFloats;
                    int gradBase = group * g.outPlane() * filters;
                    for (int f = 0; f < filters; f += width) {
                        for (int k0 = 0; k0 < patch; k0 += tapBlock) {
                            int gradIndex = gradBase + f;
                            switch (tapBlock * 4 + vectors) {
                                case 24 * 4 + 1 -> weightKernel24x1(xq, xBase, taps, k0, positions, gradT, gradIndex, filters, block);
                                case 12 * 4 + 2 -> weightKernel12x2(xq, xBase, taps, k0, positions, gradT, gradIndex, filters, block);
                                case 8 * 4 + 3 -> weightKernel8x3(xq, xBase, taps, k0, positions, gradT, gradIndex, filters, block);
                                case WIDE_TAPS * 4 + 2 -> wideWeightKernel(xq, xBase, taps, k0, positions, gradT, gradIndex, filters, block);
                                default -> weightKernel(xq, xBase, taps, k0, positions, gradT, gradIndex, filters, block);
                            }
                            int valid = Math.min(tapBlock, patch - k0);
                            for (int r = 0; r < valid; r++) {
                                for (int v = 0; v < width; v += LANES) {
                                    int at = (group * patch + k0 + r) * filters + f + v;
                                    FloatVector.fromArray(SPECIES, partial, at)
                                            .add(FloatVector.fromArray(SPECIES, block, r * width + v))
                                            .intoArray(partial, at);
                                }
                            }
                        }
                    }
                }
            }
            partials[s] = partial;
        });
        float[] total = partials[0];
        for (int s = 1; s < partialCount; s++) {
            for (int i = 0; i < sums; i++) {
                total[i] += partials[s][i];
            }
        }
        for (int group = 0; group < g.groups(); group++) {
            for (int o = 0; o < g.outPerGroup(); o++) {
                int to = (group * g.outPerGroup() + o) * patch;
                for (int k = 0; k < patch; k++) {
                    gradW[to + k] = total[(group * patch + k) * filters + o];
                }
            }
        }
        return gradW;
    }

    /**
     * gradT[group][i·W_out + j][o] = ∂L/∂y[n][group·C_out/groups + o][i][j], zero for the padding filters.
     * One vector of gradT's row (LANES filters at one position) is one vector gather from the LANES
     * planes of ∂L/∂y, at the indices {@code planeStarts} (o·H_out·W_out). A scalar loop over one
     * filter's plane writes gradT {@code filters} floats apart, a new cache line for nearly every float
     * (across 1.1 MB on AlexNet's conv1); walking it in tiles of positions that stay in the L1 cache
     * helped little, the gathers took less than half the time.
     */
    private static void transposeGradient(float[] gradY, ConvGeometry g, int n, int filters, int[] planeStarts,
                                          float[] gradT) {
        int plane = g.outPlane();
        int whole = g.outPerGroup() / LANES * LANES;            // filters gathered in whole vectors
        for (int group = 0; group < g.groups(); group++) {
            int base = group * plane * filters;
            int from = (n * g.outChannels() + group * g.outPerGroup()) * plane;
            for (int p = 0; p < plane; p++) {
                int row = base + p * filters;
                for (int o = 0; o < whole; o += LANES) {
                    FloatVector.fromArray(SPECIES, gradY, from + p, planeStarts, o).intoArray(gradT, row + o);
                }
                for (int o = whole; o < filters; o++) {
                    gradT[row + o] = o < g.outPerGroup() ? gradY[from + o * plane + p] : 0f;
                }
            }
        }
    }

    /**
     * block[r][0..LANES) = Σ_p xq[xBase + positions[p] + taps[k0 + r]] · gradT[gradIndex + p·filters ..]
     * over the valid positions p, for the 8 taps k0..k0+7: 8 vector sums in registers. (One flat loop
     * over a table of positions: with a loop over rows around a loop over columns, C2 kept the eight
     * sums as objects on the heap, twenty times slower.)
     */
    private static void weightKernel(float[] xq, int xBase, int[] taps, int k0, int[] positions,
                                     float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        FloatVector s4 = FloatVector.zero(SPECIES);
        FloatVector s5 = FloatVector.zero(SPECIES);
        FloatVector s6 = FloatVector.zero(SPECIES);
        FloatVector s7 = FloatVector.zero(SPECIES);
        for (int p = 0; p < positions.length; p++) {
            int pos = positions[p];
            FloatVector d = FloatVector.fromArray(SPECIES, gradT, gradIndex + p * filters);
            s0 = d.fma(FloatVector.broadcast(SPECIES, xq[t0 + pos]), s0);
            s1 = d.fma(FloatVector.broadcast(SPECIES, xq[t1 + pos]), s1);
            s2 = d.fma(FloatVector.broadcast(SPECIES, xq[t2 + pos]), s2);
            s3 = d.fma(FloatVector.broadcast(SPECIES, xq[t3 + pos]), s3);
            s4 = d.fma(FloatVector.broadcast(SPECIES, xq[t4 + pos]), s4);
            s5 = d.fma(FloatVector.broadcast(SPECIES, xq[t5 + pos]), s5);
            s6 = d.fma(FloatVector.broadcast(SPECIES, xq[t6 + pos]), s6);
            s7 = d.fma(FloatVector.broadcast(SPECIES, xq[t7 + pos]), s7);
        }
        s0.intoArray(block, 0);
        s1.intoArray(block, LANES);
        s2.intoArray(block, 2 * LANES);
        s3.intoArray(block, 3 * LANES);
        s4.intoArray(block, 4 * LANES);
        s5.intoArray(block, 5 * LANES);
        s6.intoArray(block, 6 * LANES);
        s7.intoArray(block, 7 * LANES);
    }

    /**
     * block[r][0..2·LANES) = Σ_p xq[xBase + positions[p] + taps[k0 + r]] · gradT[gradIndex + p·filters ..]
     * for the 6 taps k0..k0+5 and two vectors of filters: 12 sums in registers, 12 FMAs per position
     * for 2 vector loads and 6 broadcasts (the 8 × 1 kernel needs a load per FMA and stalls on loads
     * when there are enough filters for this one).
     */
    private static void wideWeightKernel(float[] xq, int xBase, int[] taps, int k0, int[] positions,
                                         float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES);
        FloatVector s31 = FloatVector.zero(SPECIES);
        FloatVector s40 = FloatVector.zero(SPECIES);
        FloatVector s41 = FloatVector.zero(SPECIES);
        FloatVector s50 = FloatVector.zero(SPECIES);
        FloatVector s51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < positions.length; p++) {
            int pos = positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s00 = d0.fma(x0, s00);
            s01 = d1.fma(x0, s01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s10 = d0.fma(x1, s10);
            s11 = d1.fma(x1, s11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s20 = d0.fma(x2, s20);
            s21 = d1.fma(x2, s21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s30 = d0.fma(x3, s30);
            s31 = d1.fma(x3, s31);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s40 = d0.fma(x4, s40);
            s41 = d1.fma(x4, s41);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s50 = d0.fma(x5, s50);
            s51 = d1.fma(x5, s51);
        }
        int w = 2 * LANES;
        s00.intoArray(block, 0);
        s01.intoArray(block, LANES);
        s10.intoArray(block, w);
        s11.intoArray(block, w + LANES);
        s20.intoArray(block, 2 * w);
        s21.intoArray(block, 2 * w + LANES);
        s30.intoArray(block, 3 * w);
        s31.intoArray(block, 3 * w + LANES);
        s40.intoArray(block, 4 * w);
        s41.intoArray(block, 4 * w + LANES);
        s50.intoArray(block, 5 * w);
        s51.intoArray(block, 5 * w + LANES);
    }

    /**
     * {@link #weightKernel} for 24 taps, for 32 vector registers (AVX-512): 24 sums in registers, so
     * each position's own work (its offset, the load of ∂L/∂y's vector) is shared by 24 multiply-adds
     * instead of 8.
     */
    private static void weightKernel24x1(float[] xq, int xBase, int[] taps, int k0, int[] positions,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        int t8 = xBase + taps[k0 + 8];
        int t9 = xBase + taps[k0 + 9];
        int t10 = xBase + taps[k0 + 10];
        int t11 = xBase + taps[k0 + 11];
        int t12 = xBase + taps[k0 + 12];
        int t13 = xBase + taps[k0 + 13];
        int t14 = xBase + taps[k0 + 14];
        int t15 = xBase + taps[k0 + 15];
        int t16 = xBase + taps[k0 + 16];
        int t17 = xBase + taps[k0 + 17];
        int t18 = xBase + taps[k0 + 18];
        int t19 = xBase + taps[k0 + 19];
        int t20 = xBase + taps[k0 + 20];
        int t21 = xBase + taps[k0 + 21];
        int t22 = xBase + taps[k0 + 22];
        int t23 = xBase + taps[k0 + 23];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s8_0 = FloatVector.zero(SPECIES);
        FloatVector s9_0 = FloatVector.zero(SPECIES);
        FloatVector s10_0 = FloatVector.zero(SPECIES);
        FloatVector s11_0 = FloatVector.zero(SPECIES);
        FloatVector s12_0 = FloatVector.zero(SPECIES);
        FloatVector s13_0 = FloatVector.zero(SPECIES);
        FloatVector s14_0 = FloatVector.zero(SPECIES);
        FloatVector s15_0 = FloatVector.zero(SPECIES);
        FloatVector s16_0 = FloatVector.zero(SPECIES);
        FloatVector s17_0 = FloatVector.zero(SPECIES);
        FloatVector s18_0 = FloatVector.zero(SPECIES);
        FloatVector s19_0 = FloatVector.zero(SPECIES);
        FloatVector s20_0 = FloatVector.zero(SPECIES);
        FloatVector s21_0 = FloatVector.zero(SPECIES);
        FloatVector s22_0 = FloatVector.zero(SPECIES);
        FloatVector s23_0 = FloatVector.zero(SPECIES);
        for (int p = 0; p < positions.length; p++) {
            int pos = positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            FloatVector x8 = FloatVector.broadcast(SPECIES, xq[t8 + pos]);
            s8_0 = d0.fma(x8, s8_0);
            FloatVector x9 = FloatVector.broadcast(SPECIES, xq[t9 + pos]);
            s9_0 = d0.fma(x9, s9_0);
            FloatVector x10 = FloatVector.broadcast(SPECIES, xq[t10 + pos]);
            s10_0 = d0.fma(x10, s10_0);
            FloatVector x11 = FloatVector.broadcast(SPECIES, xq[t11 + pos]);
            s11_0 = d0.fma(x11, s11_0);
            FloatVector x12 = FloatVector.broadcast(SPECIES, xq[t12 + pos]);
            s12_0 = d0.fma(x12, s12_0);
            FloatVector x13 = FloatVector.broadcast(SPECIES, xq[t13 + pos]);
            s13_0 = d0.fma(x13, s13_0);
            FloatVector x14 = FloatVector.broadcast(SPECIES, xq[t14 + pos]);
            s14_0 = d0.fma(x14, s14_0);
            FloatVector x15 = FloatVector.broadcast(SPECIES, xq[t15 + pos]);
            s15_0 = d0.fma(x15, s15_0);
            FloatVector x16 = FloatVector.broadcast(SPECIES, xq[t16 + pos]);
            s16_0 = d0.fma(x16, s16_0);
            FloatVector x17 = FloatVector.broadcast(SPECIES, xq[t17 + pos]);
            s17_0 = d0.fma(x17, s17_0);
            FloatVector x18 = FloatVector.broadcast(SPECIES, xq[t18 + pos]);
            s18_0 = d0.fma(x18, s18_0);
            FloatVector x19 = FloatVector.broadcast(SPECIES, xq[t19 + pos]);
            s19_0 = d0.fma(x19, s19_0);
            FloatVector x20 = FloatVector.broadcast(SPECIES, xq[t20 + pos]);
            s20_0 = d0.fma(x20, s20_0);
            FloatVector x21 = FloatVector.broadcast(SPECIES, xq[t21 + pos]);
            s21_0 = d0.fma(x21, s21_0);
            FloatVector x22 = FloatVector.broadcast(SPECIES, xq[t22 + pos]);
            s22_0 = d0.fma(x22, s22_0);
            FloatVector x23 = FloatVector.broadcast(SPECIES, xq[t23 + pos]);
            s23_0 = d0.fma(x23, s23_0);
        }
        s0_0.intoArray(block, 0 * LANES);
        s1_0.intoArray(block, 1 * LANES);
        s2_0.intoArray(block, 2 * LANES);
        s3_0.intoArray(block, 3 * LANES);
        s4_0.intoArray(block, 4 * LANES);
        s5_0.intoArray(block, 5 * LANES);
        s6_0.intoArray(block, 6 * LANES);
        s7_0.intoArray(block, 7 * LANES);
        s8_0.intoArray(block, 8 * LANES);
        s9_0.intoArray(block, 9 * LANES);
        s10_0.intoArray(block, 10 * LANES);
        s11_0.intoArray(block, 11 * LANES);
        s12_0.intoArray(block, 12 * LANES);
        s13_0.intoArray(block, 13 * LANES);
        s14_0.intoArray(block, 14 * LANES);
        s15_0.intoArray(block, 15 * LANES);
        s16_0.intoArray(block, 16 * LANES);
        s17_0.intoArray(block, 17 * LANES);
        s18_0.intoArray(block, 18 * LANES);
        s19_0.intoArray(block, 19 * LANES);
        s20_0.intoArray(block, 20 * LANES);
        s21_0.intoArray(block, 21 * LANES);
        s22_0.intoArray(block, 22 * LANES);
        s23_0.intoArray(block, 23 * LANES);
    }

    /**
     * {@link #wideWeightKernel} for 12 taps × 2 vectors of filters, for 32 vector registers: 24 sums in
     * registers, 24 FMAs per position for 2 vector loads and 12 broadcasts.
     */
    private static void weightKernel12x2(float[] xq, int xBase, int[] taps, int k0, int[] positions,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        int t8 = xBase + taps[k0 + 8];
        int t9 = xBase + taps[k0 + 9];
        int t10 = xBase + taps[k0 + 10];
        int t11 = xBase + taps[k0 + 11];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s0_1 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s1_1 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s2_1 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s3_1 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s4_1 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s5_1 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s6_1 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s7_1 = FloatVector.zero(SPECIES);
        FloatVector s8_0 = FloatVector.zero(SPECIES);
        FloatVector s8_1 = FloatVector.zero(SPECIES);
        FloatVector s9_0 = FloatVector.zero(SPECIES);
        FloatVector s9_1 = FloatVector.zero(SPECIES);
        FloatVector s10_0 = FloatVector.zero(SPECIES);
        FloatVector s10_1 = FloatVector.zero(SPECIES);
        FloatVector s11_0 = FloatVector.zero(SPECIES);
        FloatVector s11_1 = FloatVector.zero(SPECIES);
        for (int p = 0; p < positions.length; p++) {
            int pos = positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            s0_1 = d1.fma(x0, s0_1);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            s1_1 = d1.fma(x1, s1_1);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            s2_1 = d1.fma(x2, s2_1);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            s3_1 = d1.fma(x3, s3_1);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            s4_1 = d1.fma(x4, s4_1);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            s5_1 = d1.fma(x5, s5_1);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            s6_1 = d1.fma(x6, s6_1);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            s7_1 = d1.fma(x7, s7_1);
            FloatVector x8 = FloatVector.broadcast(SPECIES, xq[t8 + pos]);
            s8_0 = d0.fma(x8, s8_0);
            s8_1 = d1.fma(x8, s8_1);
            FloatVector x9 = FloatVector.broadcast(SPECIES, xq[t9 + pos]);
            s9_0 = d0.fma(x9, s9_0);
            s9_1 = d1.fma(x9, s9_1);
            FloatVector x10 = FloatVector.broadcast(SPECIES, xq[t10 + pos]);
            s10_0 = d0.fma(x10, s10_0);
            s10_1 = d1.fma(x10, s10_1);
            FloatVector x11 = FloatVector.broadcast(SPECIES, xq[t11 + pos]);
            s11_0 = d0.fma(x11, s11_0);
            s11_1 = d1.fma(x11, s11_1);
        }
        s0_0.intoArray(block, 0 * LANES);
        s0_1.intoArray(block, 1 * LANES);
        s1_0.intoArray(block, 2 * LANES);
        s1_1.intoArray(block, 3 * LANES);
        s2_0.intoArray(block, 4 * LANES);
        s2_1.intoArray(block, 5 * LANES);
        s3_0.intoArray(block, 6 * LANES);
        s3_1.intoArray(block, 7 * LANES);
        s4_0.intoArray(block, 8 * LANES);
        s4_1.intoArray(block, 9 * LANES);
        s5_0.intoArray(block, 10 * LANES);
        s5_1.intoArray(block, 11 * LANES);
        s6_0.intoArray(block, 12 * LANES);
        s6_1.intoArray(block, 13 * LANES);
        s7_0.intoArray(block, 14 * LANES);
        s7_1.intoArray(block, 15 * LANES);
        s8_0.intoArray(block, 16 * LANES);
        s8_1.intoArray(block, 17 * LANES);
        s9_0.intoArray(block, 18 * LANES);
        s9_1.intoArray(block, 19 * LANES);
        s10_0.intoArray(block, 20 * LANES);
        s10_1.intoArray(block, 21 * LANES);
        s11_0.intoArray(block, 22 * LANES);
        s11_1.intoArray(block, 23 * LANES);
    }

    /**
     * The weight-gradient micro-kernel for 8 taps × 3 vectors of filters, for 32 vector registers:
     * 24 sums, 24 FMAs per position for 3 vector loads and 8 broadcasts (AlexNet's 96 filters are
     * two blocks of 3 vectors of 16).
     */
    private static void weightKernel8x3(float[] xq, int xBase, int[] taps, int k0, int[] positions,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s0_1 = FloatVector.zero(SPECIES);
        FloatVector s0_2 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s1_1 = FloatVector.zero(SPECIES);
        FloatVector s1_2 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s2_1 = FloatVector.zero(SPECIES);
        FloatVector s2_2 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s3_1 = FloatVector.zero(SPECIES);
        FloatVector s3_2 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s4_1 = FloatVector.zero(SPECIES);
        FloatVector s4_2 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s5_1 = FloatVector.zero(SPECIES);
        FloatVector s5_2 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s6_1 = FloatVector.zero(SPECIES);
        FloatVector s6_2 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s7_1 = FloatVector.zero(SPECIES);
        FloatVector s7_2 = FloatVector.zero(SPECIES);
        for (int p = 0; p < positions.length; p++) {
            int pos = positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, gradT, at + 2 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            s0_1 = d1.fma(x0, s0_1);
            s0_2 = d2.fma(x0, s0_2);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            s1_1 = d1.fma(x1, s1_1);
            s1_2 = d2.fma(x1, s1_2);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            s2_1 = d1.fma(x2, s2_1);
            s2_2 = d2.fma(x2, s2_2);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            s3_1 = d1.fma(x3, s3_1);
            s3_2 = d2.fma(x3, s3_2);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            s4_1 = d1.fma(x4, s4_1);
            s4_2 = d2.fma(x4, s4_2);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            s5_1 = d1.fma(x5, s5_1);
            s5_2 = d2.fma(x5, s5_2);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            s6_1 = d1.fma(x6, s6_1);
            s6_2 = d2.fma(x6, s6_2);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            s7_1 = d1.fma(x7, s7_1);
            s7_2 = d2.fma(x7, s7_2);
        }
        s0_0.intoArray(block, 0 * LANES);
        s0_1.intoArray(block, 1 * LANES);
        s0_2.intoArray(block, 2 * LANES);
        s1_0.intoArray(block, 3 * LANES);
        s1_1.intoArray(block, 4 * LANES);
        s1_2.intoArray(block, 5 * LANES);
        s2_0.intoArray(block, 6 * LANES);
        s2_1.intoArray(block, 7 * LANES);
        s2_2.intoArray(block, 8 * LANES);
        s3_0.intoArray(block, 9 * LANES);
        s3_1.intoArray(block, 10 * LANES);
        s3_2.intoArray(block, 11 * LANES);
        s4_0.intoArray(block, 12 * LANES);
        s4_1.intoArray(block, 13 * LANES);
        s4_2.intoArray(block, 14 * LANES);
        s5_0.intoArray(block, 15 * LANES);
        s5_1.intoArray(block, 16 * LANES);
        s5_2.intoArray(block, 17 * LANES);
        s6_0.intoArray(block, 18 * LANES);
        s6_1.intoArray(block, 19 * LANES);
        s6_2.intoArray(block, 20 * LANES);
        s7_0.intoArray(block, 21 * LANES);
        s7_1.intoArray(block, 22 * LANES);
        s7_2.intoArray(block, 23 * LANES);
    }

    /**
     * Σ_n Σ_p y[n][c][p] for each channel c of y (N, C, P): the bias gradient, as
     * {@link ConvNaive#backwardBias} but fast. The textbook loop adds one float at a time, each add
     * waiting for the one before (a chain of adds, about four cycles each, on one thread); here each
     * plane is summed in four vectors of lanes that run side by side, reduced at the end, and the
     * channels are spread over the threads. Each channel is summed in a fixed order (its planes in
     * order of n) on one thread, so the result does not depend on the thread count.
     */
    static float[] sumPerChannel(float[] y, int batch, int channels, int plane) {
        float[] sums = new float[channels];
        Threads.parallelFor(channels, c -> {
            float total = 0f;
            for (int n = 0; n < batch; n++) {
                total += planeSum(y, (n * channels + c) * plane, plane);
            }
            sums[c] = total;
        });
        return sums;
    }

    /** y[from] + ... + y[from + length − 1]: four vectors of partial sums, then the tail. */
    private static float planeSum(float[] y, int from, int length) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = length - 4 * LANES; i <= bound; i += 4 * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, y, from + i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, y, from + i + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, y, from + i + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, y, from + i + 3 * LANES));
        }
        for (int bound = length - LANES; i <= bound; i += LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, y, from + i));
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < length; i++) {
            sum += y[from + i];
        }
        return sum;
    }

}
