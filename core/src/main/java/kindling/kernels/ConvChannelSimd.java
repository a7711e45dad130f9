package kindling.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2-D convolution forward, and its weight gradient, as a direct convolution vectorised over the
 * OUTPUT CHANNELS, for layers with few filters that fill one or two whole vectors (LeNet's conv2: 16
 * filters, one AVX-512 vector or two AVX2 vectors). {@link ConvNaive} is the same contract as the
 * textbook sum, and the tests hold this class to it. Only loaded in kernel mode simd (see
 * {@link Conv2dKernels#forward} and {@link Conv2dKernels#backwardWeight}); the weight gradient is
 * described at {@link #backwardWeight(float[], float[], ConvGeometry, int)}.
 *
 * <h2>The idea: one input pixel times a vector of filters</h2>
 * Every output pixel (i, j) of every filter o sums the same taps (c, a, b) of the input:
 * <pre>
 *   y[o][i][j] = Σ_(c, a, b) W[o][c][a][b] · x[c][i·s_h + a·d_h][j + b·d_w]
 * </pre>
 * For one pixel and one tap the input value is the same for every filter: broadcast it to all lanes
 * and multiply it by a vector of LANES filters' weights, one FMA for LANES outputs. The weights are
 * packed once per call so that the weights of one tap are adjacent ({@link #packFilters}). A
 * micro-kernel ({@link ConvChannelSimdKernels}) keeps the sums of a block of R rows × J columns of
 * output pixels in registers while it walks all the taps.
 *
 * <p>Why not {@link ConvSimd}, which puts output POSITIONS in the lanes: it computes whole vectors
 * along the flat rows of the padded image, so the columns past W_out of each row and the last
 * panel's overhang are computed and thrown away; on LeNet's conv2 (10 valid columns in rows of 14)
 * that is 144 positions for 100 outputs. Here only output pixels are computed (a block of columns
 * that would pass the row's end is moved back to end at it, recomputing a few pixels to the same
 * values), and with no padding the kernel reads x where it is, with no copy.
 *
 * <p>The price: the sums come out as pixels × filters, while y is (C_out, H_out, W_out). They are
 * written to a small per-image tile, and while it is in the L1 cache the tile is turned into runs
 * of y's planes, in blocks of LANES pixels × LANES filters transposed in registers, the bias added
 * on the way.
 *
 * <p>y itself (1.6 MB on LeNet's conv2, which the JVM zeroes when it allocates it) is allocated by
 * the thread that takes the first task, while the other threads start computing at once: the tiles
 * of the first images wait in a buffer of the calling thread ({@link #MAX_EARLY_FLOATS}) until a
 * thread that has y stores them, so no thread waits for the allocation.
 *
 * <h2>The loops</h2>
 * <pre>
 *   for each run of images (in parallel; one image's outputs never depend on another's)
 *     (the first run: allocate y)
 *     for each image
 *       src = x itself, or the zero-padded copy of the image             (per-thread buffer)
 *       for each block of R output rows, for each block of J output columns: micro-kernel → tile
 *       tile (pixels × filters) → y (filters × pixels), + bias
 *         (y not allocated yet: the tile waits; it is stored by the next thread that has y)
 * </pre>
 * Images are grouped into runs so that each task holds enough work to pay for handing it out (one
 * LeNet image is too little; the figures are in docs/kernels.md). Each output sums its taps in one fixed order (input channel,
 * filter row, filter column) on one thread, so results do not depend on the thread count.
 * Accepts one group and a column stride of 1 (the J pixels of a block read adjacent inputs); any
 * row stride, dilation and padding.
 */
final class ConvChannelSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** Multiply-adds one task should hold at least, to pay for handing it out: images are grouped until it does. */
    static final long TASK_MULTIPLY_ADDS = 1L << 21;
    /** At most this many floats in an image's tile (output pixels × filters), 512 KB: in the L2 cache. */
    static final int MAX_TILE_FLOATS = 1 << 17;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * Per-thread buffers, kept from call to call: the padded image, the tile, and (on a thread that
     * calls {@link #forward} with more than one thread) the early tiles. Each grows to the largest
     * layer the thread has met and is kept for the thread's life, so that a training step allocates
     * nothing here: the tile and the early tiles at most 512 KB each ({@link #MAX_TILE_FLOATS},
     * {@link #MAX_EARLY_FLOATS}), the padded image one image of the largest padded layer.
     */
    private static final class Workspace {
        private float[] image = new float[0];
        private float[] tile = new float[0];
        private float[] early = new float[0];

        float[] image(int size) {
            if (image.length < size) {
                image = new float[size];
            }
            return image;
        }

        float[] early(int size) {
            if (early.length < size) {
                early = new float[size];
            }
            return early;
        }

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }
    }

    private ConvChannelSimd() {
    }

    /** The micro-kernel's block: V vectors of filters × R rows × J columns of output pixels. */
    record Block(int vectors, int rows, int columns) {
        /** The block of the micro-kernels for {@code registers} vector registers with V = {@code vectors}. */
        static Block of(int vectors, int registers) {
            if (vectors != 1 && vectors != 2) {
                throw new IllegalArgumentException("ConvChannelSimd: micro-kernels for 1 or 2 vectors of filters, not " + vectors);
            }
            if (registers >= 32) {
                return vectors == 1 ? new Block(1, 2, 10) : new Block(2, 1, 10);
            }
            return vectors == 1 ? new Block(1, 1, 10) : new Block(2, 1, 6);
        }

        /**
         * Whether layer g takes the row kernel ({@code rowKernel1x2x10x5}) for this block: the 2 × 10
         * block of one vector of filters, filters {@link #ROW_TAPS} taps wide with no column dilation.
         */
        boolean sharesRows(ConvGeometry g) {
            return vectors == 1 && rows == 2 && columns == 10 && g.kernelW() == ROW_TAPS && g.dilationW() == 1;
        }
    }

    /**
     * The filter width of the row kernel (LeNet's 5 × 5 filters). Per row of taps (c, a) it keeps the 5
     * weight vectors in registers and broadcasts each input value of an output row once for the 5
     * taps that read it: 5 + 2·14 loads per 100 FMAs on a 2 × 10 block, where the kernel that walks
     * the taps one by one loads one weight vector and 20 input values per 20 FMAs and is bound by
     * the loads. Each sum still takes its terms in the order of the taps, so both give the same bits.
     */
    static final int ROW_TAPS = 5;

    /**
     * Whether this kernel is worth taking for layer g: it {@link #accepts} g, and ConvSimd would
     * compute less than {@link #MAX_CONVSIMD_SHARE} of real outputs among its positions (LeNet's conv2:
     * 100 of 144). Where ConvSimd wastes little (a padded 3×3 layer: 196 of 240 positions on a 14×14
     * plane), its kernel, with 11 loads per 24 FMAs against one broadcast per FMA here, keeps the layer.
     */
    static boolean suits(ConvGeometry g) {
        if (!accepts(g)) {
            return false;
        }
        double share = (double) g.outPlane() / ConvSimd.Layout.computedPositions(g, ConvSimd.REGISTERS);
        return share < MAX_CONVSIMD_SHARE;
    }

    /** See {@link #suits}. */
    static final double MAX_CONVSIMD_SHARE = 0.8;

    /**
     * Whether this kernel can compute layer g: one group, column stride 1, one or two vectors of
     * filters exactly, an output plane of at least one block (of the micro-kernels for 16 and for 32
     * registers alike), and a tile that stays in the cache.
     */
    static boolean accepts(ConvGeometry g) {
        int vectors = g.outChannels() / LANES;
        if (g.groups() != 1 || g.strideW() != 1 || g.outChannels() % LANES != 0 || vectors < 1 || vectors > 2
                || g.batch() == 0) {
            return false;
        }
        Block small = Block.of(vectors, 16);              // both sizes, which the tests run on any machine
        Block large = Block.of(vectors, 32);
        return g.outWidth() >= Math.max(small.columns, large.columns) && g.outHeight() >= Math.max(small.rows, large.rows)
                && (long) g.outPlane() * g.outChannels() <= MAX_TILE_FLOATS;
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. Same contract as {@link ConvNaive#forward}. */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        return forward(x, w, bias, g, ConvSimd.REGISTERS);
    }

    /** {@link #forward} with the micro-kernels for {@code registers} vector registers (the tests run both). */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g, int registers) {
        return forward(x, w, bias, g, registers, NEW_ARRAY);
    }

    /**
     * {@link #forward} with y allocated by {@code allocation}: the tests hold the allocation back until
     * the other threads have parked their tiles or wait in {@link Output#await}, so that those paths
     * run whatever the timing.
     */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g, int registers, Allocation allocation) {
        int filters = g.outChannels();
        Block block = Block.of(filters / LANES, registers);
        // The rows and columns of the source the outputs read; the source is x itself when they lie
        // inside the image with no padding before them, else a zero-padded copy of that size.
        int srcRows = (g.outHeight() - 1) * g.strideH() + (g.kernelH() - 1) * g.dilationH() + 1;
        int srcCols = g.outWidth() + (g.kernelW() - 1) * g.dilationW();
        boolean direct = g.padTop() == 0 && g.padLeft() == 0 && srcRows <= g.height() && srcCols <= g.width();
        int rowsOf = direct ? g.height() : srcRows;
        int colsOf = direct ? g.width() : srcCols;
        int[] taps = offsets(g, rowsOf, colsOf, block.sharesRows(g));
        int plane = g.outPlane();
        int[] tileColumn = new int[LANES];                // a gather down one filter's column of the tile
        for (int lane = 0; lane < LANES; lane++) {
            tileColumn[lane] = lane * filters;
        }
        float[] packed = packFilters(w, g);
        long perImage = (long) filters * plane * g.patchSize();
        int perTask = (int) Math.min(g.batch(), Math.max(1, TASK_MULTIPLY_ADDS / Math.max(1, perImage)));
        int tasks = (g.batch() + perTask - 1) / perTask;
        int tileFloats = plane * filters;
        // Tiles of the first images may wait in the calling thread's workspace while y is allocated.
        // With one thread the first task allocates y before any tile is computed: nothing waits.
        int early = Threads.get() > 1 ? Math.min(g.batch(), MAX_EARLY_FLOATS / tileFloats) : 0;
        float[] earlyTiles = early > 0 ? WORKSPACE.get().early(early * tileFloats) : null;
        Output output = new Output(g.batch() * tileFloats, early, allocation);
        AtomicIntegerArray parked = output.parked;
        AtomicInteger waiting = output.waiting;
        Threads.parallelFor(tasks, t -> {
            if (t == 0) {
                output.allocate();      // while the other threads compute
            }
            float[] tile = WORKSPACE.get().tile(tileFloats);
            for (int n = t * perTask; n < Math.min(g.batch(), (t + 1) * perTask); n++) {
                boolean mayWait = n < early;
                float[] into = mayWait ? earlyTiles : tile;
                int at = mayWait ? n * tileFloats : 0;
                float[] src = source(x, g, n, direct, rowsOf, colsOf, WORKSPACE.get());
                image(src, sourceIndex(g, n, direct), colsOf, taps, packed, g, block, into, at);
                float[] y = output.ready();
                if (y == null && mayWait) {
                    parked.set(n, 1);
                    waiting.incrementAndGet();
                    continue;
                }
                if (y == null) {
                    y = output.await();
                }
                storeImage(into, at, tileColumn, bias, g, n, y);
                if (waiting.get() > 0) {
                    storeParked(earlyTiles, tileColumn, bias, g, parked, waiting, y);
                }
            }
        });
        float[] y = output.ready();
        storeParked(earlyTiles, tileColumn, bias, g, parked, waiting, y);   // any left: a thread's last images
        return y;
    }

    /**
     * Most floats of tiles kept for the images computed before y is allocated (512 KB: L2-sized). The
     * thread that takes the first task allocates y (1.6 MB on LeNet's conv2, which the JVM zeroes:
     * about as long as 50 images take); the others keep computing meanwhile, and the tiles of those
     * images wait here, in the calling thread's workspace, each at its image's place, until a thread
     * that has y stores them.
     */
    static final int MAX_EARLY_FLOATS = 1 << 17;

    /** Stores every tile that waits in {@code earlyTiles} ({@code parked} 1) and no thread has claimed yet. */
    private static void storeParked(float[] earlyTiles, int[] tileColumn, float[] bias, ConvGeometry g,
                                    AtomicIntegerArray parked, AtomicInteger waiting, float[] y) {
        int tileFloats = g.outPlane() * g.outChannels();
        for (int n = 0; n < parked.length() && waiting.get() > 0; n++) {
            if (parked.get(n) == 1 && parked.compareAndSet(n, 1, 2)) {
                waiting.decrementAndGet();
                storeImage(earlyTiles, n * tileFloats, tileColumn, bias, g, n, y);
            }
        }
    }

    /** How y is allocated (the tests hold it back to make tiles wait, see {@link #forward}). */
    interface Allocation {
        /** A new zeroed array of {@code size} floats for y; {@code output} tells what the other threads are doing. */
        float[] allocate(int size, Output output);
    }

    private static final Allocation NEW_ARRAY = (size, output) -> new float[size];

    /**
     * The output array, allocated by the thread that takes the first task, and the tiles that wait for
     * it. {@link #ready} does not wait: null until y is there; {@link #await} spins until it is (a
     * fraction of a millisecond), or rethrows the allocation's error (an {@link OutOfMemoryError}
     * reaches the caller as itself, whichever thread meets it first).
     *
     * <p>Image n &lt; {@code parked.length()} whose tile was computed before y was there is marked 1 in
     * {@code parked} (after its tile is written: the volatile write publishes the tile) and counted in
     * {@code waiting}; a thread that has y claims it by setting 1 → 2 with a compare-and-set, so each
     * tile is stored exactly once, and the calling thread stores whatever is left after the loop.
     */
    static final class Output {
        private final int size;
        private final Allocation allocation;
        private volatile float[] y;
        private volatile Throwable failure;
        /** Image n's tile: 0 not parked, 1 waits in the early tiles, 2 stored. */
        final AtomicIntegerArray parked;
        /** How many tiles are marked 1 in {@code parked} (exact once the loop has ended). */
        final AtomicInteger waiting = new AtomicInteger();
        /** How many threads spin in {@link #await} (for the tests). */
        private final AtomicInteger spinning = new AtomicInteger();

        Output(int size, int early, Allocation allocation) {
            this.size = size;
            this.parked = new AtomicIntegerArray(early);
            this.allocation = allocation;
        }

        void allocate() {
            try {
                y = allocation.allocate(size, this);
            } catch (Throwable e) {
                failure = e;
                throw e;
            }
        }

        float[] ready() {
            return y;
        }

        float[] await() {
            float[] array = y;
            if (array != null) {
                return array;
            }
            spinning.incrementAndGet();
            // With more threads than cores, the allocating thread may be the one this core's time
            // slice would go to: give it up instead of spinning.
            boolean spin = WorkerPool.spinning();
            try {
                while ((array = y) == null) {
                    Throwable e = failure;
                    // The allocation's own exception (it throws nothing checked), so that the caller
                    // gets the same one whichever thread's is rethrown.
                    if (e instanceof Error error) {
                        throw error;
                    }
                    if (e instanceof RuntimeException exception) {
                        throw exception;
                    }
                    if (spin) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                return array;
            } finally {
                spinning.decrementAndGet();
            }
        }

        /** How many tiles wait for y now. */
        int waitingTiles() {
            return waiting.get();
        }

        /** How many threads spin in {@link #await} now. */
        int spinningThreads() {
            return spinning.get();
        }
    }

    /**
     * Where each tap (c, a, b) lies from the start of an output pixel's window in a source of
     * {@code rows} × {@code cols} floats per channel, in the order of the taps; or, for the row kernel
     * ({@code rowsOfTaps}), where each row of taps (c, a) starts.
     */
    private static int[] offsets(ConvGeometry g, int rows, int cols, boolean rowsOfTaps) {
        int width = rowsOfTaps ? 1 : g.kernelW();
        int[] offsets = new int[g.inChannels() * g.kernelH() * width];
        for (int c = 0, k = 0; c < g.inChannels(); c++) {
            for (int a = 0; a < g.kernelH(); a++) {
                for (int b = 0; b < width; b++, k++) {
                    offsets[k] = c * rows * cols + a * g.dilationH() * cols + b * g.dilationW();
                }
            }
        }
        return offsets;
    }

    /** The tile of one image: tile[(i·W_out + j)·C_out + o] = y[o][i][j] without the bias. */
    private static void image(float[] src, int xIndex, int cols, int[] taps, float[] packed, ConvGeometry g,
                              Block block, float[] tile, int tileAt) {
        int filters = g.outChannels();
        int rowStep = g.strideH() * cols;
        int tileRow = g.outWidth() * filters;
        boolean sharesRows = block.sharesRows(g);        // then taps holds the rows of taps
        for (int i0 = 0; i0 < g.outHeight(); i0 += block.rows) {
            int i = Math.min(i0, g.outHeight() - block.rows);        // the last block of rows ends at the last row
            for (int j0 = 0; j0 < g.outWidth(); j0 += block.columns) {
                int j = Math.min(j0, g.outWidth() - block.columns);  // the last block of columns ends at the row's end
                int window = xIndex + i * rowStep + j;
                int tileIndex = tileAt + (i * g.outWidth() + j) * filters;
                if (sharesRows) {
                    ConvChannelSimdKernels.rowKernel1x2x10x5(src, window, rowStep, taps, packed, tile, tileIndex, tileRow);
                    continue;
                }
                // The block's V, R and J as the digits of one number (1210: 1 vector × 2 rows × 10 columns).
                switch (block.vectors * 1000 + block.rows * 100 + block.columns) {
                    case 1210 -> ConvChannelSimdKernels.kernel1x2x10(src, window, rowStep, taps, packed, tile, tileIndex, tileRow);
                    case 2110 -> ConvChannelSimdKernels.kernel2x1x10(src, window, rowStep, taps, packed, tile, tileIndex, tileRow);
                    case 1110 -> ConvChannelSimdKernels.kernel1x1x10(src, window, rowStep, taps, packed, tile, tileIndex, tileRow);
                    case 2106 -> ConvChannelSimdKernels.kernel2x1x6(src, window, rowStep, taps, packed, tile, tileIndex, tileRow);
                    default -> throw new IllegalStateException("ConvChannelSimd: no micro-kernel for the block " + block);
                }
            }
        }
    }

    /**
     * y[n][o][p] = tile[p·C_out + o] + bias[o]: the tile (pixels × filters) transposed into image n's
     * planes ({@code bias} may be null: + 0). Where this machine's LANES has a generated transposition
     * (4, 8 or 16 lanes: {@link ConvChannelSimdKernels#transposes}) and a plane holds at least one
     * vector, {@link #storeImageInBlocks}; else {@link #storeImageByGathers}. Both give the same bits:
     * each float of y is one tile float plus its bias, added once.
     */
    private static void storeImage(float[] tile, int tileAt, int[] tileColumn, float[] bias, ConvGeometry g, int n,
                                   float[] y) {
        if (g.outPlane() >= LANES && ConvChannelSimdKernels.transposes()) {
            storeImageInBlocks(tile, tileAt, bias, g, n, y);
        } else {
            storeImageByGathers(tile, tileAt, tileColumn, bias, g, n, y);
        }
    }

    /**
     * {@link #storeImage} as LANES × LANES blocks (LANES pixels × one vector of filters), each
     * transposed in registers ({@link ConvChannelSimdKernels#transpose}) and stored as LANES runs of
     * LANES pixels of y; the last block of a plane ends at the plane's end, overlapping the one before
     * it with the same values. Needs a plane of at least LANES pixels and a generated transposition for
     * this LANES. The gathers of {@link #storeImageByGathers} cost about twice as much on LeNet's conv2
     * (docs/kernels.md).
     */
    static void storeImageInBlocks(float[] tile, int tileAt, float[] bias, ConvGeometry g, int n, float[] y) {
        int filters = g.outChannels();
        int plane = g.outPlane();
        for (int v = 0; v < filters; v += LANES) {
            FloatVector bv = bias == null ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, bias, v);
            int to = (n * filters + v) * plane;
            for (int p = 0; p < plane; p += LANES) {
                int q = Math.min(p, plane - LANES);
                ConvChannelSimdKernels.transpose(tile, tileAt + q * filters + v, filters, bv, y, to + q, plane);
            }
        }
    }

    /**
     * {@link #storeImage} for any LANES: each vector of a plane is one gather down the tile's column o
     * ({@code tileColumn} = 0, C_out, 2·C_out, ...), the last one ending at the plane's end (overlapping
     * the one before it with the same values). A plane smaller than a vector goes one float at a time.
     * Where there is a transposition, only that branch runs here: {@link #accepts} asks two vectors of
     * filters for one row of at least 10 pixels only, so with 16 lanes a 1 × 10 to 1 × 15 plane takes
     * it (the random-geometry test meets such planes).
     */
    static void storeImageByGathers(float[] tile, int tileAt, int[] tileColumn, float[] bias, ConvGeometry g, int n,
                                    float[] y) {
        int filters = g.outChannels();
        int plane = g.outPlane();
        for (int o = 0; o < filters; o++) {
            int to = (n * filters + o) * plane;
            float b = bias == null ? 0f : bias[o];
            if (plane < LANES) {
                for (int p = 0; p < plane; p++) {
                    y[to + p] = tile[tileAt + p * filters + o] + b;
                }
                continue;
            }
            FloatVector bv = FloatVector.broadcast(SPECIES, b);
            for (int p = 0; p < plane; p += LANES) {
                int q = Math.min(p, plane - LANES);
                FloatVector.fromArray(SPECIES, tile, tileAt + q * filters + o, tileColumn, 0).add(bv).intoArray(y, to + q);
            }
        }
    }

    /** The weight-gradient micro-kernel's block: V vectors of filters × R rows × J columns of taps. */
    record WeightBlock(int vectors, int rows, int columns) {
        /** The block of the weight kernels for {@code registers} vector registers with V = {@code vectors}. */
        static WeightBlock of(int vectors, int registers) {
            if (vectors != 1 && vectors != 2) {
                throw new IllegalArgumentException("ConvChannelSimd: weight kernels for 1 or 2 vectors of filters, not " + vectors);
            }
            if (vectors == 1 && registers >= 32) {
                return new WeightBlock(1, 5, 5);
            }
            return new WeightBlock(vectors, 1, 5);
        }
    }

    /**
     * ∂L/∂W is summed in this many partial sums at most (runs of images), whatever the thread count.
     * The runs must not depend on the thread count (the sums would round differently), so their
     * number is fixed, and it is a compromise. Each run is one task: with fewer runs than threads a
     * thread idles, and with few runs per thread the threads finish unevenly (8 runs: 4 and 4 on two
     * threads, 3, 3 and 2 on three; a thread held up by other work is made up for by the other taking
     * a run more). Each run costs one partial sum of C_out · C_in · k_h · k_w floats (9.6 KB on
     * LeNet's conv2) and one more addition per weight at the end, and its images' sums start from
     * zero in registers anyway: so 8, enough for the 2 to 8 cores of the machines this library runs
     * on, costs a few microseconds against the milliseconds of the sums themselves.
     */
    static final int WEIGHT_RUNS = 8;

    /**
     * Whether {@link #backwardWeight} can compute layer g: what {@link #accepts} asks, no dilation, and
     * filters whose rows and columns are whole blocks of taps (the blocks of 16 and 32 registers alike:
     * filters 5, 10, ... wide, LeNet's 5×5 among them), so that every tap belongs to exactly one block.
     */
    static boolean acceptsWeight(ConvGeometry g) {
        if (!accepts(g) || g.dilationH() != 1 || g.dilationW() != 1) {
            return false;
        }
        int vectors = g.outChannels() / LANES;
        WeightBlock small = WeightBlock.of(vectors, 16);
        WeightBlock large = WeightBlock.of(vectors, 32);
        return g.kernelH() % small.rows == 0 && g.kernelH() % large.rows == 0
                && g.kernelW() % small.columns == 0 && g.kernelW() % large.columns == 0;
    }

    /** Whether this kernel's weight gradient is worth taking for layer g: {@link #suits} and {@link #acceptsWeight}. */
    static boolean suitsWeight(ConvGeometry g) {
        return suits(g) && acceptsWeight(g);
    }

    /** ∂L/∂W; same contract as {@link ConvNaive#backwardWeight}. */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        return backwardWeight(x, gradY, g, ConvSimd.REGISTERS);
    }

    /**
     * ∂L/∂W with the weight kernels for {@code registers} vector registers (the tests run both). The
     * forward turned around: the filters are still in the lanes, but the sums are now the weights, one
     * vector of filters per tap, and the loop inside runs over the output pixels:
     * <pre>
     *   ∂L/∂W[o][k] = Σ_n Σ_p ∂L/∂y[n][o][p] · x[n][tap k of pixel p]
     *   sums[k][o ..+ LANES] += gradT[p][o ..+ LANES] · broadcast(x[tap k of pixel p])
     * </pre>
     * Per pixel and block of R × J taps: V vector loads of ∂L/∂y, R·J broadcasts of one input value
     * each, V·R·J FMAs, the sums in registers for all the pixels of an image. ∂L/∂y of an image is
     * first transposed to pixels × filters (gradT, a per-thread buffer: LANES × LANES blocks in
     * registers, {@link #gradientByPixelsInBlocks}, or one vector gather per pixel,
     * {@link #gradientByPixelsByGathers}, on a machine with no generated transposition or for a plane
     * smaller than a vector), so that a pixel's filters are one vector.
     * The images are cut into at most {@link #WEIGHT_RUNS} runs, which depend on the batch alone;
     * each run adds its images in order into its own partial sums, the runs go to the threads, and
     * the partial sums are added in order of the runs: the same bits for any thread count.
     */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g, int registers) {
        int filters = g.outChannels();
        int vectors = filters / LANES;
        WeightBlock block = WeightBlock.of(vectors, registers);
        int srcRows = (g.outHeight() - 1) * g.strideH() + g.kernelH();
        int srcCols = g.outWidth() + g.kernelW() - 1;
        boolean direct = g.padTop() == 0 && g.padLeft() == 0 && srcRows <= g.height() && srcCols <= g.width();
        int rowsOf = direct ? g.height() : srcRows;
        int colsOf = direct ? g.width() : srcCols;
        int plane = g.outPlane();
        int[] pixels = new int[plane];                   // pixel p = (i, j) → where its window starts
        for (int i = 0, p = 0; i < g.outHeight(); i++) {
            for (int j = 0; j < g.outWidth(); j++, p++) {
                pixels[p] = i * g.strideH() * colsOf + j;
            }
        }
        boolean inBlocks = plane >= LANES && ConvChannelSimdKernels.transposes();
        int patch = g.patchSize();
        int runs = Math.min(g.batch(), WEIGHT_RUNS);
        float[][] partials = new float[runs][];
        Threads.parallelFor(runs, run -> {
            float[] partial = new float[patch * filters];           // [tap k][filter o]
            Workspace workspace = WORKSPACE.get();
            float[] gradT = workspace.tile(plane * filters);
            for (int n = run * g.batch() / runs; n < (run + 1) * g.batch() / runs; n++) {
                float[] src = source(x, g, n, direct, rowsOf, colsOf, workspace);
                int xIndex = sourceIndex(g, n, direct);
                if (inBlocks) {                                      // gradT[p][o] = ∂L/∂y[n][o][p]
                    gradientByPixelsInBlocks(gradY, g, n, gradT);
                } else {
                    gradientByPixelsByGathers(gradY, g, n, gradT);
                }
                imageWeight(src, xIndex, rowsOf, colsOf, pixels, gradT, g, block, partial);
            }
            partials[run] = partial;
        });
        float[] gradW = new float[filters * patch];
        for (int o = 0; o < filters; o++) {
            for (int k = 0; k < patch; k++) {
                float sum = partials[0][k * filters + o];
                for (int run = 1; run < runs; run++) {           // in order of the runs, whoever computed them
                    sum += partials[run][k * filters + o];
                }
                gradW[o * patch + k] = sum;
            }
        }
        return gradW;
    }

    /**
     * gradT[p·C_out + o] = ∂L/∂y[n][o][p]: image n's ∂L/∂y as pixels × filters, by the forward's
     * transposition ({@link #storeImageInBlocks} the other way round: LANES filters' runs of LANES
     * pixels turned into LANES pixels' vectors of filters, the last block of a plane moved back to end
     * at its end). The generated transposition adds a bias; here it adds −0, which leaves every number
     * as it is (x + −0 = x for x = +0 and −0 alike, infinities and subnormals included; a NaN stays a
     * NaN). Needs a plane of at least LANES pixels and a generated transposition for this LANES.
     */
    static void gradientByPixelsInBlocks(float[] gradY, ConvGeometry g, int n, float[] gradT) {
        int filters = g.outChannels();
        int plane = g.outPlane();
        FloatVector minusZero = FloatVector.broadcast(SPECIES, -0f);
        for (int v = 0; v < filters; v += LANES) {
            int from = (n * filters + v) * plane;
            for (int p = 0; p < plane; p += LANES) {
                int q = Math.min(p, plane - LANES);
                ConvChannelSimdKernels.transpose(gradY, from + q, plane, minusZero, gradT, q * filters + v, filters);
            }
        }
    }

    /** {@link #gradientByPixelsInBlocks} for any LANES and plane: one vector gather across the filters' planes per pixel. */
    static void gradientByPixelsByGathers(float[] gradY, ConvGeometry g, int n, float[] gradT) {
        int filters = g.outChannels();
        int plane = g.outPlane();
        int[] planeColumn = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            planeColumn[lane] = lane * plane;
        }
        for (int v = 0; v < filters; v += LANES) {
            int from = (n * filters + v) * plane;
            for (int p = 0; p < plane; p++) {
                FloatVector.fromArray(SPECIES, gradY, from + p, planeColumn, 0).intoArray(gradT, p * filters + v);
            }
        }
    }

    /** One image's share of ∂L/∂W, added to {@code partial} ([tap k][filter o]), block of taps by block. */
    private static void imageWeight(float[] src, int xIndex, int rows, int cols, int[] pixels, float[] gradT,
                                    ConvGeometry g, WeightBlock block, float[] partial) {
        int filters = g.outChannels();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int a = 0; a < g.kernelH(); a += block.rows) {
                for (int b = 0; b < g.kernelW(); b += block.columns) {
                    int window = xIndex + (c * rows + a) * cols + b;
                    int partialIndex = ((c * g.kernelH() + a) * g.kernelW() + b) * filters;
                    int partialRow = g.kernelW() * filters;
                    // The block's V, R and J as the digits of one number (1505: 1 vector × 5 rows × 5 columns).
                    switch (block.vectors * 1000 + block.rows * 100 + block.columns) {
                        case 1505 -> ConvChannelSimdKernels.weightKernel1x5x5(src, window, cols, pixels, gradT, partial, partialIndex, partialRow);
                        case 1105 -> ConvChannelSimdKernels.weightKernel1x1x5(src, window, cols, pixels, gradT, partial, partialIndex, partialRow);
                        case 2105 -> ConvChannelSimdKernels.weightKernel2x1x5(src, window, cols, pixels, gradT, partial, partialIndex, partialRow);
                        default -> throw new IllegalStateException("ConvChannelSimd: no weight kernel for the block " + block);
                    }
                }
            }
        }
    }

    /**
     * Image n as the kernels read it: x itself when the outputs' windows lie inside the unpadded image
     * ({@code direct}), else its {@code rows} × {@code cols} padded copy ({@link #pad}) in this thread's
     * workspace. {@link #sourceIndex} says where the image starts in it.
     */
    private static float[] source(float[] x, ConvGeometry g, int n, boolean direct, int rows, int cols,
                                  Workspace workspace) {
        if (direct) {
            return x;
        }
        float[] src = workspace.image(g.inChannels() * rows * cols);
        pad(x, g, n, rows, cols, src);
        return src;
    }

    /** Where image n starts in {@link #source}'s array. */
    private static int sourceIndex(ConvGeometry g, int n, boolean direct) {
        return direct ? n * g.inChannels() * g.height() * g.width() : 0;
    }

    /**
     * src[c][u][v] = x[n][c][u − pad_top][v − pad_left], zero outside the image, for the {@code rows} ×
     * {@code cols} window the outputs read.
     */
    private static void pad(float[] x, ConvGeometry g, int n, int rows, int cols, float[] src) {
        java.util.Arrays.fill(src, 0, g.inChannels() * rows * cols, 0f);
        int firstCol = Math.max(0, g.padLeft());
        int endCol = Math.min(cols, g.padLeft() + g.width());
        if (endCol <= firstCol) {
            return;
        }
        for (int c = 0; c < g.inChannels(); c++) {
            int xBase = (n * g.inChannels() + c) * g.height() * g.width();
            for (int u = Math.max(0, g.padTop()); u < Math.min(rows, g.padTop() + g.height()); u++) {
                System.arraycopy(x, xBase + (u - g.padTop()) * g.width() + firstCol - g.padLeft(),
                        src, (c * rows + u) * cols + firstCol, endCol - firstCol);
            }
        }
    }

    /** The filters as [tap k][filter o]: the C_out weights of one tap adjacent, one vector load per vector of filters. */
    static float[] packFilters(float[] w, ConvGeometry g) {
        int patch = g.patchSize();
        int filters = g.outChannels();
        float[] packed = new float[filters * patch];
        for (int o = 0; o < filters; o++) {
            for (int k = 0; k < patch; k++) {
                packed[k * filters + o] = w[o * patch + k];
            }
        }
        return packed;
    }
}
