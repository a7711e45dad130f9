package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM with the Vector API ({@code jdk.incubator.vector}): packed panels, a register-blocked
 * micro-kernel with fused multiply-add, and threads over blocks of C.
 * <pre>
 *   C = op(A) · op(B) + β · C          op(A): m×k,  op(B): k×n,  C: m×n, row-major
 * </pre>
 * Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}; see {@link Gemm}.
 *
 * <h2>Optimisation rules (the loop nest of GotoBLAS / BLIS, in Java)</h2>
 * <pre>
 *   parallel for each tile of C: a strip of TILE_COLS columns, all rows   ← threads: tiles are independent
 *     C_tile = β · C_tile          (fewer strips than 2 per thread: cut across where that evens out
 *                                   the threads' work, or narrower strips if few rows)
 *                                  (β = 0: skipped, the first k-block stores instead of adding)
 *     for pc in 0..k step DEPTH                                    ← k-blocks, always in this order
 *       pack op(B)[pc.., tile cols] into panels of NR columns      (DEPTH × TILE_COLS)
 *       for each row block of ROW_BLOCK rows
 *         pack op(A)[block rows, pc..] into panels of mr rows      (ROW_BLOCK × DEPTH, stays in L2)
 *         for each B panel (NR columns)                            (DEPTH × NR)
 *           for each A panel (mr rows)
 *             micro-kernel: mr × NR block of C += A panel · B panel
 * </pre>
 * (docs/kernels.md has the measurements behind the choices below.)
 * <ul>
 *   <li>The micro-kernel keeps the mr × NR block of C in registers for a whole k-block, NR being 2
 *       vectors. How many rows fit depends on the vector register file, so there are two blocks:
 *       <ul>
 *         <li>6 rows ({@link #microKernel6x2}) for AVX2's 16 registers: 12 accumulators, plus 2
 *             vectors of B and 1 broadcast of A = 15. Each step does 12 FMAs for 2 vector loads.</li>
 *         <li>12 rows ({@link #microKernel12x2}) for AVX-512's 32: 24 accumulators + 3 = 27. Each
 *             step does 24 FMAs for the same 2 vector loads, so the panels that stream from L2 feed
 *             twice the arithmetic (taller blocks, 14 × 2 or 8 × 3, were slower).</li>
 *       </ul>
 *       {@link #INSTANCE} takes the 12-row block when vectors have 16 floats (512 bits, so AVX-512)
 *       and the 6-row block otherwise; both are tested on every machine.</li>
 *   <li>Tails: the last panel of a row block that has at most 6 rows is packed 6 rows tall and run
 *       by the 6-row kernel, so the 16 rows of a small convolution cost 12 + 6 rows of work, not 24.
 *       Panels are padded to full size, so no inner loop needs an edge case; only the store into C
 *       does ({@code addPartialBlock}). A row of C's block depends only on its own row of the A panel,
 *       a column only on its own column of the B panel, so what the padding holds does not matter:
 *       it is computed and never stored. The last, narrower B panel is therefore copied in whole
 *       vectors that run on past the edge into whatever B holds next ({@link #packB}).</li>
 *   <li>Packing makes every inner-loop read contiguous and resolves transA/transB once per block.
 *       Tiles are tall so that one packed B block serves many rows: repacking B for every row block
 *       cost a noticeable share of the time and kept two threads from scaling. The packing loops
 *       themselves are written for the panel sizes, since the generic loops of {@link GemmPacking}
 *       (one float at a time, a test for the padding in the loop) cost a large share of a product:
 *       B is copied a vector at a time (gathered across rows when B is stored transposed), A by
 *       gathers that each fill a whole vector of the panel with the 12-row block, six named rows at a
 *       time with the 6-row one (a vector at a time when A is stored transposed).</li>
 *   <li>The pass over C: with β = 0 the tile is not cleared first, the first k-block's sums are
 *       stored ({@code storeFullBlock}) and only later k-blocks add theirs, so C is written once
 *       per k-block and never read before it is written.</li>
 *   <li>Few rows (at most {@link #IN_PLACE_B_ROWS}): B is not packed at all, the micro-kernel reads
 *       its rows in place, since each packed value would serve too few rows to repay the copy.
 *       Few rows or columns of A·Bᵀ with a long k: {@link GemmSimdDot} computes dot products of rows
 *       and packs nothing.</li>
 *   <li>Threads split the tiles of C, never the k-sum: every C element is summed over the same
 *       k-blocks in the same order on 1 thread or 16, so results are bit-identical. Where the rows are
 *       cut, {@link #balancedRowsPerTile} picks the cut whose busiest thread has the least to do, counting
 *       whole micro-kernel blocks and each tile's packing, rather than a fixed number of tiles per thread;
 *       {@link #cut} says which cut a product gets. A large product whose C is one strip of columns
 *       instead packs B once for all threads and hands out small row blocks ({@code SharedBProduct}).</li>
 *   <li>On one thread, a product wider than one strip with a small A packs A once for all strips,
 *       which are then narrow enough for the packed B strip to stay in L2 ({@link #gemmReusingA}).</li>
 *   <li>Products below {@link #PARALLEL_THRESHOLD} (2¹⁹ multiply-adds, about 80³) run on the calling
 *       thread: handing work to another thread and splitting C into more tiles (each packing B again)
 *       costs more than the second core gains on a product that takes a few tens of microseconds.</li>
 * </ul>
 * The vector width is {@link FloatVector#SPECIES_PREFERRED}: 8 floats with AVX2, 16 with AVX-512.
 */
public final class GemmSimd implements GemmKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector register. */
    private static final int LANES = SPECIES.length();
    /** Columns of C in one micro-kernel block: two vectors, for both blocks. */
    static final int NR = 2 * LANES;
    /** Rows of the small block (6 × 2 vectors, for 16 vector registers), and of the large block's last panel. */
    static final int MR = 6;

    /**
     * k-block length. Every k-block is one more pass over the tile of C (each C block read, added to,
     * written), so long blocks pay (figures in docs/performance.md, "Tuning decisions"). The
     * panels then outgrow L1 (with AVX-512 an A panel is 48 KB, a B panel 128 KB), but the micro-kernel reads both
     * front to back, a stream the hardware prefetcher keeps ahead of from L2.
     * <p>GotoBLAS and BLIS would size the k-block so that the B panel stays in L1 (256 here: 32 KB of a
     * 48 KB L1). Here that buys nothing measurable (docs/kernels.md has the comparison): the A panel
     * needs only a few bytes per cycle from L2 and the B panel is a stream, so the loop nest on packed
     * panels already runs close to the micro-kernel on panels in L1. What a whole product loses beyond
     * that is packing and the passes over C, and fewer passes is what a long block buys.
     */
    static final int DEPTH = 1024;
    /** The block for 16 vector registers (AVX2): 6 rows × 2 vectors. */
    static final GemmSimd SIXTEEN_REGISTERS = new GemmSimd(MR);
    /** The block for 32 vector registers (AVX-512): 12 rows × 2 vectors. */
    static final GemmSimd THIRTY_TWO_REGISTERS = new GemmSimd(2 * MR);
    /**
     * The kernel in use: 512-bit vectors mean AVX-512 and its 32 registers, narrower ones AVX2's 16.
     * Java cannot ask the CPU for its register count; the vector width the JVM chose is the sign.
     */
    static final GemmSimd INSTANCE = LANES >= 16 ? THIRTY_TWO_REGISTERS : SIXTEEN_REGISTERS;

    /**
     * Columns of C per task (a multiple of NR). The packed B block, DEPTH × TILE_COLS (4 MB with AVX-512),
     * lives in L3 and is read one panel at a time; wide tiles mean fewer repacks of A.
     */
    static final int TILE_COLS = 32 * NR;
    /**
     * Below this many multiply-adds (m·n·k, here 2¹⁹, about 80³) the product stays on the calling
     * thread. A second thread must first find the work, and each extra tile packs its own copy of B;
     * with the pool's workers awake between kernels ({@link Threads}) that pays from about 96³ up and
     * loses at 64³, so the threshold sits between. A pool that had to wake a parked thread for every
     * product would move it up several times over (the figures are in docs/performance.md, "Tuning
     * decisions").
     */
    static final long PARALLEL_THRESHOLD = 1L << 19;
    /**
     * Tiles with at most this many rows read B in place instead of packing it: with few rows a packed
     * value is used too few times to repay the copy; with many the packed panel's compactness wins
     * (the shapes that set this are in docs/performance.md).
     */
    static final int IN_PLACE_B_ROWS = 64;

    /**
     * Rows of A packed at a time, a multiple of both blocks' rows: the packed A block, ROW_BLOCK × DEPTH
     * (576 KB), stays in L2.
     */
    static final int ROW_BLOCK = 24 * MR;

    /**
     * Floats a packed A block needs past its end: a vector copy of a transposed panel's last step may
     * run over by up to a vector ({@link #packTransposedPanel}).
     */
    static final int PACK_SLACK = LANES;

    /** Rows of C in one micro-kernel block: 6 or 12. */
    final int mr;
    /**
     * Whether full panels of A stored m×k are packed by gathers ({@link #packPanelByGathers}): for the
     * 12-row kernel. {@link #INSTANCE} is that kernel only with 16-lane vectors, whose gathers are
     * cheap; the tests also run it with 8 lanes, gathers included, so that they are checked on any machine.
     */
    final boolean gathersA;

    /** A kernel with an mr-row block (6 or 12). */
    GemmSimd(int mr) {
        if (mr != MR && mr != 2 * MR) {
            throw new IllegalArgumentException("GemmSimd: the micro-kernels have 6 or 12 rows but got " + mr);
        }
        this.mr = mr;
        this.gathersA = mr == 2 * MR;
    }

    /**
     * Same contract as {@link Gemm#gemm}, on this kernel whatever the facade chose; for benchmarks and
     * for reading. Arguments are not checked here: call {@link Gemm#gemm} for that.
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, int lda,
                                float[] b, int bOffset, int ldb,
                                float beta, float[] c, int cOffset, int ldc) {
        INSTANCE.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String toString() {
        return "simd (" + mr + " × 2 vectors of " + LANES + ")";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        boolean parallel = GemmTiles.worthThreads(m, n, k, PARALLEL_THRESHOLD);
        if (GemmSimdDot.suits(transA, transB, m, n, k)) {
            int tileRows = GemmTiles.rowsPerTile(m, n, GemmSimdDot.TILE_COLS, GemmSimdDot.ROWS, parallel);
            new GemmSimdDot(tileRows, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc).runAll(parallel);
            return;
        }
        if (parallel && sharesB(m, n, k)) {
            new SharedBProduct(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc).run();
            return;
        }
        if (!parallel && reusesA(m, n, k)) {
            gemmReusingA(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
                    REUSE_STRIP_COLS);
            return;
        }
        int[] cut = cut(m, n, parallel);
        int tileRows = cut[0];
        int tileCols = cut[1];
        new SimdTiles(tileRows, tileCols, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c,
                cOffset, ldc).runAll(parallel);
    }

    /**
     * How {@code gemm} cuts C for {@link Threads#get()} threads: {rows, columns} per tile. Few rows (at
     * most {@link #IN_PLACE_B_ROWS}): column strips of all the rows, as wide as {@link #balancedStripCols}
     * says, if they give every thread a strip. Cutting those rows would leave tiles that fit the 12-row
     * block badly (a ResNet layer's 64 × 784 product cut into tiles of 24, 24 and 16 rows kept one thread
     * twice as busy as the other). If they do not, as when C has fewer NR-wide panels than there are
     * threads (a Linear(784, 32) layer's 64 × 32 forward pass): the strips of {@link #fewRowsStripCols}
     * cut across by {@link GemmTiles#rowsPerTile}, so that the rows still give every thread work. More rows: strips of {@link #TILE_COLS}, the rows cut
     * by {@link #balancedRowsPerTile} when {@link GemmTiles#rowsPerTile}'s tiles would pack B. The cut
     * decides who computes which block of C, never how a block is summed.
     */
    int[] cut(int m, int n, boolean parallel) {
        int threads = Threads.get();
        int tileCols = fewRowsStripCols(m, n, parallel);
        int tileRows = GemmTiles.rowsPerTile(m, n, tileCols, mr, parallel);
        if (parallel && tileCols < TILE_COLS) {
            int stripCols = balancedStripCols(m, n, threads);
            if ((n + stripCols - 1) / stripCols >= threads) {
                return new int[] {paddedRows(m), stripCols};
            }
        } else if (parallel && tileRows > IN_PLACE_B_ROWS) {
            tileRows = balancedRowsPerTile(m, n, tileCols, threads);
        }
        return new int[] {tileRows, tileCols};
    }

    /**
     * Columns per tile before any balancing: {@link #TILE_COLS}, or, for a product with few rows (at most
     * {@link #IN_PLACE_B_ROWS}) that gives fewer strips than 2 per thread, narrower strips (a multiple of
     * NR), about 2 per thread. {@link #cut} keeps this width when it cuts rows; with few rows and panels
     * enough for a strip per thread it lets {@link #balancedStripCols} choose the width instead. With
     * more rows the rows are cut rather than the columns: every column strip repacks A, and each tile
     * then packs B (a 256 × 400 product ran slower cut into columns; docs/kernels.md).
     */
    static int fewRowsStripCols(int m, int n, boolean parallel) {
        int wanted = 2 * Threads.get();
        if (!parallel || m > IN_PLACE_B_ROWS || (n + TILE_COLS - 1) / TILE_COLS >= wanted) {
            return TILE_COLS;
        }
        int cols = (n + wanted - 1) / wanted;
        return Math.max(NR, (cols + NR - 1) / NR * NR);
    }

    /**
     * What packing one value of A costs, in the time of one multiply-add in the micro-kernel, for
     * {@link #balancedRowsPerTile}'s estimate. A value of A is copied one float at a time (a transpose), while
     * the micro-kernel does 32 multiply-adds a cycle with AVX-512, so a packed value costs tens of
     * multiply-adds; a profile of whole products gives 20–40 (docs/kernels.md). Only the ratio to a
     * tile's multiply-adds matters, so a rough figure does.
     */
    static final int PACK_A_COST = 30;
    /** {@link #PACK_A_COST} for a value of B: copied a vector at a time, so cheaper (about 16 by the same profile). */
    static final int PACK_B_COST = 16;

    /**
     * Rows per tile when C is cut across for {@code threads} threads, chosen by estimating each
     * candidate cut's time on the busiest thread. Cutting into 2 · threads tiles "for balance" is not
     * balanced when the tiles are rounded to whole blocks: 256 rows in 4 tiles of 72, 72, 72 and 40
     * leave one thread 144 rows and the other 112, and every tile packs its own copy of B; 2 tiles of
     * 132 and 124 rows give both threads the same work, with half the packing.
     * <pre>
     *   cost(tile) = rows' · cols' + PACK_A_COST · rows' + PACK_B_COST · cols'     (per step of k)
     *   rows', cols' = rows and columns rounded up to whole micro-kernel blocks (what is computed)
     *   time(cut)   = the most loaded thread, handing tiles in order to the least loaded thread
     *                 (what the pool does: a free thread takes the next tile)
     * </pre>
     * The cut with the least time wins, the fewer tiles on a tie. Only cuts into tiles of more than
     * {@link #IN_PLACE_B_ROWS} rows, which pack B, are weighed; the last tile, what is left of the rows,
     * may be shorter, and is counted as if it packed B too, although it reads B in place when B is not
     * transposed. A cut into short tiles would read B in place throughout, whose cost the estimate does
     * not know: cheap for a small B and dear for a long, wide one (a 128 × 4608 × 512 product cut into
     * tiles of 24 rows ran slower; docs/kernels.md). So a product whose 2 tiles per thread
     * ({@link GemmTiles#rowsPerTile}) already read B in place keeps that cut; {@link #cut} calls this
     * only for the others. The cut decides who computes which block of C, never how a block is summed,
     * so results stay the same for any thread count.
     */
    int balancedRowsPerTile(int m, int n, int tileCols, int threads) {
        int colTiles = (n + tileCols - 1) / tileCols;
        int panels = (m + mr - 1) / mr;
        int bestRows = m;
        long bestTime = Long.MAX_VALUE;
        long[] load = new long[threads];
        for (int rowTiles = 1; rowTiles <= Math.min(panels, 4 * threads); rowTiles++) {
            int tileRows = ((m + rowTiles - 1) / rowTiles + mr - 1) / mr * mr;
            if (tileRows <= IN_PLACE_B_ROWS && rowTiles > 1) {
                break;                                  // shorter tiles read B in place: not modelled
            }
            java.util.Arrays.fill(load, 0L);
            for (int row0 = 0; row0 < m; row0 += tileRows) {
                int paddedRows = paddedRows(Math.min(tileRows, m - row0));
                for (int col0 = 0; col0 < n; col0 += tileCols) {
                    int paddedCols = (Math.min(tileCols, n - col0) + NR - 1) / NR * NR;
                    long cost = (long) paddedRows * paddedCols + (long) PACK_A_COST * paddedRows
                            + (long) PACK_B_COST * paddedCols;
                    handOut(load, cost);
                }
            }
            long time = busiest(load);
            if (time < bestTime) {                      // strictly less: on a tie the fewer tiles stay
                bestTime = time;
                bestRows = tileRows;
            }
        }
        return bestRows;
    }

    /**
     * Columns per strip for a product with few rows (at most {@link #IN_PLACE_B_ROWS}), cut into column
     * strips of all its rows for {@code threads} threads: {@link #balancedRowsPerTile}'s estimate, over 1
     * to 4 strips per thread. With so few rows B is read in place, or, when B is transposed, each strip
     * packs only its own columns of B, so B costs the same however C is cut; each strip packs all of A
     * again. A strip is at least one whole panel (NR columns), so with fewer panels than threads some
     * thread would get no strip: {@link #cut} then cuts the rows instead. A ResNet layer's 64 × 784 product (25 panels of 32 columns) in 4 strips of 7, 7, 7 and 4
     * panels leaves one thread 14 panels and the other 11; 2 strips of 13 and 12 even them out.
     */
    int balancedStripCols(int m, int n, int threads) {
        int rows = paddedRows(m);
        int bestCols = TILE_COLS;
        long bestTime = Long.MAX_VALUE;
        long[] load = new long[threads];
        for (int strips = threads; strips <= 4 * threads; strips++) {
            int cols = Math.min(TILE_COLS, ((n + strips - 1) / strips + NR - 1) / NR * NR);
            java.util.Arrays.fill(load, 0L);
            for (int col0 = 0; col0 < n; col0 += cols) {
                int paddedCols = (Math.min(cols, n - col0) + NR - 1) / NR * NR;
                handOut(load, (long) rows * paddedCols + (long) PACK_A_COST * rows);
            }
            long time = busiest(load);
            if (time < bestTime) {                      // strictly less: on a tie the fewer strips stay
                bestTime = time;
                bestCols = cols;
            }
        }
        return bestCols;
    }

    /** Rows computed for {@code rows} rows of C: whole mr-row panels, the last one 6 rows if they fit. */
    int paddedRows(int rows) {
        return rows / mr * mr + (rows % mr == 0 ? 0 : panelHeight(rows % mr));
    }

    /** Gives a tile to the least loaded thread, as the pool's next free thread takes the next tile. */
    private static void handOut(long[] load, long cost) {
        int leastLoaded = 0;
        for (int t = 1; t < load.length; t++) {
            if (load[t] < load[leastLoaded]) {
                leastLoaded = t;
            }
        }
        load[leastLoaded] += cost;
    }

    /** The most loaded thread's work: the estimated time of the cut. */
    private static long busiest(long[] load) {
        long time = 0;
        for (long l : load) {
            time = Math.max(time, l);
        }
        return time;
    }

    /**
     * Rows of the packed panel that holds the next {@code validRows} rows (at most mr): mr, or 6 when
     * they fit in 6, so that 4 rows left over under the 12-row block cost a 6-row micro-kernel, not a
     * 12-row one.
     */
    int panelHeight(int validRows) {
        return validRows <= MR ? MR : mr;
    }

    /** The loop nest above for one tile of C. */
    private final class SimdTiles extends GemmTiles {
        SimdTiles(int tileRows, int tileCols, boolean transA, boolean transB, int m, int n, int k,
                  float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                  float beta, float[] c, int cOffset, int ldc) {
            super(tileRows, tileCols, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                    beta, c, cOffset, ldc);
        }

        @Override
        boolean overwritesWhenBetaIsZero() {
            return true;
        }

        @Override
        void computeTile(int row0, int rows, int col0, int cols, GemmPacking.Buffers buffers) {
            float[] block = buffers.scratch(mr * NR);
            // Few rows: each packed B value would serve only a few rows, so packing B would cost about
            // as much as the products; the micro-kernel then reads B's rows where they are.
            boolean readBInPlace = !transB && rows <= IN_PLACE_B_ROWS;
            for (int p0 = 0; p0 < k; p0 += DEPTH) {
                int depth = Math.min(DEPTH, k - p0);
                // β = 0: C was not cleared (overwritesWhenBetaIsZero), so the first k-block stores its sums
                boolean overwrite = p0 == 0 && beta == 0f;
                float[] packedB = buffers.packedB(GemmPacking.packedSize(readBInPlace ? NR : cols, depth, NR));
                if (!readBInPlace) {
                    packB(transB, b, bOffset, ldb, p0, depth, col0, cols, packedB);
                }
                // One packed B block serves every row block of the strip: packing B costs 1/(2·rows)
                // of the work, so the taller the strip, the cheaper.
                for (int blockRow0 = row0; blockRow0 < row0 + rows; blockRow0 += ROW_BLOCK) {
                    int blockRows = Math.min(ROW_BLOCK, row0 + rows - blockRow0);
                    rowBlock(transA, a, aOffset, lda, null, 0, blockRow0, blockRows, p0, depth, overwrite, readBInPlace,
                            b, bOffset, ldb, packedB, col0, cols, c, cOffset, ldc, buffers, block);
                }
            }
        }
    }

    /**
     * One block of rows against one packed block of B (or B read in place): A's rows packed (unless
     * {@code prepackedA} holds them already, from {@code packedAt} on: see {@link #packWhole}), then
     * every B panel times every A panel, each block of C stored ({@code overwrite}) or added.
     */
    private void rowBlock(boolean transA, float[] a, int aOffset, int lda, float[] prepackedA, int packedAt,
                          int blockRow0, int blockRows, int p0, int depth, boolean overwrite, boolean readBInPlace,
                          float[] b, int bOffset, int ldb, float[] packedB, int col0, int cols, float[] c,
                          int cOffset, int ldc, GemmPacking.Buffers buffers, float[] block) {
        float[] packedA = prepackedA;
        int aBase = packedAt;                                // where the block's first panel starts in packedA
        if (packedA == null) {
            aBase = 0;
            packedA = buffers.packedA(GemmPacking.packedSize(blockRows, depth, mr) + PACK_SLACK);
            packA(transA, a, aOffset, lda, blockRow0, blockRows, p0, depth, packedA, 0, buffers);
        }
        // B panel outside, A panel inside: the B panel (depth × NR) stays in L1 while
        // every A panel of the row block streams past it from L2.
        for (int j = 0; j < cols; j += NR) {
            int validCols = Math.min(NR, cols - j);
            float[] panel = packedB;
            int panelIndex = j * depth;
            int panelStride = NR;
            if (readBInPlace && validCols == NR) {
                panel = b;                                   // row p of the panel is B's row p0 + p
                panelIndex = bOffset + p0 * ldb + col0 + j;
                panelStride = ldb;
            } else if (readBInPlace) {
                // the last, narrower panel: packed, so that its reads stay in bounds
                packB(false, b, bOffset, ldb, p0, depth, col0 + j, validCols, packedB);
                panelIndex = 0;
            }
            for (int i = 0; i < blockRows; i += mr) {
                int validRows = Math.min(mr, blockRows - i);
                int height = panelHeight(validRows);
                if (height == MR) {
                    microKernel6x2(depth, packedA, aBase + i * depth, panel, panelIndex, panelStride, block);
                } else {
                    microKernel12x2(depth, packedA, aBase + i * depth, panel, panelIndex, panelStride, block);
                }
                int cIndex = cOffset + (blockRow0 + i) * ldc + col0 + j;
                if (overwrite && validRows == height && validCols == NR) {
                    storeFullBlock(block, height, c, cIndex, ldc);
                } else if (overwrite) {
                    storePartialBlock(block, c, cIndex, ldc, validRows, validCols);
                } else if (validRows == height && validCols == NR) {
                    addFullBlock(block, height, c, cIndex, ldc);
                } else {
                    addPartialBlock(block, c, cIndex, ldc, validRows, validCols);
                }
            }
        }
    }

    /**
     * Per-thread buffer for {@link #packWhole}: all of op(A)'s blocks, packed, reused from call to call.
     */
    private static final ThreadLocal<float[]> WHOLE_A = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * op(A) packed whole, every k-block's and row block's panels one after the other, as
     * {@code rowBlock} would pack them; offsets[kBlock · rowBlocks + rowBlock] receives where each
     * block starts. In this thread's {@link #WHOLE_A}, valid until its next call.
     */
    float[] packWhole(boolean transA, float[] a, int aOffset, int lda, int m, int k, int[] offsets,
                      GemmPacking.Buffers buffers) {
        int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        int kBlocks = (k + DEPTH - 1) / DEPTH;
        int size = 0;
        for (int kb = 0; kb < kBlocks; kb++) {
            int depth = Math.min(DEPTH, k - kb * DEPTH);
            for (int rb = 0; rb < rowBlocks; rb++) {
                offsets[kb * rowBlocks + rb] = size;
                size += GemmPacking.packedSize(Math.min(ROW_BLOCK, m - rb * ROW_BLOCK), depth, mr);
            }
        }
        float[] panels = WHOLE_A.get();
        if (panels.length < size + PACK_SLACK) {
            panels = new float[size + PACK_SLACK];
            WHOLE_A.set(panels);
        }
        // In order of the offsets: packA may write up to PACK_SLACK floats past a block, which lands in
        // the next block's place (packed afterwards, over it) or, after the last, in the slack at the end.
        for (int kb = 0; kb < kBlocks; kb++) {
            int depth = Math.min(DEPTH, k - kb * DEPTH);
            for (int rb = 0; rb < rowBlocks; rb++) {
                int blockRows = Math.min(ROW_BLOCK, m - rb * ROW_BLOCK);
                packA(transA, a, aOffset, lda, rb * ROW_BLOCK, blockRows, kb * DEPTH, depth, panels,
                        offsets[kb * rowBlocks + rb], buffers);
            }
        }
        return panels;
    }

    /**
     * Columns of C per strip of {@link #gemmReusingA}: 8 panels with AVX-512, 16 with AVX2; the packed B
     * strip (k-block × 256 floats, 1 MB at k = 1024) stays in L2 beside the packed A.
     */
    static final int REUSE_STRIP_COLS = 256;
    /**
     * Most floats of packed A for which {@link #gemmReusingA} is chosen (2 MB, ResNet-18's 256-filter
     * weight-gradient products have 0.27 M): A is then read from L2 by every strip. A larger A read again
     * by every strip from L3 (a 512-channel layer's 4608 × 512 filters: 2.4 M) gained nothing.
     */
    static final int REUSE_A_FLOATS = 1 << 19;

    /**
     * Whether a product on one thread runs as {@link #gemmReusingA}: C wider than one strip of
     * {@link #TILE_COLS} (the loop nest of {@link #gemm} packs A again for every strip), rows enough
     * that B is packed (more than {@link #IN_PLACE_B_ROWS}), and a packed A of at most
     * {@link #REUSE_A_FLOATS}.
     */
    boolean reusesA(int m, int n, int k) {
        return n > TILE_COLS && m > IN_PLACE_B_ROWS && k > 0 && (long) paddedRows(m) * k <= REUSE_A_FLOATS;
    }

    /**
     * C = op(A) · op(B) + β·C on the calling thread, A packed once ({@link #packWhole}) and reused by
     * every strip of {@code stripCols} columns:
     * <pre>
     *   pack op(A) whole: every k-block's row blocks                   (once, not once per strip)
     *   for each strip of stripCols columns
     *     for pc in 0..k step DEPTH
     *       pack op(B)[pc.., strip cols]                                 (DEPTH × stripCols, in L2)
     *       for each row block: its packed A panels × every B panel      (as in gemm)
     * </pre>
     * {@link #gemm}'s strips are {@link #TILE_COLS} wide (1024 columns with AVX-512), so that one packed
     * A serves many columns; a packed B strip of 1024 columns is 4 MB at k = 1024, beyond L2. With A
     * packed once, the strips can be narrow ({@link #REUSE_STRIP_COLS}), so that the B strip stays in
     * L2 too, at no extra packing of A. Every element of C is summed over the same k-blocks in the same
     * order by the same micro-kernel as in {@link #gemm}, so the result is the same, bit for bit, as on
     * any number of threads.
     */
    void gemmReusingA(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                      float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc, int stripCols) {
        GemmPacking.Buffers buffers = GemmPacking.Buffers.forCurrentThread();
        int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        int[] offsets = new int[rowBlocks * ((k + DEPTH - 1) / DEPTH)];
        float[] panels = packWhole(transA, a, aOffset, lda, m, k, offsets, buffers);
        float[] block = buffers.scratch(mr * NR);
        if (beta != 0f) {
            GemmPacking.scale(m, n, beta, c, cOffset, ldc);           // as gemm's tiles: β first, then add
        }
        for (int col0 = 0; col0 < n; col0 += stripCols) {
            int cols = Math.min(stripCols, n - col0);
            for (int p0 = 0; p0 < k; p0 += DEPTH) {
                int depth = Math.min(DEPTH, k - p0);
                float[] packedB = buffers.packedB(GemmPacking.packedSize(cols, depth, NR));
                packB(transB, b, bOffset, ldb, p0, depth, col0, cols, packedB);
                for (int rb = 0; rb < rowBlocks; rb++) {
                    int blockRow0 = rb * ROW_BLOCK;
                    rowBlock(false, null, 0, 0, panels, offsets[p0 / DEPTH * rowBlocks + rb], blockRow0,
                            Math.min(ROW_BLOCK, m - blockRow0), p0, depth, p0 == 0 && beta == 0f, false,
                            b, bOffset, ldb, packedB, col0, cols, c, cOffset, ldc, buffers, block);
                }
            }
        }
    }

    /**
     * Whether a product on several threads packs B once for all of them ({@link SharedBProduct}): when C
     * is a single strip of columns ({@link #TILE_COLS} or fewer) with rows enough for every thread to
     * take several row blocks ({@link #SHARED_B_MIN_ROWS}) and work enough ({@link #SHARED_B_MIN_WORK}). Cut into tiles of rows that each pack their
     * own B, every thread would pack the whole of B; and a tile per thread leaves a thread that the
     * machine runs slower (another program on its core) the last to finish.
     */
    boolean sharesB(int m, int n, int k) {
        return n <= TILE_COLS && m >= SHARED_B_MIN_ROWS && (long) m * n * k >= SHARED_B_MIN_WORK;
    }

    /** Fewest rows of C for {@link SharedBProduct}: below this, tiles that read B in place serve better. */
    static final int SHARED_B_MIN_ROWS = 2 * IN_PLACE_B_ROWS + 1;
    /**
     * Fewest multiply-adds (2²⁴, 256³) for {@link SharedBProduct}: it hands work to the threads twice per
     * k-block, which a product of a few tens of microseconds would feel.
     */
    static final long SHARED_B_MIN_WORK = 1L << 24;

    /**
     * A product on several threads whose packed B all threads share. For each k-block, two parallel
     * loops:
     * <pre>
     *   parallel for each group of B panels:   pack op(B)[pc.., group's columns]    (into one shared block)
     *   parallel for each row block of C:       pack op(A)[block rows, pc..], then every B panel × every A panel
     * </pre>
     * The row blocks are small (about 4 per thread, whole mr-row panels), so a thread that runs faster
     * takes more of them: the threads finish together even when the machine runs one of them slower.
     * Every element of C is still summed over the same k-blocks in the same order, by the same
     * micro-kernel, so the results are those of one thread, bit for bit. The shared block lives in the
     * calling thread's buffers, which only this product uses until it returns.
     */
    private final class SharedBProduct {
        private final boolean transA;
        private final boolean transB;
        private final int m;
        private final int n;
        private final int k;
        private final float[] a;
        private final int aOffset;
        private final int lda;
        private final float[] b;
        private final int bOffset;
        private final int ldb;
        private final float beta;
        private final float[] c;
        private final int cOffset;
        private final int ldc;

        SharedBProduct(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                       float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOffset = aOffset;
            this.lda = lda;
            this.b = b;
            this.bOffset = bOffset;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOffset = cOffset;
            this.ldc = ldc;
        }

        void run() {
            int threads = Threads.get();
            int panels = (n + NR - 1) / NR;
            int panelsPerGroup = (panels + 2 * threads - 1) / (2 * threads);
            int groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
            // about 4 row blocks per thread, whole mr-row panels, at most ROW_BLOCK rows
            int blockRows = Math.min(ROW_BLOCK, ((m + 4 * threads - 1) / (4 * threads) + mr - 1) / mr * mr);
            int rowBlocks = (m + blockRows - 1) / blockRows;
            if (k == 0 || beta != 0f) {
                Threads.parallelFor(rowBlocks, t -> {
                    int row0 = t * blockRows;
                    GemmPacking.scale(Math.min(blockRows, m - row0), n, beta, c, cOffset + row0 * ldc, ldc);
                });
            }
            float[] packedB = GemmPacking.Buffers.forCurrentThread().sharedB(GemmPacking.packedSize(n, Math.min(DEPTH, k), NR));
            for (int p0 = 0; p0 < k; p0 += DEPTH) {
                int depth = Math.min(DEPTH, k - p0);
                int pc = p0;
                Threads.parallelFor(groups, g -> {
                    int col0 = g * panelsPerGroup * NR;
                    packB(transB, b, bOffset, ldb, pc, depth, col0, Math.min(panelsPerGroup * NR, n - col0),
                            packedB, col0 * depth);
                });
                boolean overwrite = p0 == 0 && beta == 0f;
                Threads.parallelFor(rowBlocks, t -> {
                    GemmPacking.Buffers buffers = GemmPacking.Buffers.forCurrentThread();
                    int row0 = t * blockRows;
                    rowBlock(transA, a, aOffset, lda, null, 0, row0, Math.min(blockRows, m - row0), pc, depth, overwrite,
                            false, b, bOffset, ldb, packedB, 0, n, c, cOffset, ldc, buffers,
                            buffers.scratch(mr * NR));
                });
            }
        }
    }

    /**
     * {@link GemmPacking#packA} into panels of mr rows (the last one 6 rows tall when its rows fit, see
     * {@link #panelHeight}). The full panels have copies written for them:
     * <ul>
     *   <li>A stored m×k, with 16-lane vectors (the 12-row kernel): by gathers that each fill one whole
     *       vector of the panel ({@link #packPanelByGathers});</li>
     *   <li>A stored m×k, with narrower vectors (the 6-row kernel): six rows at a time: each step p reads
     *       one value from each of 6 rows and writes 6 in a row, with no inner loop (a loop of 6 costs
     *       the JIT more than its work);</li>
     *   <li>A stored k×m (transposed): step p of a panel is already a contiguous run of A's row p, so it
     *       is copied a whole vector at a time ({@link #packTransposedPanel}).</li>
     * </ul>
     * {@code dst} needs {@link #PACK_SLACK} floats beyond the packed block.
     */
    void packA(boolean transA, float[] a, int aOffset, int lda, int row0, int rows, int p0, int depth,
               float[] dst, int dstOffset, GemmPacking.Buffers buffers) {
        int[] gatherMap = !transA && gathersA ? buffers.gatherMap(mr, MR, LANES, lda) : null;
        for (int panel = 0; panel < rows; panel += mr) {
            int validRows = Math.min(mr, rows - panel);
            int height = panelHeight(validRows);
            int out = dstOffset + panel * depth;
            if (transA && validRows == height) {
                packTransposedPanel(a, aOffset + p0 * lda + row0 + panel, lda, depth, dst, out, height);
            } else if (!transA && validRows == height && gathersA) {
                packPanelByGathers(a, aOffset + (row0 + panel) * lda + p0, lda, depth, dst, out, height,
                        gatherMap, height == mr ? 0 : mr * LANES);
            } else if (!transA && validRows == height) {
                for (int r = 0; r < height; r += MR) {
                    packSixRows(a, aOffset + (row0 + panel + r) * lda + p0, lda, depth, dst, out + r, height);
                }
            } else {
                // A stored k×m, or the last, shorter panel (its rows, then zeros): the general packing.
                GemmPacking.packA(transA, a, aOffset, lda, row0 + panel, validRows, p0, depth, height, dst, out);
            }
        }
    }

    /**
     * One full panel of a transposed A: step p is A[p0 + p][i .. i + height), contiguous in A and in the
     * panel. It is copied a vector at a time, and a vector longer than the panel is tall (16 lanes for
     * 12 rows) simply runs over into the next step's place, which the next copy overwrites: the steps
     * go in order, the panels too, and the last one's overrun lands in the {@link #PACK_SLACK} floats
     * past the block. A vector copy instead of one float at a time; where a vector would read past the
     * end of {@code a} the step is copied by floats.
     */
    private static void packTransposedPanel(float[] a, int src, int lda, int depth, float[] dst, int out, int height) {
        int lastVectorStart = a.length - LANES;
        for (int p = 0; p < depth; p++, src += lda, out += height) {
            for (int r = 0; r < height; r += LANES) {
                if (src + r <= lastVectorStart) {
                    FloatVector.fromArray(SPECIES, a, src + r).intoArray(dst, out + r);
                } else {
                    for (int q = r; q < height; q++) {
                        dst[out + q] = a[src + q];
                    }
                }
            }
        }
    }

    /**
     * One full panel of A stored m×k ({@code height} rows from {@code first}, lda apart) by gathers.
     * Packing is a transpose: a panel step holds one value from each row. Copied one float at a time
     * that is a load and a store per value. But LANES steps of the panel are {@code height} whole
     * vectors in a row, and lane l of the t-th of them holds a fixed place of the source:
     * <pre>
     *   f = t·LANES + l          (the place in these LANES steps of the panel)
     *   packed[p·height + f] = A[first + (f mod height)·lda + p + f / height]        p a multiple of LANES
     * </pre>
     * so one gather with the index map {@code map[f] = (f mod height)·lda + f / height} loads each of
     * those vectors, and it is stored whole. The steps after the last multiple of LANES are copied
     * float by float. The map depends only on height, lda and LANES and is made once per product
     * ({@link GemmPacking.Buffers#gatherMap}); {@code mapOffset} picks the map for this height.
     * One gather and one store replace LANES single copies; with 16 lanes (AVX-512) that pays, with 8 (AVX2) it did not
     * beat {@link #packSixRows} (figures in docs/kernels.md), so only the 12-row kernel, which
     * {@link #INSTANCE} is with 16 lanes, uses it ({@link #gathersA}).
     */
    private static void packPanelByGathers(float[] a, int first, int lda, int depth, float[] dst, int out,
                                           int height, int[] map, int mapOffset) {
        int fullSteps = depth - depth % LANES;
        for (int p = 0; p < fullSteps; p += LANES) {
            int step = out + p * height;
            for (int t = 0; t < height; t++) {
                FloatVector.fromArray(SPECIES, a, first + p, map, mapOffset + t * LANES)
                        .intoArray(dst, step + t * LANES);
            }
        }
        for (int p = fullSteps; p < depth; p++) {
            for (int r = 0; r < height; r++) {
                dst[out + p * height + r] = a[first + r * lda + p];
            }
        }
    }

    /** Rows first .. first+5·lda of A (depth values each) into dst[out + p·stride + 0..5]. */
    private static void packSixRows(float[] a, int first, int lda, int depth, float[] dst, int out, int stride) {
        int r0 = first;
        int r1 = r0 + lda;
        int r2 = r1 + lda;
        int r3 = r2 + lda;
        int r4 = r3 + lda;
        int r5 = r4 + lda;
        for (int p = 0; p < depth; p++, out += stride) {
            dst[out] = a[r0 + p];
            dst[out + 1] = a[r1 + p];
            dst[out + 2] = a[r2 + p];
            dst[out + 3] = a[r3 + p];
            dst[out + 4] = a[r4 + p];
            dst[out + 5] = a[r5 + p];
        }
    }

    /**
     * {@link GemmPacking#packB}'s layout, in panels of NR columns, two vectors at a time, except that
     * for B stored k×n the narrow last panel's padding columns hold whatever follows in B rather than
     * zeros ({@link #packNarrowPanel}: they only meet columns of C that are never stored):
     * <ul>
     *   <li>B stored k×n: one row p of B is dealt out to every panel (each gets NR contiguous values);</li>
     *   <li>B stored n×k (transposed, a Linear layer's weight): step p of a panel is one value from each
     *       of NR stored rows, ldb apart, which a gather loads as one vector ({@link #packTransposedB}).</li>
     * </ul>
     */
    static void packB(boolean transB, float[] b, int bOffset, int ldb, int p0, int depth, int col0, int cols,
                      float[] dst) {
        packB(transB, b, bOffset, ldb, p0, depth, col0, cols, dst, 0);
    }

    /** {@link #packB(boolean, float[], int, int, int, int, int, int, float[])} into dst from {@code dstOffset}. */
    static void packB(boolean transB, float[] b, int bOffset, int ldb, int p0, int depth, int col0, int cols,
                      float[] dst, int dstOffset) {
        if (transB) {
            packTransposedB(b, bOffset, ldb, p0, depth, col0, cols, dst, dstOffset);
            return;
        }
        int fullCols = cols - cols % NR;
        for (int p = 0; p < depth; p++) {
            int src = bOffset + (p0 + p) * ldb + col0;
            int out = dstOffset + p * NR;                       // row p of panel 0; the next panel is NR·depth on
            for (int j = 0; j < fullCols; j += NR, out += NR * depth) {
                FloatVector.fromArray(SPECIES, b, src + j).intoArray(dst, out);
                FloatVector.fromArray(SPECIES, b, src + j + LANES).intoArray(dst, out + LANES);
            }
        }
        if (fullCols < cols) {
            packNarrowPanel(b, bOffset + p0 * ldb + col0 + fullCols, ldb, depth, cols - fullCols, dst,
                    dstOffset + fullCols * depth);
        }
    }

    /**
     * Panels of op(B) = Bᵀ, B stored n×k: column j of op(B) is B's row j, contiguous along p. Step p of
     * a panel, op(B)[p][j .. j + NR), is B[j .. j + NR)[p]: NR values ldb apart, loaded by two gathers
     * (one vector of LANES rows each) and stored as two contiguous vectors. A float-by-float transpose
     * writes each value to a different place NR floats apart; the gathers write whole vectors.
     * The last, narrower panel is {@link GemmPacking#packB}'s: copied value by value, and padded with zeros.
     */
    private static void packTransposedB(float[] b, int bOffset, int ldb, int p0, int depth, int col0, int cols,
                                        float[] dst, int dstOffset) {
        int fullCols = cols - cols % NR;
        int[] rowStarts = new int[LANES];                      // the gather's lanes: LANES rows of B, ldb apart
        for (int lane = 0; lane < LANES; lane++) {
            rowStarts[lane] = lane * ldb;
        }
        for (int j = 0; j < fullCols; j += NR) {
            int firstHalf = bOffset + (col0 + j) * ldb + p0;    // B[col0 + j][p0]
            int secondHalf = firstHalf + LANES * ldb;           // B[col0 + j + LANES][p0]
            int out = dstOffset + j * depth;
            for (int p = 0; p < depth; p++, out += NR) {
                FloatVector.fromArray(SPECIES, b, firstHalf + p, rowStarts, 0).intoArray(dst, out);
                FloatVector.fromArray(SPECIES, b, secondHalf + p, rowStarts, 0).intoArray(dst, out + LANES);
            }
        }
        if (fullCols < cols) {
            GemmPacking.packB(true, b, bOffset, ldb, p0, depth, col0 + fullCols, cols - fullCols, NR,
                    dst, dstOffset + fullCols * depth);
        }
    }

    /**
     * The last B panel, {@code validCols} &lt; NR columns wide. Its padding columns only ever meet
     * columns of C that are not stored, so each row is copied as two whole vectors, the values past the
     * edge being whatever follows in B (the rest of the row, the next row). Only where that would read
     * past the end of {@code b} is a row copied value by value, and padded with zeros. (A loop choosing
     * value or zero for each of the NR places would test every value in the inner loop.)
     */
    private static void packNarrowPanel(float[] b, int src, int ldb, int depth, int validCols, float[] dst, int out) {
        int lastVectorPairStart = b.length - NR;
        for (int p = 0; p < depth; p++, src += ldb, out += NR) {
            if (src <= lastVectorPairStart) {
                FloatVector.fromArray(SPECIES, b, src).intoArray(dst, out);
                FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(dst, out + LANES);
            } else {
                for (int c = 0; c < validCols; c++) {
                    dst[out + c] = b[src + c];
                }
                for (int c = validCols; c < NR; c++) {
                    dst[out + c] = 0f;
                }
            }
        }
    }

    /**
     * The micro-kernel of the block chosen for this machine ({@link #blockRows()} rows × 2 vectors),
     * as {@link #microKernel6x2} or {@link #microKernel12x2}; {@code packedA} holds a panel of that many
     * rows. Public so that a benchmark can time the micro-kernel alone ({@code FmaPeak}); arguments are
     * not checked.
     */
    public static void microKernel(int depth, float[] packedA, int aIndex, float[] packedB, int bIndex, int bStride,
                                   float[] block) {
        if (INSTANCE.mr == 12) {
            microKernel12x2(depth, packedA, aIndex, packedB, bIndex, bStride, block);
        } else {
            microKernel6x2(depth, packedA, aIndex, packedB, bIndex, bStride, block);
        }
    }

    /** Rows of C in the micro-kernel block chosen for this machine: 12 with 32 vector registers, 6 with 16. */
    public static int blockRows() {
        return INSTANCE.mr;
    }

    /**
     * One 6 × NR block of A panel · B panel, written to {@code block} (row-major, 6 × NR).
     * <pre>
     *   block[r][·] = Σ_p  aPanel[p·6 + r] · bPanel[p·bStride + ·]      (broadcast a, 2 vector FMAs per row)
     * </pre>
     * bStride is NR for a packed panel, ldb for B read in place. The 12 accumulators are named locals so
     * the JIT keeps them in registers: with the 2 vectors of B and 1 broadcast, 15 of AVX2's 16.
     * {@code block} is a scratch array they are spilled to at the end.
     */
    static void microKernel6x2(int depth, float[] packedA, int aIndex, float[] packedB, int bIndex, int bStride,
                               float[] block) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            // One step along k: a column of the A panel times a row of the B panel (an outer product).
            // Indices are written as functions of p so the JIT can drop the bounds checks in the loop.
            int bStep = bIndex + p * bStride;
            int aStep = aIndex + p * 6;
            FloatVector b0 = FloatVector.fromArray(SPECIES, packedB, bStep);
            FloatVector b1 = FloatVector.fromArray(SPECIES, packedB, bStep + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, packedA[aStep]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, packedA[aStep + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, packedA[aStep + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, packedA[aStep + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, packedA[aStep + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, packedA[aStep + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // Spill to scratch, and let the caller add it to C: a micro-kernel with no branch but its
        // loop is compiled the same way every time (with the edge handling in here, the JIT sometimes
        // produced a much slower version, depending on which shapes it had seen first).
        c00.intoArray(block, 0);
        c01.intoArray(block, LANES);
        c10.intoArray(block, NR);
        c11.intoArray(block, NR + LANES);
        c20.intoArray(block, 2 * NR);
        c21.intoArray(block, 2 * NR + LANES);
        c30.intoArray(block, 3 * NR);
        c31.intoArray(block, 3 * NR + LANES);
        c40.intoArray(block, 4 * NR);
        c41.intoArray(block, 4 * NR + LANES);
        c50.intoArray(block, 5 * NR);
        c51.intoArray(block, 5 * NR + LANES);
    }

    /**
     * {@link #microKernel6x2} twice as tall: one 12 × NR block, 24 accumulators, with the 2 vectors of B
     * and 1 broadcast 27 of the 32 vector registers of AVX-512 (on 16 registers the JIT would spill
     * accumulators to the stack in the loop). Each B vector loaded now feeds 12 FMAs instead of 6, so
     * the loop needs half the load bandwidth per FMA.
     */
    static void microKernel12x2(int depth, float[] packedA, int aIndex, float[] packedB, int bIndex, int bStride,
                                float[] block) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES), c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES), c91 = FloatVector.zero(SPECIES);
        FloatVector c100 = FloatVector.zero(SPECIES), c101 = FloatVector.zero(SPECIES);
        FloatVector c110 = FloatVector.zero(SPECIES), c111 = FloatVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            // One step along k: a column of the A panel times a row of the B panel (an outer product).
            // Indices are written as functions of p so the JIT can drop the bounds checks in the loop.
            int bStep = bIndex + p * bStride;
            int aStep = aIndex + p * 12;
            FloatVector b0 = FloatVector.fromArray(SPECIES, packedB, bStep);
            FloatVector b1 = FloatVector.fromArray(SPECIES, packedB, bStep + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, packedA[aStep]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, packedA[aStep + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, packedA[aStep + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, packedA[aStep + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, packedA[aStep + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, packedA[aStep + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(SPECIES, packedA[aStep + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(SPECIES, packedA[aStep + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(SPECIES, packedA[aStep + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(SPECIES, packedA[aStep + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(SPECIES, packedA[aStep + 10]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(SPECIES, packedA[aStep + 11]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
        // Spill to scratch, and let the caller add it to C: a micro-kernel with no branch but its
        // loop is compiled the same way every time (with the edge handling in here, the JIT sometimes
        // produced a much slower version, depending on which shapes it had seen first).
        c00.intoArray(block, 0);
        c01.intoArray(block, LANES);
        c10.intoArray(block, NR);
        c11.intoArray(block, NR + LANES);
        c20.intoArray(block, 2 * NR);
        c21.intoArray(block, 2 * NR + LANES);
        c30.intoArray(block, 3 * NR);
        c31.intoArray(block, 3 * NR + LANES);
        c40.intoArray(block, 4 * NR);
        c41.intoArray(block, 4 * NR + LANES);
        c50.intoArray(block, 5 * NR);
        c51.intoArray(block, 5 * NR + LANES);
        c60.intoArray(block, 6 * NR);
        c61.intoArray(block, 6 * NR + LANES);
        c70.intoArray(block, 7 * NR);
        c71.intoArray(block, 7 * NR + LANES);
        c80.intoArray(block, 8 * NR);
        c81.intoArray(block, 8 * NR + LANES);
        c90.intoArray(block, 9 * NR);
        c91.intoArray(block, 9 * NR + LANES);
        c100.intoArray(block, 10 * NR);
        c101.intoArray(block, 10 * NR + LANES);
        c110.intoArray(block, 11 * NR);
        c111.intoArray(block, 11 * NR + LANES);
    }

    /** C[0..rows)[0..NR) += block (rows × NR, row-major), two vectors per row. */
    private static void addFullBlock(float[] block, int rows, float[] c, int cIndex, int ldc) {
        for (int r = 0; r < rows; r++) {
            int row = cIndex + r * ldc;
            FloatVector.fromArray(SPECIES, c, row).add(FloatVector.fromArray(SPECIES, block, r * NR))
                    .intoArray(c, row);
            FloatVector.fromArray(SPECIES, c, row + LANES).add(FloatVector.fromArray(SPECIES, block, r * NR + LANES))
                    .intoArray(c, row + LANES);
        }
    }

    /** C[0..rows)[0..NR) = block (rows × NR, row-major), two vectors per row: C is not read. */
    private static void storeFullBlock(float[] block, int rows, float[] c, int cIndex, int ldc) {
        for (int r = 0; r < rows; r++) {
            int row = cIndex + r * ldc;
            FloatVector.fromArray(SPECIES, block, r * NR).intoArray(c, row);
            FloatVector.fromArray(SPECIES, block, r * NR + LANES).intoArray(c, row + LANES);
        }
    }

    /** C[0..validRows)[0..validCols) = block (row-major, NR wide), one row copy at a time. */
    private static void storePartialBlock(float[] block, float[] c, int cIndex, int ldc, int validRows, int validCols) {
        for (int r = 0; r < validRows; r++) {
            System.arraycopy(block, r * NR, c, cIndex + r * ldc, validCols);
        }
    }

    /** C[0..validRows)[0..validCols) += block (row-major, NR wide): a scalar loop, edges are a small part of the work. */
    private static void addPartialBlock(float[] block, float[] c, int cIndex, int ldc, int validRows, int validCols) {
        for (int r = 0; r < validRows; r++) {
            int row = cIndex + r * ldc;
            for (int j = 0; j < validCols; j++) {
                c[row + j] += block[r * NR + j];
            }
        }
    }
}
