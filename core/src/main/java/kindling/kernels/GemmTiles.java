package kindling.kernels;

/**
 * One GEMM call cut into tiles of C, the unit of parallel work shared by {@link GemmPlain} and
 * {@code GemmSimd}. A subclass says how to compute one tile; this class says which tiles there are
 * and runs them on one thread or many.
 * <pre>
 *   tile t covers C[row0 .. row0+rows) × [col0 .. col0+cols)
 *   row0 = (t / colTiles) · tileRows      col0 = (t mod colTiles) · tileCols
 * </pre>
 * Why tiles of C and not a split of k: two threads never write the same element of C, so no locks,
 * and each element's k-sum is done by one thread in one fixed order: bit-identical results for any
 * thread count.
 */
abstract class GemmTiles implements Threads.Task {
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float[] a;
    final int aOffset;
    final int lda;
    final float[] b;
    final int bOffset;
    final int ldb;
    final float beta;
    final float[] c;
    final int cOffset;
    final int ldc;
    private final int tileRows;
    private final int tileCols;
    private final int colTiles;

    GemmTiles(int tileRows, int tileCols, boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
              float beta, float[] c, int cOffset, int ldc) {
        this.tileRows = tileRows;
        this.tileCols = tileCols;
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
        this.colTiles = (n + tileCols - 1) / tileCols;
    }

    /** Whether a product of this size is worth handing to other threads (tens of µs per hand-off). */
    static boolean worthThreads(int m, int n, int k, long parallelThreshold) {
        return (long) m * n * k >= parallelThreshold && Threads.get() > 1;
    }

    /**
     * Rows per tile when tiles are column strips: all m rows, unless there are too few strips to keep
     * every thread busy, then the strips are cut across into about 2 · threads tiles.
     * The tile shape never changes any element's order of summation, only who computes it.
     */
    static int rowsPerTile(int m, int n, int tileCols, int rowMultiple, boolean parallel) {
        int colTiles = Math.max(1, (n + tileCols - 1) / tileCols);
        int rowTiles = parallel ? Math.max(1, (2 * Threads.get() + colTiles - 1) / colTiles) : 1;
        int rows = (m + rowTiles - 1) / rowTiles;
        return Math.max(rowMultiple, (rows + rowMultiple - 1) / rowMultiple * rowMultiple);
    }

    /** Computes every tile, on the calling thread or with {@link Threads}. */
    final void runAll(boolean parallel) {
        if (m == 0 || n == 0) {
            return;
        }
        int taskCount = ((m + tileRows - 1) / tileRows) * colTiles;
        if (parallel) {
            Threads.parallelFor(taskCount, this);
        } else {
            for (int t = 0; t < taskCount; t++) {
                run(t);
            }
        }
    }

    @Override
    public final void run(int taskIndex) {
        int row0 = (taskIndex / colTiles) * tileRows;
        int col0 = (taskIndex % colTiles) * tileCols;
        int rows = Math.min(tileRows, m - row0);
        int cols = Math.min(tileCols, n - col0);
        // β first, then only accumulate: β = 0 overwrites C without reading it. A tile that stores its
        // first k-block's sums instead of adding them needs no cleared C (one pass over C fewer).
        if (beta != 0f || k == 0 || !overwritesWhenBetaIsZero()) {
            GemmPacking.scale(rows, cols, beta, c, cOffset + row0 * ldc + col0, ldc);
        }
        computeTile(row0, rows, col0, cols, GemmPacking.Buffers.forCurrentThread());
    }

    /**
     * Whether {@link #computeTile}, when β = 0 and k &gt; 0, writes every element of its tile with its
     * first k-block's sums instead of adding them, so that C need not be cleared first.
     */
    boolean overwritesWhenBetaIsZero() {
        return false;
    }

    /**
     * C[row0.., col0..] += op(A)[row0.., :] · op(B)[:, col0..] for one tile, C already scaled by β (or,
     * if {@link #overwritesWhenBetaIsZero}, C = that product when β = 0, C not cleared).
     */
    abstract void computeTile(int row0, int rows, int col0, int cols, GemmPacking.Buffers buffers);
}
