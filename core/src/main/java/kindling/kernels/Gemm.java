package kindling.kernels;

/**
 * General matrix multiply, the kernel behind every matmul, linear layer and convolution in Kindling.
 * <pre>
 *   C = op(A) · op(B) + β · C
 *   C[i][j] = Σ_p op(A)[i][p] · op(B)[p][j] + β · C[i][j]       i &lt; m, j &lt; n, p &lt; k
 *   op(A) = transA ? Aᵀ : A   (m×k)        op(B) = transB ? Bᵀ : B   (k×n)
 * </pre>
 * This facade checks the arguments and hands the work to the implementation of the current
 * {@link Kernels#mode() kernel mode}:
 * <ul>
 *   <li>{@code naive}: {@link GemmNaive}, the textbook triple loop; start reading there;</li>
 *   <li>{@code plain}: {@link GemmPlain}, plain Java with cache blocks and threads;</li>
 *   <li>{@code simd}: {@code GemmSimd}, the Vector API kernel (plain Java, with one line on stderr, when
 *       the JVM was started without {@code --add-modules jdk.incubator.vector}).</li>
 * </ul>
 * The number of threads is set with {@link Threads#set}.
 */
public final class Gemm {

    private Gemm() {
    }

    /**
     * C = op(A)·op(B) + beta·C, row-major. op(A) is m×k: A stored m×k (lda ≥ k) or, if transA, k×m
     * (lda ≥ m). op(B) is k×n: B stored k×n (ldb ≥ n) or, if transB, n×k (ldb ≥ k).
     * C is m×n with ldc ≥ n. beta == 0 means C is overwritten and never read (NaN in C does not leak);
     * k == 0 gives C = beta·C.
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is too small,
     *         or an array is too short for the matrix described by its offset and leading dimension
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOffset, int lda,
                            float[] b, int bOffset, int ldb,
                            float beta, float[] c, int cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0 but got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, a, aOffset, lda);
        checkMatrix("B", transB ? n : k, transB ? k : n, b, bOffset, ldb);
        checkMatrix("C", m, n, c, cOffset, ldc);
        kernel(Kernels.mode()).gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * Whether the Vector API kernel ({@code GemmSimd}) is the one in use.
     *
     * @deprecated the kernel mode covers every family now: use {@link Kernels#simd()}
     */
    @Deprecated
    public static boolean simdEnabled() {
        return Kernels.simd();
    }

    /** The name of the kernel the current mode runs ("naive", "plain" or "simd"), for messages and benchmarks. */
    public static String kernelName() {
        return kernel(Kernels.mode()).name();
    }

    /**
     * The kernel for a mode; package-private so tests can reach each one. {@code mode} is already the
     * effective mode ({@link Kernels#mode()} never returns SIMD without the Vector API module), and
     * only this line names GemmSimd: a JVM without the module never loads the class.
     */
    static GemmKernel kernel(KernelMode mode) {
        switch (mode) {
            case NAIVE:
                return GemmNaive.INSTANCE;
            case SIMD:
                return GemmSimd.INSTANCE;
            default:
                return GemmPlain.INSTANCE;
        }
    }

    /**
     * Checks that {@code array} holds a rows × cols row-major matrix at {@code offset} with leading
     * dimension {@code ld}, naming the matrix and the numbers in the message.
     */
    private static void checkMatrix(String name, int rows, int cols, float[] array, int offset, int ld) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its stored width) but got " + ld);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("gemm: offset of " + name + " must be >= 0 but got " + offset);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long lastIndex = offset + (long) (rows - 1) * ld + cols - 1;
        if (array.length <= lastIndex) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + ", " + cols + ") at offset " + offset
                    + " with leading dimension " + ld + " needs " + (lastIndex + 1)
                    + " floats but the array has " + array.length);
        }
    }
}
