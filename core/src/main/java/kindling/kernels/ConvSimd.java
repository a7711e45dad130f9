package kindling.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 * its taps in one fixed order (filter row first, {@code Layout.rowOrder}, skipping the filter rows that
 * read only padding) on one thread, so results do not depend on the thread count.
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
        return forward(x, w, bias, g, registers, null);
    }

    /**
     * {@link #forward}, writing y into the first N·C_out·H_out·W_out floats of {@code into} (every one of
     * them is written) and returning it, or into a new array when {@code into} is null:
     * {@code ConvStacked} passes a buffer it reuses for its tall output.
     */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g, int registers, float[] into) {
        int size = g.batch() * g.outChannels() * g.outPlane();
        if (size == 0) {
            return into == null ? new float[0] : into;
        }
        Layout layout = new Layout(g, registers);
        float[] packed = packFilters(w, g, layout.mr, layout.rowOrder);
        Output output = new Output(size, into);
        Threads.parallelFor(g.batch(), n -> image(x, packed, bias, g, layout, n, output));
        return output.array();
    }

    /**
     * y, allocated inside the loop over images by the first task that needs it: image 0's task, the
     * first handed out, asks for it first. The JVM zeroes a new array in the thread that allocates it,
     * a pass over memory as long as y, and no other thread can share that pass. The other threads do
     * not wait for it: an image finished before y exists is {@link #stage staged} (its rows kept in a
     * copy, stored into y by the allocating thread once y exists), up to {@link #MAX_STAGED_FLOATS}
     * floats, after which a thread waits ({@link #array}). The wait was what the second thread lost:
     * on a 16-channel 14×14 layer an image takes a few microseconds, y (1.6 MB at batch 128) tens of
     * them to zero, so the other thread stored its first image and then sat out the allocation.
     * Which thread allocates, and whether an image went through a copy, changes no value of y.
     */
    static final class Output {
        /** The most floats of staged images one output keeps (2 MB); past it, a thread waits for y. */
        static final int MAX_STAGED_FLOATS = 1 << 19;

        private final int size;
        private volatile float[] y;
        /** True while a thread allocates y; guarded by this. */
        private boolean allocating;
        /** Why the allocation failed (an OutOfMemoryError), or null; guarded by this. */
        private Throwable failure;
        /** Stores of images computed before y existed, and their floats; guarded by this. */
        private final List<Consumer<float[]>> pending = new ArrayList<>();
        private long stagedFloats;

        Output(int size) {
            this(size, null);
        }

        /** An output that is {@code y} (at least {@code size} floats) when not null: nothing to allocate. */
        Output(int size, float[] y) {
            this.size = size;
            this.y = y;
        }

        /** y, or null while nobody has allocated it. */
        float[] ready() {
            return y;
        }

        /**
         * y: allocated by the first thread that asks (outside the lock, so that {@link #stage} does not
         * wait behind the zeroing), which then runs the stores staged meanwhile; a thread that asks
         * while another allocates waits for it.
         */
        float[] array() {
            float[] array = y;
            if (array != null) {
                return array;
            }
            synchronized (this) {
                while (allocating) {
                    awaitAllocation();
                }
                if (y != null) {
                    return y;
                }
                if (failure != null) {
                    throw new IllegalStateException("the output of the convolution could not be allocated", failure);
                }
                allocating = true;
            }
            float[] made;
            try {
                made = new float[size];
            } catch (RuntimeException | Error e) {      // an OutOfMemoryError must not leave the others waiting
                synchronized (this) {
                    failure = e;
                    allocating = false;
                    notifyAll();
                }
                throw e;
            }
            List<Consumer<float[]>> staged;
            synchronized (this) {
                y = made;
                allocating = false;
                notifyAll();
                staged = new ArrayList<>(pending);
                pending.clear();
            }
            for (Consumer<float[]> store : staged) {
                store.accept(made);
            }
            return made;
        }

        private void awaitAllocation() {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the output of the convolution", e);
            }
        }

        /**
         * Runs {@code store} with y now if y exists, else keeps it for the thread that allocates y;
         * {@code floats} is what the store holds on to. Returns false, having done nothing, when the
         * staged stores already hold {@link #MAX_STAGED_FLOATS}: the caller then waits for y instead.
         */
        boolean stage(Consumer<float[]> store, int floats) {
            float[] array;
            synchronized (this) {
                array = y;
                if (array == null) {
                    if (stagedFloats + floats > MAX_STAGED_FLOATS) {
                        return false;
                    }
                    stagedFloats += floats;
                    pending.add(store);
                    return true;
                }
            }
            store.accept(array);
            return true;
        }
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
     * Whether this kernel suits layer g: its filters read every phase plane it splits the image into
     * ({@link #readsEveryPhase}), and at least {@link #MIN_USEFUL_SHARE} of the positions it would
     * compute are outputs ({@link Layout#computedPositions}). The share depends on the vector width
     * (a panel is three or four vectors), so a
     * 256-bit machine sends more layers here than a 512-bit one.
     */
    static boolean suits(ConvGeometry g) {
        return readsEveryPhase(g) && g.outPlane() >= MIN_USEFUL_SHARE * Layout.computedPositions(g, REGISTERS);
    }

    /**
     * Whether the filter taps a = 0..k−1 land on every phase a·d mod s of both dimensions. A 1×1
     * filter with stride 2, the shortcut of a ResNet's downsampling block, reads one phase of four:
     * this kernel would copy the whole image into its phase planes and use a quarter of it, with one tap
     * per input channel, while im2col is then only that quarter, copied, and the rest one GEMM over
     * many images, about twice as fast on ResNet-18's shortcuts (docs/kernels.md).
     */
    static boolean readsEveryPhase(ConvGeometry g) {
        return readsEveryPhase(g.kernelH(), g.dilationH(), g.strideH())
                && readsEveryPhase(g.kernelW(), g.dilationW(), g.strideW());
    }

    private static boolean readsEveryPhase(int kernel, int dilation, int stride) {
        boolean[] read = new boolean[stride];
        int phases = 0;
        for (int a = 0; a < kernel && phases < stride; a++) {
            int phase = (int) ((long) a * dilation % stride);
            if (!read[phase]) {
                read[phase] = true;
                phases++;
            }
        }
        return phases == stride;
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
        /** Filters per micro-kernel block and positions per block ({@code filtersPerBlock}, {@code positionsPerBlock}). */
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

        /** Flat positions from the first output to the last: whole rows of {@code cols}, then the last row's outputs. */
        private static int positions(ConvGeometry g, int cols) {
            return (g.outHeight() - 1) * cols + g.outWidth();
        }

        /** The number of position panels a layout for g would have, without building its tables. */
        static int panels(ConvGeometry g, int registers) {
            int nr = positionsPerBlock(filtersPerBlock(g.outPerGroup(), registers));
            return (positions(g, columns(g)) + nr - 1) / nr;
        }

        /**
         * The output positions a layout for g would compute: its {@link #panels} times the positions of
         * the block (NR for blocks of 8 or 4 filters, NARROW_NR for 6 or 3), real outputs or not.
         */
        static long computedPositions(ConvGeometry g, int registers) {
            int nr = positionsPerBlock(filtersPerBlock(g.outPerGroup(), registers));
            return (long) panels(g, registers) * nr;
        }

        /** The layout for micro-kernels that fill {@code registers} vector registers (16 or 32). */
        Layout(ConvGeometry g, int registers) {
            rows = g.outHeight() + (g.kernelH() - 1) * g.dilationH() / g.strideH();
            cols = columns(g);
            channelFloats = g.strideH() * g.strideW() * rows * cols;
            positions = positions(g, cols);
            mr = filtersPerBlock(g.outPerGroup(), registers);
            nr = positionsPerBlock(mr);
            panels = panels(g, registers);
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
        // One task per block of mr filters: each writes only its own block, so on a large layer (a 9 MB
        // copy for 512 → 512 channels, 3×3) the threads share what would be a serial pass in front of
        // the convolution; only copies, so the result does not depend on the threads.
        Threads.Task block = index -> {
            int group = index / blocks;
            int first = (index % blocks) * mr;
            int last = Math.min(g.outPerGroup(), first + mr);
            for (int o = first; o < last; o++) {
                int filter = (group * g.outPerGroup() + o) * patch;
                int base = index * patch * mr + o % mr;
                for (int k = 0; k < patch; k++) {
                    packed[base + k * mr] = w[filter + order[k]];
                }
            }
        };
        // From the weights' count, not w.length: w may be a longer buffer (see Conv2dKernels.forward).
        if ((long) g.outChannels() * patch >= Conv2dKernels.FLIP_PARALLEL) {
            Threads.parallelFor(g.groups() * blocks, block);
        } else {
            for (int t = 0; t < g.groups() * blocks; t++) {
                block.run(t);
            }
        }
        return packed;
    }

    /**
     * Every output of image n of x, stored into {@code output} (staged if y does not exist yet): one
     * task of {@link #forward}, also run by {@code ConvStacked} on its tall images, one stack per task.
     * {@code packed} and {@code layout} are those of {@link #forward} for g.
     */
    static void image(float[] x, float[] packed, float[] bias, ConvGeometry g, Layout layout, int n, Output output) {
        if (n == 0) {
            output.array();               // allocated first, while the other threads compute (see Output)
        }
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
                        case 8 -> ConvSimdKernels.microKernel8x3(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        case 6 -> ConvSimdKernels.microKernel6x4(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        case NARROW_MR -> ConvSimdKernels.narrowMicroKernel(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                        default -> ConvSimdKernels.microKernel(xq, xBase + q, tap, from, to, packed, wIndex, out, outIndex, ldo);
                    }
                }
            }
        }
        int rowsPerGroup = blocks * mr;
        float[] y = output.ready();
        if (y == null) {
            // y is still being allocated (image 0's task): keep this image's rows and go on to the next.
            float[] rows = java.util.Arrays.copyOf(out, g.groups() * rowsPerGroup * ldo + LANES);   // as out: + LANES
            if (output.stage(into -> storeOutputs(rows, bias, g, layout, rowsPerGroup, ldo, n, into), rows.length)) {
                return;
            }
            y = output.array();
        }
        storeOutputs(out, bias, g, layout, rowsPerGroup, ldo, n, y);
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
     * one vector; else two with 16 registers; with 32, whichever of four (on the flat walk only), three
     * or two pads the filters with the fewest zero filters, the most vectors on a tie (fewer broadcasts
     * and tap offsets per FMA). Four vectors (6 taps) were faster than two (12 taps) on ResNet's 3×3
     * layers, which the flat walk takes, and slower on a layer walked through the table of positions
     * (docs/kernels.md).
     */
    static int weightBlockVectors(int filters, int registers, boolean flat) {
        if (filters <= LANES) {
            return 1;
        }
        if (registers < 32) {
            return 2;
        }
        int best = flat ? 4 : 3;
        for (int vectors = best - 1; vectors >= 2; vectors--) {
            if (padding(filters, vectors) < padding(filters, best)) {
                best = vectors;
            }
        }
        return best;
    }

    /** The zero filters that pad {@code filters} to whole blocks of {@code vectors} vectors. */
    private static int padding(int filters, int vectors) {
        int width = vectors * LANES;
        return (width - filters % width) % width;
    }

    /**
     * Taps per block of the weight-gradient micro-kernel with {@code vectors} vectors of filters: 12 or 24
     * sums. A block's taps past the patch are computed and dropped, so a short patch (a first layer's 3×3
     * filters on one channel: 9 taps) would fill 9 of 24 sums; when blocks of {@link #TAPS} compute at
     * least a third fewer taps in all (16 for 9 taps), the one-vector kernel takes those instead.
     */
    static int weightBlockTaps(int vectors, int registers, int patch) {
        if (registers < 32) {
            return vectors == 1 ? TAPS : WIDE_TAPS;
        }
        int taps = 24 / vectors;
        if (vectors == 1 && roundUp(patch, TAPS) * 3 <= roundUp(patch, taps) * 2) {
            return TAPS;
        }
        return taps;
    }

    /**
     * Whether the weight-gradient micro-kernel, for {@code filters} filters of {@code patch} taps, would
     * compute at least 1.5 times the taps there are: its blocks of taps ({@link #weightBlockTaps}) past
     * the patch are computed and dropped. Judged with the blocks of the table walk: the flat walk's
     * four-vector blocks have fewer taps and so waste no more.
     */
    static boolean wastesWeightTaps(int filters, int patch) {
        int taps = weightBlockTaps(weightBlockVectors(filters, REGISTERS, false), REGISTERS, patch);
        return patch > 0 && 2L * roundUp(patch, taps) >= 3L * patch;
    }

    /** n rounded up to a multiple of block. */
    private static int roundUp(int n, int block) {
        return (n + block - 1) / block * block;
    }

    /** The weight gradient is summed in at most this many partial sums over fixed runs of images. */
    static final int MAX_PARTIALS = 8;

    /**
     * The floats of transposed ∂L/∂y that one block of filters reads over a whole image, its slab, above
     * which the positions are walked in chunks: every block of taps walks a chunk before the next
     * chunk starts, so that the chunk stays in the L2 cache from one block of taps to the next. Walking
     * the whole plane for each block of taps read AlexNet's conv1 with AVX-512 (2,916 positions × 48
     * filters, 560 KB, with the image beside it) from the last-level cache sixteen times per image; its
     * slab with AVX2 (16 filters, 187 KB) and ResNet-18's stem's (295 KB) stay whole: in chunks they
     * were no faster. docs/kernels.md has the measurements.
     */
    static final int WEIGHT_SLAB_FLOATS = 1 << 17;
    /** The most floats of a chunk's slab when the slab is cut (into even chunks). */
    static final int WEIGHT_CHUNK_FLOATS = 1 << 15;

    /**
     * ∂L/∂W[o][k] = Σ_n Σ_(i,j) ∂L/∂y[n][o][i][j] · xq[n][(i·W_q + j) + tap[k]], over the same padded,
     * phase-split image as the forward. Vectorised over the filters o: ∂L/∂y of one image is first
     * transposed to positions × filters, then a micro-kernel keeps a block of sums in registers (with
     * 16 vector registers 12: 6 taps × two vectors of filters, or 8 taps × one vector when the filters
     * fit in one; with 32 registers 24: 24 taps × one vector, 12 × 2, 8 × 3 or, on the flat walk below,
     * 6 × 4, or 8 × one vector for a short patch, see {@link #weightBlockVectors} and
     * {@link #weightBlockTaps}) while it walks
     * the output positions, loading the vectors of ∂L/∂y and broadcasting one pixel per tap. When at most
     * 1 in {@link #MIN_COLUMNS_PER_EXTRA_COLUMN} columns of the flat rows is extra and the stride is 1
     * (ResNet's 3×3 layer; {@link #walksEveryPosition}) the kernels walk every flat position q, the
     * extra ones with a zero ∂L/∂y: q is then the loop's counter, every load's index is q plus a fixed
     * offset, and the JIT checks the array bounds once per loop instead of once per load (12 or 24
     * checks a position otherwise). Otherwise (LeNet's conv2, 4 extra columns of 14) they walk only
     * the valid positions, through a table. On the flat walk the extra positions multiply pixels of x
     * by an exact zero: 0 · x is 0 for a finite x, but NaN for an Inf or NaN, so an Inf or NaN in x
     * can make this ∂L/∂W NaN where the textbook loop gives a finite value (the forward's y, which
     * reads every pixel of x, is then not finite anyway). A large layer's positions are walked in
     * chunks, each by every block of taps before the next chunk ({@link #WEIGHT_SLAB_FLOATS}).
     * The images are dealt out to a fixed number of partial sums
     * (runs of consecutive images, depending only on the batch), computed in parallel and added in
     * order: the same result for any thread count.
     */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        return backwardWeight(x, gradY, g, REGISTERS);
    }

    /** {@link #backwardWeight} with the micro-kernels for {@code registers} vector registers (the tests run both). */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g, int registers) {
        return backwardWeight(x, gradY, g, registers, WEIGHT_SLAB_FLOATS, WEIGHT_CHUNK_FLOATS);
    }

    /**
     * {@link #backwardWeight} for {@code registers} vector registers, walking the positions in chunks of
     * at most {@code chunkFloats} floats of the slab when a slab has more than {@code slabFloats} (the
     * tests cut small layers into chunks with these).
     */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g, int registers, int slabFloats,
                                  int chunkFloats) {
        int patch = g.patchSize();
        float[] gradW = new float[g.outChannels() * patch];
        if (g.batch() == 0 || gradW.length == 0) {
            return gradW;
        }
        Layout layout = new Layout(g);
        // The positions the kernels walk: every flat position q = i·W_q + j up to the last valid one when
        // few of them are extra columns (∂L/∂y is zero there, see transposeGradient), so that q is the
        // loop's own counter and the JIT drops the array bounds checks of the taps' loads; otherwise
        // only the valid ones, through a table (position p = i·W_out + j at i·W_q + j).
        boolean flat = walksEveryPosition(layout, g);
        // Vectors of filters per block and taps per block (see weightBlockVectors); filters per group
        // padded to whole blocks.
        int vectors = weightBlockVectors(g.outPerGroup(), registers, flat);
        int width = vectors * LANES;
        int tapBlock = weightBlockTaps(vectors, registers, patch);
        int filters = (g.outPerGroup() + width - 1) / width * width;
        int sums = g.groups() * patch * filters;                          // [group][k][filter]
        int[] taps = java.util.Arrays.copyOf(layout.tap, (patch + tapBlock - 1) / tapBlock * tapBlock);
        java.util.Arrays.fill(taps, patch, taps.length, layout.tap[0]);  // extra taps read tap 0's pixels, results dropped
        // How many positions the kernels walk per image and group; gradT has one row for each.
        int rowsPerGroup = flat ? layout.positions : g.outPlane();
        // ... in even chunks when the slab is large, each walked by every block of taps before the next (see WEIGHT_SLAB_FLOATS).
        long slab = (long) rowsPerGroup * width;
        int chunks = slab <= slabFloats ? 1 : (int) ((slab + chunkFloats - 1) / chunkFloats);
        int chunk = Math.max(1, (rowsPerGroup + chunks - 1) / chunks);
        int[][] chunkPositions = flat ? null : cut(validPositions(layout, g), chunk);   // null: walk q = 0, 1, 2, …
        int partialCount = Math.min(g.batch(), MAX_PARTIALS);
        float[][] partials = new float[partialCount][];
        Threads.parallelFor(partialCount, s -> {
            float[] partial = new float[sums];
            Workspace workspace = WORKSPACE.get();
            float[] xq = workspace.image(layout, g);
            float[] gradT = workspace.rows(g.groups() * rowsPerGroup * filters);
            float[] block = new float[tapBlock * width];
            for (int n = s * g.batch() / partialCount; n < (s + 1) * g.batch() / partialCount; n++) {
                padAndSplit(x, g, layout, n, xq);
                transposeGradient(gradY, g, n, filters, flat ? layout.cols : g.outWidth(), rowsPerGroup, gradT);
                for (int group = 0; group < g.groups(); group++) {
                    int groupBase = group * g.inPerGroup() * layout.channelFloats;
                    int gradBase = group * rowsPerGroup * filters;
                    for (int f = 0; f < filters; f += width) {
                        for (int c = 0; c * chunk < rowsPerGroup; c++) {
                            // A chunk's positions: the flat walk moves its start into xBase, a table has its own.
                            int count = Math.min(chunk, rowsPerGroup - c * chunk);
                            int xBase = groupBase + (flat ? c * chunk : 0);
                            int[] walk = flat ? null : chunkPositions[c];
                            int gradIndex = gradBase + c * chunk * filters + f;
                            for (int k0 = 0; k0 < patch; k0 += tapBlock) {
                                switch (tapBlock * 4 + vectors) {
                                    case 24 * 4 + 1 -> ConvSimdKernels.weightKernel24x1(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                    case 12 * 4 + 2 -> ConvSimdKernels.weightKernel12x2(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                    case 8 * 4 + 3 -> ConvSimdKernels.weightKernel8x3(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                    case 6 * 4 + 4 -> ConvSimdKernels.weightKernel6x4(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                    case WIDE_TAPS * 4 + 2 -> ConvSimdKernels.wideWeightKernel(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                    default -> ConvSimdKernels.weightKernel(xq, xBase, taps, k0, walk, count, gradT, gradIndex, filters, block);
                                }
                                addBlock(block, Math.min(tapBlock, patch - k0), width, partial, (group * patch + k0) * filters + f, filters);
                            }
                        }
                    }
                }
            }
            partials[s] = partial;
        });
        // The partial sums added in order and transposed to (C_out, C_in/groups, k_h, k_w), the padding filters left out.
        Conv2dKernels.sumAndTranspose(partials, g.groups(), patch, g.outPerGroup(), filters, gradW);
        return gradW;
    }

    /**
     * ∂L/∂W walks every flat position (the extra ones with a zero ∂L/∂y, work thrown away) only when the
     * flat rows have at least this many columns per extra column: the denominator of the share "1 in
     * 16" (ResNet's 3×3 layer has 1 extra column in 29; LeNet's conv2, 4 in 14, walks a table of the
     * valid positions instead).
     */
    static final int MIN_COLUMNS_PER_EXTRA_COLUMN = 16;

    /**
     * Whether ∂L/∂W walks every flat position of layout (see {@link #backwardWeight}), not a table of
     * the valid ones: for stride-1 layers with few extra columns, where dropping the bounds checks
     * outweighs the wasted positions. A strided layer (AlexNet's conv1, 2 extra columns of 56) keeps
     * the table; docs/kernels.md has the measurements. On the flat walk an Inf or NaN in x can make
     * ∂L/∂W NaN where the textbook loop stays finite (see {@link #backwardWeight}).
     */
    static boolean walksEveryPosition(Layout layout, ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1
                && (long) (layout.cols - g.outWidth()) * MIN_COLUMNS_PER_EXTRA_COLUMN <= layout.cols;
    }

    /**
     * partial[at + r·filters + v] += block[r·width + v] for the first {@code taps} rows r of a weight
     * kernel's block of sums and its {@code width} filters v: one chunk's sums added into an image
     * run's partial ∂L/∂W, a vector at a time.
     */
    private static void addBlock(float[] block, int taps, int width, float[] partial, int at, int filters) {
        for (int r = 0; r < taps; r++) {
            for (int v = 0; v < width; v += LANES) {
                FloatVector.fromArray(SPECIES, partial, at + r * filters + v)
                        .add(FloatVector.fromArray(SPECIES, block, r * width + v))
                        .intoArray(partial, at + r * filters + v);
            }
        }
    }

    /** positions cut into consecutive pieces of {@code chunk} (the last one shorter), in order. */
    private static int[][] cut(int[] positions, int chunk) {
        int[][] pieces = new int[(positions.length + chunk - 1) / chunk][];
        for (int c = 0; c < pieces.length; c++) {
            pieces[c] = java.util.Arrays.copyOfRange(positions, c * chunk, Math.min(positions.length, (c + 1) * chunk));
        }
        return pieces;
    }

    /** The flat index i·W_q + j of each valid output position p = i·W_out + j, in order of p. */
    private static int[] validPositions(Layout layout, ConvGeometry g) {
        int[] positions = new int[g.outPlane()];
        for (int p = 0; p < positions.length; p++) {
            positions[p] = p / g.outWidth() * layout.cols + p % g.outWidth();
        }
        return positions;
    }

    /**
     * gradT[group][i·rowLength + j][o] = ∂L/∂y[n][group·C_out/groups + o][i][j], zero for the padding
     * filters and, when rowLength &gt; W_out (the flat numbering of the padded image, rows W_q apart),
     * zero on the rows j ≥ W_out, up to {@code rowsPerGroup} rows per group.
     * LANES filters at LANES consecutive positions are one square block, transposed in registers
     * ({@link #transposeBlocks}); the positions past the last whole block and the filters past the last
     * whole vector are copied one float at a time.
     */
    private static void transposeGradient(float[] gradY, ConvGeometry g, int n, int filters, int rowLength,
                                          int rowsPerGroup, float[] gradT) {
        int plane = g.outPlane();
        // filters transposed in whole blocks (none where no register transposition exists for this LANES)
        int whole = ConvChannelSimdKernels.transposes() ? g.outPerGroup() / LANES * LANES : 0;
        for (int group = 0; group < g.groups(); group++) {
            int base = group * rowsPerGroup * filters;
            int from = (n * g.outChannels() + group * g.outPerGroup()) * plane;
            if (whole > 0) {
                transposeBlocks(gradY, from, plane, g.outWidth(), whole, filters, rowLength, gradT, base);
            }
            for (int i = 0; i < g.outHeight(); i++) {
                for (int j = 0; j < g.outWidth(); j++) {
                    int p = i * g.outWidth() + j;
                    int row = base + (i * rowLength + j) * filters;
                    for (int o = whole; o < filters; o++) {
                        gradT[row + o] = o < g.outPerGroup() ? gradY[from + o * plane + p] : 0f;
                    }
                }
                int extraFrom = base + (i * rowLength + g.outWidth()) * filters;
                int extraTo = Math.min(base + rowsPerGroup * filters, base + (i + 1) * rowLength * filters);
                if (extraFrom < extraTo) {
                    java.util.Arrays.fill(gradT, extraFrom, extraTo, 0f);
                }
            }
        }
    }

    /** Adding it changes no float, not even the sign of a zero (−0 + −0 = −0): the transpositions' "bias". */
    private static final FloatVector MINUS_ZERO = FloatVector.broadcast(SPECIES, -0.0f);

    /** Per-thread LANES × LANES block of {@link #transposeBlocks}, for rows that are not consecutive in gradT. */
    private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[LANES * LANES]);

    /**
     * gradT[base + (i·rowLength + j)·filters + o] = gradY[from + o·plane + i·W_out + j] for the filters
     * o &lt; whole (a multiple of LANES): the transposition of {@link #transposeGradient} for whole
     * blocks of LANES filters × LANES consecutive positions. Each block is LANES vector loads, one from
     * each filter's plane (LANES sequential streams, which the hardware prefetchers follow), a
     * transposition in registers ({@link ConvChannelSimdKernels#transpose}: log2(LANES) stages of
     * rearranges and blends, every float only moved) and LANES vector stores, one position's row of
     * filters each. The rows go straight into gradT when its rows are the positions in order
     * (rowLength = W_out); on the flat numbering a block can span two output rows, so it is transposed
     * into a small buffer and its rows copied to their places. A vector gather per row, even from a
     * tile in the L1 cache, took about twice as long (docs/kernels.md).
     */
    private static void transposeBlocks(float[] gradY, int from, int plane, int outWidth, int whole, int filters,
                                        int rowLength, float[] gradT, int base) {
        int blocked = plane / LANES * LANES;                   // positions in whole blocks
        float[] block = rowLength == outWidth ? null : BLOCK.get();
        for (int o = 0; o < whole; o += LANES) {
            for (int p0 = 0; p0 < blocked; p0 += LANES) {
                if (block == null) {
                    ConvChannelSimdKernels.transpose(gradY, from + o * plane + p0, plane, MINUS_ZERO,
                            gradT, base + p0 * filters + o, filters);
                    continue;
                }
                ConvChannelSimdKernels.transpose(gradY, from + o * plane + p0, plane, MINUS_ZERO, block, 0, LANES);
                for (int l = 0; l < LANES; l++) {
                    int p = p0 + l;
                    FloatVector.fromArray(SPECIES, block, l * LANES)
                            .intoArray(gradT, base + (p / outWidth * rowLength + p % outWidth) * filters + o);
                }
            }
            for (int p = blocked; p < plane; p++) {
                int row = base + (p / outWidth * rowLength + p % outWidth) * filters + o;
                for (int r = 0; r < LANES; r++) {
                    gradT[row + r] = gradY[from + (o + r) * plane + p];
                }
            }
        }
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
            float[] lanes = LaneSums.scratch();
            float total = 0f;
            for (int n = 0; n < batch; n++) {
                total += planeSum(y, (n * channels + c) * plane, plane, lanes);
            }
            sums[c] = total;
        });
        return sums;
    }

    /**
     * y[from] + ... + y[from + length − 1]: four vectors of partial sums, their lanes added in lane
     * order ({@link LaneSums}, the same in every JIT tier), then the tail.
     */
    private static float planeSum(float[] y, int from, int length, float[] lanes) {
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
        float sum = i == 0 ? 0f : LaneSums.inOrder(s0.add(s1).add(s2.add(s3)), lanes);   // a plane under a vector: no lanes
        for (; i < length; i++) {
            sum += y[from + i];
        }
        return sum;
    }

}
