package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * GemmPlain and GemmSimd, called directly, against GemmNaive: every shape up to 5×5×5 (zeros
 * included), all transpose combinations, β = 0 (with NaN in C) and β = 1, tight and padded storage;
 * then larger shapes that are not multiples of any block size. GemmSimd runs with both of its register
 * blocks (6 and 12 rows), whichever this machine's vector width chose.
 */
class GemmKernelsTest {

    private static final GemmKernel[] FAST_KERNELS = {GemmPlain.INSTANCE, GemmSimd.SIXTEEN_REGISTERS,
        GemmSimd.THIRTY_TWO_REGISTERS};

    @Test
    void everySmallShapeMatchesNaive() {
        long seed = 0;
        for (int m = 0; m <= 5; m++) {
            for (int n = 0; n <= 5; n++) {
                for (int k = 0; k <= 5; k++) {
                    for (int transposes = 0; transposes < 4; transposes++) {
                        boolean transA = (transposes & 1) != 0;
                        boolean transB = (transposes & 2) != 0;
                        for (int padding : new int[] {0, 3}) {
                            checkAllKernels(new GemmTestSupport.Problem(transA, transB, m, n, k, 0f, padding, Float.NaN, seed++));
                            checkAllKernels(new GemmTestSupport.Problem(transA, transB, m, n, k, 1f, padding, null, seed++));
                        }
                    }
                }
            }
        }
    }

    @Test
    void largerShapesNotMultiplesOfTheBlocksMatchNaive() {
        int[][] shapes = {{67, 131, 259}, {1, 300, 7}, {300, 1, 300}, {13, 17, 600}, {150, 70, 1}, {200, 520, 40},
            // few rows or columns and a long k: GemmSimd's in-place B and dot-product paths, k past their blocks
            {5, 97, 2100}, {20, 100, 300}, {150, 7, 1030}, {3, 40, 300}, {20, 30, 2060}, {64, 70, 1100},
            // rows that leave 1..11 over a 12-row block (the last panel 6 or 12 rows tall), past a row block
            {16, 45, 33}, {23, 40, 17}, {29, 33, 9}, {150, 90, 70}, {157, 65, 300},
            // many rows and work enough for GemmSimd's B packed once for all threads (with β too)
            {203, 310, 300}};
        // Two threads whatever this host's core count: the shared B is a path for several threads only.
        int threadsBefore = Threads.get();
        Threads.set(2);
        try {
            assertTrue(GemmSimd.SIXTEEN_REGISTERS.sharesB(203, 310, 300) && GemmSimd.THIRTY_TWO_REGISTERS.sharesB(203, 310, 300),
                    "{203, 310, 300} must reach SharedBProduct");
            long seed = 1000;
            for (int[] shape : shapes) {
                for (int transposes = 0; transposes < 4; transposes++) {
                    boolean transA = (transposes & 1) != 0;
                    boolean transB = (transposes & 2) != 0;
                    checkAllKernels(new GemmTestSupport.Problem(transA, transB, shape[0], shape[1], shape[2], 0f, 5, Float.NaN, seed++));
                    checkAllKernels(new GemmTestSupport.Problem(transA, transB, shape[0], shape[1], shape[2], 0.5f, 2, null, seed++));
                }
            }
        } finally {
            Threads.set(threadsBefore);
        }
    }

    @Test
    void oneThreadProductsWithAPackedOnceMatchNaiveAndTwoThreads() {
        // On one thread, C wider than one strip with a small A: GemmSimd packs A once for all strips
        // (gemmReusingA), k past one k-block too; the sums must be those of the threaded tiles, bit for bit.
        int[][] shapes = {{100, 1100, 70}, {157, 2100, 1030}, {70, 1030, 300}, {65, 1500, 9}};
        int threadsBefore = Threads.get();
        try {
            long seed = 4000;
            for (int[] shape : shapes) {
                for (GemmSimd kernel : new GemmSimd[] {GemmSimd.SIXTEEN_REGISTERS, GemmSimd.THIRTY_TWO_REGISTERS}) {
                    assertTrue(kernel.reusesA(shape[0], shape[1], shape[2]), shape[0] + "x" + shape[1] + "x" + shape[2]);
                }
                for (int transposes = 0; transposes < 4; transposes++) {
                    boolean transA = (transposes & 1) != 0;
                    boolean transB = (transposes & 2) != 0;
                    for (float beta : new float[] {0f, 0.5f, 1f}) {
                        GemmTestSupport.Problem problem = new GemmTestSupport.Problem(transA, transB, shape[0], shape[1],
                                shape[2], beta, 3, beta == 0f ? Float.NaN : null, seed++);
                        Threads.set(1);
                        checkAllKernels(problem);
                        for (GemmSimd kernel : new GemmSimd[] {GemmSimd.SIXTEEN_REGISTERS, GemmSimd.THIRTY_TWO_REGISTERS}) {
                            Threads.set(1);
                            float[] one = problem.run(kernel);
                            Threads.set(2);
                            assertArrayEquals(one, problem.run(kernel), kernel + " " + shape[0] + "x" + shape[1] + "x"
                                    + shape[2] + " transA=" + transA + " transB=" + transB + " beta=" + beta);
                        }
                    }
                }
            }
        } finally {
            Threads.set(threadsBefore);
        }
    }

    @Test
    void transposedATightlyStoredInWholePanelsMatchesNaive() {
        // A stored k×m with nothing after it, and rows that fill whole 6- and 12-row panels: GemmSimd
        // copies such a panel's steps a vector at a time, and the last step's vector would read past
        // the end of the array (it must fall back to single floats there).
        long seed = 2000;
        for (int m : new int[] {6, 12, 18, 24, 36, 48}) {
            for (int k : new int[] {1, 7, 40}) {
                for (boolean transB : new boolean[] {false, true}) {
                    checkAllKernels(new GemmTestSupport.Problem(true, transB, m, 37, k, 0f, 0, Float.NaN, seed++));
                    checkAllKernels(new GemmTestSupport.Problem(true, transB, m, 70, k, 1f, 0, null, seed++));
                }
            }
        }
    }

    @Test
    void valuesBesideTheMatricesNeverReachC() {
        // Everything in the arrays outside A and B is NaN: GemmSimd's narrow last panels copy whole
        // vectors past the matrix's edge, whose values may meet only the columns of C it does not store.
        long seed = 3000;
        int[][] shapes = {{16, 45, 33}, {16, 300, 150}, {30, 10, 20}, {70, 77, 9}, {200, 40, 50}, {5, 3, 2}};
        for (int[] shape : shapes) {
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                boolean transB = (transposes & 2) != 0;
                for (int padding : new int[] {0, 7}) {
                    GemmTestSupport.Problem problem =
                            new GemmTestSupport.Problem(transA, transB, shape[0], shape[1], shape[2], 0f, padding, null, seed++);
                    poisonOutside(problem.a, problem.aOffset, problem.lda, transA ? problem.k : problem.m,
                            transA ? problem.m : problem.k);
                    poisonOutside(problem.b, problem.bOffset, problem.ldb, transB ? problem.n : problem.k,
                            transB ? problem.k : problem.n);
                    checkAllKernels(problem);
                }
            }
        }
    }

    /** Sets every element of {@code array} that is not in the rows × cols matrix at offset/ld to NaN. */
    private static void poisonOutside(float[] array, int offset, int ld, int rows, int cols) {
        for (int i = 0; i < array.length; i++) {
            int row = Math.floorDiv(i - offset, ld);
            int col = Math.floorMod(i - offset, ld);
            if (i < offset || row >= rows || col >= cols) {
                array[i] = Float.NaN;
            }
        }
    }

    @Test
    void betaScalesCWhenKIsZero() {
        for (float beta : new float[] {0f, 1f, -2.5f}) {
            checkAllKernels(new GemmTestSupport.Problem(false, false, 7, 9, 0, beta, 1, null, 7));
        }
    }

    private static void checkAllKernels(GemmTestSupport.Problem problem) {
        float[] expected = problem.run(GemmNaive.INSTANCE);
        for (GemmKernel kernel : FAST_KERNELS) {
            GemmTestSupport.assertSameC(problem, expected, problem.run(kernel), kernel.toString());
        }
    }
}
