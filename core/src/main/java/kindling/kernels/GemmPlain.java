package kindling.kernels;

/**
 * GEMM in plain Java (no Vector API): packed blocks, cache blocking, a k-unrolled i-k-j inner loop
 * that the JIT turns into SIMD instructions by itself, and threads over tiles of C.
 * <pre>
 *   C = op(A) · op(B) + β · C          op(A): m×k,  op(B): k×n,  C: m×n, row-major
 * </pre>
 * This is the kernel every JVM can run; {@code GemmSimd} is faster when the Vector API is available.
 *
 * <h2>Optimisation rules</h2>
 * <pre>
 *   parallel for each tile of C  (TILE_ROWS × TILE_COLS)              ← threads: tiles are independent
 *     C_tile = β · C_tile
 *     for pc in 0..k step DEPTH                                       ← k-blocks, always in this order
 *       pack op(B)[pc.., tile cols] row-major        (DEPTH × TILE_COLS: fits in L2)
 *       pack op(A)[tile rows, pc..] column-major     (so A[i][p..p+3] are 4 scalar loads)
 *       for i in tile rows
 *         for p in block step 4
 *           for j in tile cols                                        ← the JIT vectorises this loop
 *             C[i][j] += A[i][p]·B[p][j] + A[i][p+1]·B[p+1][j] + A[i][p+2]·B[p+2][j] + A[i][p+3]·B[p+3][j]
 * </pre>
 * <ul>
 *   <li>i-k-j, not i-j-k: the innermost loop walks a row of C and a row of B with unit stride, the
 *       shape C2's auto-vectoriser (SuperWord) recognises. The textbook i-j-k order walks a column of B.</li>
 *   <li>Four steps of k per pass over the C row: each C element is loaded and stored once per four
 *       products instead of once per product, since loads and stores of C, not multiplies, are the
 *       bottleneck of a plain i-k-j loop.</li>
 *   <li>Packing B makes its rows contiguous whatever transB and ldb are; the packed block is reused
 *       by every row of the tile while it sits in L2.</li>
 *   <li>Threads split tiles of C; each C element is summed in the same order on any number of
 *       threads, so results are bit-identical. Small products run on the calling thread.</li>
 * </ul>
 * Rounding differs slightly from {@link GemmNaive}: the four products of one step are added together
 * before being added to C, which is a different (equally accurate) order of summation.
 */
final class GemmPlain implements GemmKernel {

    static final GemmPlain INSTANCE = new GemmPlain();

    /** k-block length. */
    static final int DEPTH = 128;
    /** Rows of C per task. */
    static final int TILE_ROWS = 64;
    /** Columns of C per task; the packed B block DEPTH × TILE_COLS (128 KB) stays in L2. */
    static final int TILE_COLS = 256;
    /** Below this many multiply-adds (m·n·k) the product stays on the calling thread. */
    static final long PARALLEL_THRESHOLD = 1L << 20;
    /** Steps of k done per pass over a row of C. */
    private static final int K_UNROLL = 4;

    private GemmPlain() {
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        new PlainTiles(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc)
                .runAll(PARALLEL_THRESHOLD);
    }

    /** The loop nest above for one tile of C. */
    private static final class PlainTiles extends GemmTiles {
        PlainTiles(boolean transA, boolean transB, int m, int n, int k,
                   float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                   float beta, float[] c, int cOffset, int ldc) {
            super(TILE_ROWS, TILE_COLS, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                    beta, c, cOffset, ldc);
        }

        @Override
        void computeTile(int row0, int rows, int col0, int cols, GemmPacking.Buffers buffers) {
            for (int p0 = 0; p0 < k; p0 += DEPTH) {
                int depth = Math.min(DEPTH, k - p0);
                // One panel as wide as the block: packed B is row-major depth × cols, packed A is
                // column-major rows × depth (A[i][p] at p·rows + i).
                float[] packedB = buffers.packedB(cols * depth);
                float[] packedA = buffers.packedA(rows * depth);
                GemmPacking.packB(transB, b, bOffset, ldb, p0, depth, col0, cols, cols, packedB);
                GemmPacking.packA(transA, a, aOffset, lda, row0, rows, p0, depth, rows, packedA);
                for (int i = 0; i < rows; i++) {
                    addRowTimesBlock(depth, cols, packedA, i, rows, packedB, c, cOffset + (row0 + i) * ldc + col0);
                }
            }
        }
    }

    /**
     * One row of C += one row of the packed A block · the packed B block.
     * <pre>
     *   C[cIndex + j] += Σ_p packedA[p·aStride + aIndex] · packedB[p·cols + j]      p &lt; depth, j &lt; cols
     * </pre>
     */
    static void addRowTimesBlock(int depth, int cols, float[] packedA, int aIndex, int aStride,
                                 float[] packedB, float[] c, int cIndex) {
        int p = 0;
        // Four steps of k at a time: one load and store of C per four multiply-adds.
        for (; p + K_UNROLL <= depth; p += K_UNROLL) {
            float a0 = packedA[p * aStride + aIndex];
            float a1 = packedA[(p + 1) * aStride + aIndex];
            float a2 = packedA[(p + 2) * aStride + aIndex];
            float a3 = packedA[(p + 3) * aStride + aIndex];
            int b0 = p * cols;
            int b1 = b0 + cols;
            int b2 = b1 + cols;
            int b3 = b2 + cols;
            for (int j = 0; j < cols; j++) {
                c[cIndex + j] += a0 * packedB[b0 + j] + a1 * packedB[b1 + j]
                        + a2 * packedB[b2 + j] + a3 * packedB[b3 + j];
            }
        }
        // The last depth mod 4 steps, one at a time.
        for (; p < depth; p++) {
            float aP = packedA[p * aStride + aIndex];
            int bP = p * cols;
            for (int j = 0; j < cols; j++) {
                c[cIndex + j] += aP * packedB[bP + j];
            }
        }
    }
}
