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
 *       pack op(B)[pc.., tile cols], one array per row  (DEPTH × TILE_COLS = 128 KB: stays in L2)
 *       pack op(A)[tile rows, pc..] column-major        (so A[i][p..p+3] are 4 scalar loads)
 *       for i in tile rows
 *         rowSum = 0
 *         for p in block step 4
 *           for j in tile cols                                        ← the JIT vectorises this loop
 *             rowSum[j] += A[i][p]·B[p][j] + A[i][p+1]·B[p+1][j] + A[i][p+2]·B[p+2][j] + A[i][p+3]·B[p+3][j]
 *         C[i][tile cols] += rowSum
 * </pre>
 * <ul>
 *   <li>i-k-j, not i-j-k: the innermost loop walks rows with unit stride, the shape C2's
 *       auto-vectoriser (SuperWord) recognises. The textbook i-j-k order walks a column of B.</li>
 *   <li>The vectorised loop indexes every array from 0 ({@code rowSum[j]}, {@code b0[j]}): that is why
 *       packed B is an array per row and the row is summed into {@code rowSum} rather than into C.
 *       With a variable offset ({@code c[cIndex + j]}) the JIT of JDK 17..25 cannot prove the
 *       store does not overlap the loads and leaves the loop scalar, several times slower.</li>
 *   <li>Four steps of k per pass over the row: each rowSum element is loaded and stored once per four
 *       products instead of once per product; loads and stores, not multiplies, are the bottleneck.</li>
 *   <li>Threads split tiles of C; each C element is summed in the same order on any number of
 *       threads, so results are bit-identical. Small products run on the calling thread.</li>
 * </ul>
 * Rounding differs slightly from {@link GemmNaive}: the four products of one step are added together
 * before being added to the row sum, and each k-block is summed apart before being added to C,
 * a different (equally accurate) order of summation.
 */
public final class GemmPlain implements GemmKernel {

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
        return "plain";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        new PlainTiles(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc)
                .runAll(GemmTiles.worthThreads(m, n, k, PARALLEL_THRESHOLD));
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
            float[][] packedBRows = buffers.packedBRows(DEPTH, TILE_COLS);
            float[] rowSum = buffers.scratch(TILE_COLS);
            for (int p0 = 0; p0 < k; p0 += DEPTH) {
                int depth = Math.min(DEPTH, k - p0);
                // Packed A is column-major rows × depth: A[i][p] at p·rows + i (one panel of all rows).
                float[] packedA = buffers.packedA(rows * depth);
                GemmPacking.packA(transA, a, aOffset, lda, row0, rows, p0, depth, rows, packedA);
                packBRows(p0, depth, col0, cols, packedBRows);
                for (int i = 0; i < rows; i++) {
                    rowTimesBlock(depth, cols, packedA, i, rows, packedBRows, rowSum);
                    addToC(rowSum, cols, c, cOffset + (row0 + i) * ldc + col0);
                }
            }
        }

        /** packedBRows[p][j] = op(B)[p0 + p][col0 + j]: one array per row, see the class javadoc for why. */
        private void packBRows(int p0, int depth, int col0, int cols, float[][] packedBRows) {
            for (int p = 0; p < depth; p++) {
                float[] row = packedBRows[p];
                if (transB) {
                    // B stored n×k: column p of the stored matrix, read with stride ldb.
                    int src = bOffset + col0 * ldb + p0 + p;
                    for (int j = 0; j < cols; j++) {
                        row[j] = b[src + j * ldb];
                    }
                } else {
                    System.arraycopy(b, bOffset + (p0 + p) * ldb + col0, row, 0, cols);
                }
            }
        }
    }

    /**
     * One row of op(A) times a packed block of op(B), into a fresh row.
     * <pre>
     *   rowSum[j] = Σ_p packedA[p·aStride + aIndex] · packedBRows[p][j]      p &lt; depth, j &lt; cols
     * </pre>
     */
    static void rowTimesBlock(int depth, int cols, float[] packedA, int aIndex, int aStride,
                              float[][] packedBRows, float[] rowSum) {
        java.util.Arrays.fill(rowSum, 0, cols, 0f);
        int p = 0;
        // Four steps of k at a time: one load and store of rowSum per four multiply-adds.
        for (; p + K_UNROLL <= depth; p += K_UNROLL) {
            float a0 = packedA[p * aStride + aIndex];
            float a1 = packedA[(p + 1) * aStride + aIndex];
            float a2 = packedA[(p + 2) * aStride + aIndex];
            float a3 = packedA[(p + 3) * aStride + aIndex];
            float[] b0 = packedBRows[p];
            float[] b1 = packedBRows[p + 1];
            float[] b2 = packedBRows[p + 2];
            float[] b3 = packedBRows[p + 3];
            for (int j = 0; j < cols; j++) {
                rowSum[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        // The last depth mod 4 steps, one at a time.
        for (; p < depth; p++) {
            float aP = packedA[p * aStride + aIndex];
            float[] bP = packedBRows[p];
            for (int j = 0; j < cols; j++) {
                rowSum[j] += aP * bP[j];
            }
        }
    }

    /** C[cIndex + j] += rowSum[j] for j &lt; cols. */
    private static void addToC(float[] rowSum, int cols, float[] c, int cIndex) {
        for (int j = 0; j < cols; j++) {
            c[cIndex + j] += rowSum[j];
        }
    }
}
