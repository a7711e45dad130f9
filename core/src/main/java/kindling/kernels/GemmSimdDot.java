package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A · Bᵀ + β · C} for a short, wide-in-k product, as dot products of rows: the
 * {@link GemmSimd} path for A (m×k) and B (n×k) both stored row-major when m or n is small and k long, the shape
 * of a small convolution's weight gradient (∂L/∂Wᵀ = col · ∂L/∂Yᵀ: taps × C_out, summed over
 * hundreds of output positions) and of a linear layer's with a small batch.
 * <pre>
 *   C[i][j] = Σ_p A[i][p] · B[j][p]          row i of A and row j of B are both contiguous in p
 *
 *   for each block of ROWS rows of A and COLS rows of B      (4 × 3 = 12 dot products at once)
 *     for p in 0..k step LANES
 *       load LANES values of each of the 7 rows, 12 vector FMAs into 12 accumulators
 *     C[block] += the lanes of each accumulator, summed in lane order  (+ the last k mod LANES one by one)
 * </pre>
 * Why not the packed micro-kernel: packing copies (m + n)·k values for m·n·k multiply-adds, so with
 * m = 6 or n = 25 the copies cost as much as the products. Here every row is read where it is,
 * contiguously, and each loaded vector feeds 3 or 4 FMAs: 12 FMAs for 7 loads, while 15 of the 16
 * AVX2 registers hold 12 accumulators and 3 rows of B.
 * <ul>
 *   <li>Edges: a block at the bottom or right edge repeats the matrix's last row of A or B instead of
 *       needing a narrower kernel; the repeated dot products are computed and not stored.</li>
 *   <li>k is cut into blocks of {@link #DEPTH} so the 7 rows of a block stay in L1; each block's
 *       sums are added to C in order of k, like the packed kernel.</li>
 *   <li>Threads split tiles of C (see {@link GemmTiles}); each element is summed in the same order
 *       on any number of threads, so results are bit-identical.</li>
 * </ul>
 */
final class GemmSimdDot extends GemmTiles {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows of A in one block. */
    static final int ROWS = 4;
    /** Rows of B (columns of C) in one block. */
    static final int COLS = 3;
    /** k-block length: 7 rows of DEPTH floats (28 KB) fit in a 32 KB L1. */
    static final int DEPTH = 1024;
    /** Floats of {@link #dotBlock}'s block: its 12 results, then the 12 accumulators' lanes. */
    static final int BLOCK_SCRATCH = ROWS * COLS * (1 + LANES);
    /** Columns of C per task; rows are cut by {@link GemmTiles#rowsPerTile}. */
    static final int TILE_COLS = 32 * COLS;

    GemmSimdDot(int tileRows, int m, int n, int k, float[] a, int aOffset, int lda,
                float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        super(tileRows, TILE_COLS, false, true, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * Whether A·Bᵀ of this shape is better done as dot products than with packed panels: when m or n
     * is at most MR, or at most 4·MR with k of 1024 or more. With a shorter k the 12 reductions of each
     * block weigh more than the packing they save (measured shapes in docs/performance.md).
     */
    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        int few = Math.min(m, n);
        return !transA && transB && k >= 4 * LANES && (few <= GemmSimd.MR || (few <= 4 * GemmSimd.MR && k >= 1024));
    }

    @Override
    void computeTile(int row0, int rows, int col0, int cols, GemmPacking.Buffers buffers) {
        float[] block = buffers.scratch(BLOCK_SCRATCH);
        int lastRow = row0 + rows - 1;
        int lastCol = col0 + cols - 1;
        for (int p0 = 0; p0 < k; p0 += DEPTH) {
            int depth = Math.min(DEPTH, k - p0);
            for (int j = col0; j < col0 + cols; j += COLS) {
                int b0 = bOffset + j * ldb + p0;
                int b1 = bOffset + Math.min(j + 1, lastCol) * ldb + p0;
                int b2 = bOffset + Math.min(j + 2, lastCol) * ldb + p0;
                for (int i = row0; i < row0 + rows; i += ROWS) {
                    int a0 = aOffset + i * lda + p0;
                    int a1 = aOffset + Math.min(i + 1, lastRow) * lda + p0;
                    int a2 = aOffset + Math.min(i + 2, lastRow) * lda + p0;
                    int a3 = aOffset + Math.min(i + 3, lastRow) * lda + p0;
                    dotBlock(depth, a, a0, a1, a2, a3, b, b0, b1, b2, block);
                    int validRows = Math.min(ROWS, row0 + rows - i);
                    int validCols = Math.min(COLS, col0 + cols - j);
                    for (int r = 0; r < validRows; r++) {
                        for (int q = 0; q < validCols; q++) {
                            c[cOffset + (i + r) * ldc + j + q] += block[r * COLS + q];
                        }
                    }
                }
            }
        }
    }

    /**
     * The 4 × 3 dot products of A's rows at a0..a3 with B's rows at b0..b2, over {@code depth} values,
     * into {@code block} (row-major 4 × 3; {@link #BLOCK_SCRATCH} floats, the rest scratch).
     */
    static void dotBlock(int depth, float[] a, int a0, int a1, int a2, int a3,
                         float[] b, int b0, int b1, int b2, float[] block) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = FloatVector.zero(SPECIES), s02 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES), s11 = FloatVector.zero(SPECIES), s12 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES), s21 = FloatVector.zero(SPECIES), s22 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES), s31 = FloatVector.zero(SPECIES), s32 = FloatVector.zero(SPECIES);
        int vectorEnd = depth - depth % LANES;
        for (int p = 0; p < vectorEnd; p += LANES) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        // Each accumulator's lanes in lane order (LaneSums: the same in every JIT tier), through the
        // scratch after the block's 12 results.
        int at = ROWS * COLS;
        s00.intoArray(block, at);
        s01.intoArray(block, at + LANES);
        s02.intoArray(block, at + 2 * LANES);
        s10.intoArray(block, at + 3 * LANES);
        s11.intoArray(block, at + 4 * LANES);
        s12.intoArray(block, at + 5 * LANES);
        s20.intoArray(block, at + 6 * LANES);
        s21.intoArray(block, at + 7 * LANES);
        s22.intoArray(block, at + 8 * LANES);
        s30.intoArray(block, at + 9 * LANES);
        s31.intoArray(block, at + 10 * LANES);
        s32.intoArray(block, at + 11 * LANES);
        for (int q = 0; q < ROWS * COLS; q++) {
            block[q] = LaneSums.inOrder(block, at + q * LANES);
        }
        // The last depth mod LANES steps, one value at a time.
        int[] aRows = {a0, a1, a2, a3};
        int[] bRows = {b0, b1, b2};
        for (int p = vectorEnd; p < depth; p++) {
            for (int r = 0; r < ROWS; r++) {
                for (int q = 0; q < COLS; q++) {
                    block[r * COLS + q] += a[aRows[r] + p] * b[bRows[q] + p];
                }
            }
        }
    }
}
