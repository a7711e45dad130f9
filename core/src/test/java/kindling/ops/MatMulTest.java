package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MatMulTest {
    private static final Generator RNG = new Generator(7);

    private static Tensor leaf(int... shape) {
        return Tensor.randn(RNG, shape).requiresGrad_();
    }

    private static void assertGradCheck(Tensor a, Tensor b) {
        GradCheck.Result result = GradCheck.check(in -> in[0].matmul(in[1]), a, b);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void gradCheckInEveryShapeCase() {
        assertGradCheck(leaf(4), leaf(4));                       // dot
        assertGradCheck(leaf(2, 3), leaf(3, 5));                 // matrix · matrix
        assertGradCheck(leaf(3), leaf(3, 4));                    // vector · matrix
        assertGradCheck(leaf(4, 3), leaf(3));                    // matrix · vector
        assertGradCheck(leaf(2, 1, 3, 4), leaf(5, 4, 6));        // broadcast batch dims
        assertGradCheck(leaf(2, 3, 4), leaf(4, 5));              // batch · shared matrix
        assertGradCheck(leaf(3, 4), leaf(2, 4, 5));              // shared matrix · batch
        assertGradCheck(leaf(2, 3, 4), leaf(4));                 // batch · vector
        assertGradCheck(leaf(4), leaf(2, 4, 3));                 // vector · batch
        assertGradCheck(leaf(3, 1, 2, 3), leaf(1, 2, 3, 2));     // both broadcast
    }

    @Test
    void gradCheckSquareMatrixTimesItself() {
        Tensor x = leaf(3, 3);
        GradCheck.Result result = GradCheck.check(in -> in[0].matmul(in[0]), x);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void gradCheckThroughTransposedAndSlicedViews() {
        Tensor a = leaf(4, 3);
        Tensor b = leaf(4, 7);
        GradCheck.Result result = GradCheck.check(in -> in[0].t().matmul(in[1].narrow(1, 2, 4)), a, b);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shapesFollowTorchMatmul() {
        assertArrayEquals(new int[0], Tensor.ones(4).matmul(Tensor.ones(4)).shape());
        assertArrayEquals(new int[] {4}, Tensor.ones(3).matmul(Tensor.ones(3, 4)).shape());
        assertArrayEquals(new int[] {4}, Tensor.ones(4, 3).matmul(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {2, 5, 3, 6}, Tensor.ones(2, 1, 3, 4).matmul(Tensor.ones(5, 4, 6)).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.ones(2, 3, 4).matmul(Tensor.ones(4)).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.ones(4).matmul(Tensor.ones(2, 4, 3)).shape());
    }

    @Test
    void dotProductIsExact() {
        Tensor dot = Tensor.of(new float[] {1, 2, 3}).matmul(Tensor.of(new float[] {4, 5, 6}));
        assertEquals(32f, dot.item());
    }

    /** Textbook C[i][j] = Σ_p A[i][p] · B[p][j], read element by element through get(). */
    private static float[] naive(Tensor a, Tensor b) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a.get(i, p) * b.get(p, j);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** The same (rows, cols) values laid out five ways: contiguous, transposed, column slice, strided, expanded. */
    private static Tensor[] layouts(int rows, int cols) {
        Tensor base = Tensor.randn(RNG, rows, cols);
        if (rows == 0 || cols == 0) {
            // No slices of an empty tensor: SliceOp refuses narrow(dim, start > 0, ...) when another dim is 0.
            return new Tensor[] {
                base, Tensor.randn(RNG, cols, rows).t(), Tensor.randn(RNG, 1, cols).expand(rows, cols),
            };
        }
        return new Tensor[] {
            base,
            Tensor.randn(RNG, cols, rows).t(),
            Tensor.randn(RNG, rows, cols + 3).narrow(1, 2, cols),
            Tensor.randn(RNG, 2 * rows, 2 * cols + 1).slice(0, 0, 2 * rows, 2).slice(1, 1, 2 * cols + 1, 2),
            Tensor.randn(RNG, 1, cols).expand(rows, cols),
        };
    }

    @Test
    void everyLayoutAndSmallSizeMatchesTheNaiveProduct() {
        int[] sizes = {0, 1, 2, 3, 5};
        for (int m : sizes) {
            for (int k : sizes) {
                for (int n : sizes) {
                    for (Tensor a : layouts(m, k)) {
                        for (Tensor b : layouts(k, n)) {
                            Tensor c = a.matmul(b);
                            String what = "(" + m + ", " + k + ") strides " + java.util.Arrays.toString(a.stride())
                                    + " by (" + k + ", " + n + ") strides " + java.util.Arrays.toString(b.stride());
                            assertArrayEquals(new int[] {m, n}, c.shape(), what);
                            assertArrayEquals(naive(a, b), c.toArray(), 1e-5f, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchedTransposedViewMatchesBatchByBatch() {
        Tensor a = Tensor.randn(RNG, 3, 4, 2).transpose(1, 2);      // (3, 2, 4), each matrix transposed
        Tensor b = Tensor.randn(RNG, 3, 4, 6).narrow(2, 1, 5);      // (3, 4, 5), column slices
        Tensor c = a.matmul(b);
        for (int batch = 0; batch < 3; batch++) {
            assertArrayEquals(naive(a.select(0, batch), b.select(0, batch)), c.select(0, batch).toArray(), 1e-5f);
        }
    }

    @Test
    void emptyInnerDimGivesZerosAndZeroGradients() {
        Tensor a = Tensor.zeros(2, 0).requiresGrad_();
        Tensor b = Tensor.zeros(0, 3).requiresGrad_();
        Tensor c = a.matmul(b);
        assertArrayEquals(new float[6], c.toArray());
        c.sum().backward();
        assertArrayEquals(new int[] {2, 0}, a.grad().shape());
        assertArrayEquals(new int[] {0, 3}, b.grad().shape());
    }

    @Test
    void mmMultipliesMatricesAndRefusesOtherRanks() {
        Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        assertArrayEquals(new float[] {7, 10, 15, 22}, a.mm(a).toArray());
        ShapeException error = assertThrows(ShapeException.class, () -> Tensor.ones(2, 3, 4).mm(Tensor.ones(4, 5)));
        assertEquals("mm: expects two 2-D matrices, got (2, 3, 4) and (4, 5); use matmul for vectors and batches",
                error.getMessage());
        error = assertThrows(ShapeException.class, () -> Tensor.ones(2, 3).mm(Tensor.ones(4, 5)));
        assertEquals("mm: cannot multiply (2, 3) by (4, 5): 3 != 4", error.getMessage());
    }

    @Test
    void mismatchedInnerDimsNameBothShapes() {
        ShapeException error = assertThrows(ShapeException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5)));
        assertEquals("matmul: cannot multiply (2, 3) by (4, 5): 3 != 4", error.getMessage());
        error = assertThrows(ShapeException.class, () -> Tensor.ones(3).matmul(Tensor.ones(4)));
        assertEquals("matmul: cannot multiply (3,) by (4,): 3 != 4", error.getMessage());
        error = assertThrows(ShapeException.class, () -> Tensor.ones(7, 2, 3).matmul(Tensor.ones(7, 4, 5)));
        assertEquals("matmul: cannot multiply (7, 2, 3) by (7, 4, 5): 3 != 4", error.getMessage());
    }

    @Test
    void batchDimsThatDoNotBroadcastSaySo() {
        ShapeException error = assertThrows(ShapeException.class,
                () -> Tensor.ones(2, 3, 4).matmul(Tensor.ones(5, 4, 6)));
        assertEquals("matmul: shapes (2,) and (5,) are not broadcastable at dim -1 (2 vs 5)", error.getMessage());
    }

    @Test
    void scalarOperandIsRefused() {
        ShapeException error = assertThrows(ShapeException.class, () -> Tensor.scalar(2).matmul(Tensor.ones(2)));
        assertEquals("matmul: both arguments need at least 1 dim, got () and (2,)", error.getMessage());
    }

    @Test
    void resultPrintsItsGradFn() {
        Tensor c = leaf(2, 2).matmul(leaf(2, 2));
        assertTrue(c.toString().contains("gradFn=MatMulOp"), c.toString());
    }
}
