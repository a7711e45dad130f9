package kindling.kernels;

/**
 * The reference GEMM: the textbook triple loop, slow and obviously right. Read this one first.
 * <pre>
 *   C = op(A) · op(B) + β · C
 *   C[i][j] = Σ_p op(A)[i][p] · op(B)[p][j] + β · C[i][j]     i &lt; m, j &lt; n, p &lt; k
 *
 *   op(A)[i][p] = transA ? A[p][i] : A[i][p]
 *   op(B)[p][j] = transB ? B[j][p] : B[p][j]
 * </pre>
 * Row-major storage with a leading dimension: element (row, col) of A is
 * {@code a[aOffset + row * lda + col]}, and likewise for B and C. The leading dimension can be larger
 * than the logical width, which lets the kernel work on a sub-matrix of a bigger array.
 *
 * <p>When β = 0, C is written without being read, so NaN or garbage in C does not leak into the result.
 * Every fast kernel ({@link GemmPlain}, {@code GemmSimd}) is tested against this one.
 */
public final class GemmNaive implements GemmKernel {

    /** Shared instance for the {@link Gemm} facade and tests. */
    static final GemmNaive INSTANCE = new GemmNaive();

    private GemmNaive() {
    }

    /** Same contract as {@link Gemm#gemm}; arguments are not checked here, see {@link Gemm}. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, int lda,
                                float[] b, int bOffset, int ldb,
                                float beta, float[] c, int cOffset, int ldc) {
        // Each row i of C ...
        for (int i = 0; i < m; i++) {
            // ... and each column j of C is one dot product of row i of op(A) with column j of op(B).
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                // Sum over the shared dimension p, in increasing order.
                for (int p = 0; p < k; p++) {
                    float aIP = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    float bPJ = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum += aIP * bPJ;
                }
                int cIndex = cOffset + i * ldc + j;
                // β = 0 must not read C: 0 · NaN would be NaN.
                c[cIndex] = beta == 0f ? sum : sum + beta * c[cIndex];
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        multiply(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public String name() {
        return "naive";
    }
}
