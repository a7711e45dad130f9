package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public facade: dispatch, argument checks, EJML as an independent oracle, and thread-count independence. */
class GemmFacadeTest {

    private final int threadsBefore = Threads.get();

    @AfterEach
    void restoreThreads() {
        Threads.set(threadsBefore);
    }

    @Test
    void eachModeHasItsKernel() {
        assertTrue(Kernels.vectorModulePresent(), "surefire runs with --add-modules jdk.incubator.vector");
        assertSame(GemmNaive.INSTANCE, Gemm.kernel(KernelMode.NAIVE));
        assertSame(GemmPlain.INSTANCE, Gemm.kernel(KernelMode.PLAIN));
        assertSame(GemmSimd.INSTANCE, Gemm.kernel(KernelMode.SIMD));
    }

    @Test
    void theFacadeFollowsTheMode() {
        KernelMode before = Kernels.requestedMode();
        try {
            for (KernelMode mode : KernelMode.values()) {
                Kernels.setMode(mode);
                assertEquals(mode.toString(), Gemm.kernelName());
            }
        } finally {
            Kernels.setMode(before);
        }
    }

    @Test
    void matchesEjml() {
        int[][] shapes = {{1, 1, 1}, {33, 47, 65}, {128, 96, 300}, {5, 400, 3}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            FMatrixRMaj a = FMatrixRMaj.wrap(m, k, randomValues(m * k, 1));
            FMatrixRMaj b = FMatrixRMaj.wrap(k, n, randomValues(k * n, 2));
            FMatrixRMaj expected = new FMatrixRMaj(m, n);
            CommonOps_FDRM.mult(a, b, expected);
            float[] c = new float[m * n];
            Gemm.gemm(m, n, k, Operand.of(a.data, 0, k), Operand.of(b.data, 0, n), 0f, Operand.of(c, 0, n));
            assertArrayEquals(expected.data, c, 1e-5f * k * 4, "Gemm vs EJML for (" + m + ", " + k + ") x (" + k + ", " + n + ")");
        }
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        // Big enough for several tiles in both kernels and above both parallel thresholds.
        checkBitIdenticalForAnyThreadCount(300, 1100, 270, true);
        // Few rows and a long k: GemmSimd cuts the columns into narrower strips with 2 and 3 threads,
        // reads B in place, and sums k in more than one block.
        checkBitIdenticalForAnyThreadCount(40, 700, 1500, false);
        // Few rows and fewer column panels than threads (a Linear(784, 32) layer's forward pass at batch
        // 64): GemmSimd cuts the rows, and packs its part of the transposed B in each tile.
        checkBitIdenticalForAnyThreadCount(64, 32, 784, true);
        // Many rows, one strip of columns (at most GemmSimd.TILE_COLS with 8 lanes or 16) and work enough:
        // GemmSimd packs B once for all threads and hands out small row blocks; k in two blocks.
        assertTrue(GemmSimd.INSTANCE.sharesB(301, 500, 1100) && GemmSimd.INSTANCE.sharesB(260, 470, 150));
        checkBitIdenticalForAnyThreadCount(301, 500, 1100, false);
        checkBitIdenticalForAnyThreadCount(260, 470, 150, true);
        // The same shared B with A transposed, and with β ≠ 0 (C read before it is written).
        checkBitIdenticalForAnyThreadCount(301, 500, 1100, true, false, 0f);
        checkBitIdenticalForAnyThreadCount(260, 470, 150, false, true, 0.5f);
        checkBitIdenticalForAnyThreadCount(260, 470, 150, true, true, 1f);
    }

    @Test
    void simdRowCutIsInWholeBlocksAndSplitsC() {
        for (GemmSimd kernel : new GemmSimd[] {GemmSimd.SIXTEEN_REGISTERS, GemmSimd.THIRTY_TWO_REGISTERS}) {
            for (int threads = 2; threads <= 4; threads++) {
                for (int m : new int[] {65, 100, 128, 160, 256, 300, 512, 1000}) {
                    for (int n : new int[] {10, 400, 1100, 4608}) {
                        int tileCols = GemmSimd.TILE_COLS;
                        int rows = kernel.balancedRowsPerTile(m, n, tileCols, threads);
                        String where = kernel + ", " + threads + " threads, m = " + m + ", n = " + n + ": " + rows + " rows";
                        assertEquals(0, rows % kernel.mr, where + " is not a whole number of blocks");
                        int tiles = ((m + rows - 1) / rows) * ((n + tileCols - 1) / tileCols);
                        assertTrue(tiles <= 4 * threads * ((n + tileCols - 1) / tileCols), where + " makes too many tiles");
                        if (m > 2 * (GemmSimd.IN_PLACE_B_ROWS + kernel.mr)) {   // room for 2 tiles that pack B
                            assertTrue(tiles >= 2, where + " leaves C in one tile, for one thread");
                        }
                    }
                }
            }
        }
    }

    @Test
    void simdCutForFewRowsIsInWholePanelsAndGivesEveryThreadATileWhenCHasBlocksEnough() {
        // n = 10 and 32 are fewer NR-wide panels than threads (a Linear(784, 32) layer's forward pass at
        // batch 64 is 64 × 32): column strips alone cannot feed every thread there, so the rows must be cut.
        for (GemmSimd kernel : new GemmSimd[] {GemmSimd.SIXTEEN_REGISTERS, GemmSimd.THIRTY_TWO_REGISTERS}) {
            for (int threads = 2; threads <= 4; threads++) {
                Threads.set(threads);
                for (int m : new int[] {1, 6, 16, 40, 64}) {
                    for (int n : new int[] {10, 32, 300, 784, 1000, 2000}) {
                        int[] cut = kernel.cut(m, n, true);
                        int rows = cut[0];
                        int cols = cut[1];
                        int tiles = ((m + rows - 1) / rows) * ((n + cols - 1) / cols);
                        String where = kernel + ", " + threads + " threads, " + m + " × " + n + ": tiles of "
                                + rows + " × " + cols;
                        assertEquals(0, cols % GemmSimd.NR, where + " are not whole panels");
                        assertTrue(cols <= GemmSimd.TILE_COLS, where + " are wider than a tile");
                        assertTrue(rows >= m || rows % kernel.mr == 0, where + " are not whole row blocks");
                        int blocks = ((m + kernel.mr - 1) / kernel.mr) * ((n + GemmSimd.NR - 1) / GemmSimd.NR);
                        assertTrue(tiles >= Math.min(threads, blocks), where + ": " + tiles + " tiles leave a thread"
                                + " without work although C has " + blocks + " blocks");
                    }
                }
            }
        }
    }

    private void checkBitIdenticalForAnyThreadCount(int m, int n, int k, boolean transB) {
        checkBitIdenticalForAnyThreadCount(m, n, k, false, transB, 0f);
    }

    private void checkBitIdenticalForAnyThreadCount(int m, int n, int k, boolean transA, boolean transB, float beta) {
        assertTrue((long) m * n * k >= GemmSimd.PARALLEL_THRESHOLD,
                "(" + m + ", " + n + ", " + k + ") is below GemmSimd's parallel threshold: it would test one thread only");
        float[] a = randomValues(m * k, 3);
        float[] b = randomValues(k * n, 4);
        float[] aOperand = transA ? transposeOf(a, m, k) : a;
        float[] bOperand = transB ? transposeOf(b, k, n) : b;
        float[] c0 = randomValues(m * n, 5);
        for (GemmKernel kernel : new GemmKernel[] {GemmPlain.INSTANCE, GemmSimd.SIXTEEN_REGISTERS,
                GemmSimd.THIRTY_TWO_REGISTERS}) {
            float[] reference = null;
            for (int threads = 1; threads <= 3; threads++) {
                Threads.set(threads);
                float[] c = c0.clone();
                kernel.gemm(transA, transB, m, n, k, aOperand, 0, transA ? m : k, bOperand, 0, transB ? k : n, beta, c, 0, n);
                if (reference == null) {
                    reference = c;
                } else {
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(Float.floatToRawIntBits(reference[i]), Float.floatToRawIntBits(c[i]),
                                kernel + " with " + threads + " threads differs from 1 thread at index " + i
                                        + " for (" + m + ", " + n + ", " + k + "), transA " + transA + ", β " + beta);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadArgumentsWithTheValuesInTheMessage() {
        float[] six = new float[6];
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(-1, 2, 3, Operand.of(six, 0, 3), Operand.of(six, 0, 2), 0f, Operand.of(six, 0, 2)));
        assertTrue(negative.getMessage().contains("m=-1"), negative.getMessage());
        IllegalArgumentException leading = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(2, 2, 3, Operand.of(six, 0, 2), Operand.of(six, 0, 2), 0f, Operand.of(six, 0, 2)));
        assertTrue(leading.getMessage().contains("leading dimension of A"), leading.getMessage());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(3, 3, 3, Operand.of(six, 0, 3), Operand.of(six, 0, 3), 0f, Operand.of(six, 0, 3)));
        assertTrue(tooShort.getMessage().contains("A (3, 3)"), tooShort.getMessage());
        IllegalArgumentException transposedC = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(1, 1, 1, Operand.of(six, 0, 1), Operand.of(six, 0, 1), 0f, Operand.ofTransposed(six, 0, 1)));
        assertTrue(transposedC.getMessage().contains("C cannot be transposed"), transposedC.getMessage());
    }

    @Test
    void zeroSizesAreFine() {
        float[] c = {5f, 6f};
        Gemm.gemm(1, 2, 0, Operand.of(new float[0], 0, 1), Operand.of(new float[0], 0, 2), 2f, Operand.of(c, 0, 2));
        assertArrayEquals(new float[] {10f, 12f}, c);
        Gemm.gemm(0, 0, 4, Operand.ofTransposed(new float[0], 0, 1), Operand.ofTransposed(new float[0], 0, 4), 0f, Operand.of(new float[0], 0, 1));
    }

    private static float[] randomValues(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    private static float[] transposeOf(float[] matrix, int rows, int cols) {
        float[] transposed = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                transposed[j * rows + i] = matrix[i * cols + j];
            }
        }
        return transposed;
    }
}
