package kindling.kernels;

/**
 * General matrix multiply, the kernel behind every matmul, linear layer and convolution in Kindling.
 * <pre>
 *   C = op(A) · op(B) + β · C
 *   C[i][j] = Σ_p op(A)[i][p] · op(B)[p][j] + β · C[i][j]       i &lt; m, j &lt; n, p &lt; k
 *   op(A) = transA ? Aᵀ : A   (m×k)        op(B) = transB ? Bᵀ : B   (k×n)
 * </pre>
 * Each matrix is an {@link Operand}: its array, offset, leading dimension and whether it is read
 * transposed. This facade checks the arguments and hands the work to the implementation of the current
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
     * C = op(A)·op(B) + beta·C, row-major, where op(X) is X or Xᵀ as the operand says. op(A) is m×k:
     * A stored m×k ({@code lda ≥ k}) or, if transposed, k×m ({@code lda ≥ m}). op(B) is k×n: B stored k×n
     * ({@code ldb ≥ n}) or, if transposed, n×k ({@code ldb ≥ k}). C is m×n with {@code ldc ≥ n} and is
     * never transposed. beta == 0 means C is overwritten and never read (NaN in C does not leak);
     * k == 0 gives C = beta·C.
     * <pre>{@code
     *   int m = 2, n = 3, k = 4;
     *   float[] a = new float[m * k], b = new float[n * k], c = new float[m * n];
     *   // C (m, n) = A (m, k) · Bᵀ, B stored (n, k)
     *   Gemm.gemm(m, n, k, Operand.of(a, 0, k), Operand.ofTransposed(b, 0, k), 0f, Operand.of(c, 0, n));
     * }</pre>
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is too small,
     *         C is marked transposed, or an array is too short for the matrix its operand describes
     */
    public static void gemm(int m, int n, int k, Operand a, Operand b, float beta, Operand c) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0 but got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (c.transposed()) {
            throw new IllegalArgumentException("gemm: the output C cannot be transposed; swap A and B and "
                    + "transpose both instead (Cᵀ = Bᵀ·Aᵀ)");
        }
        boolean transA = a.transposed();
        boolean transB = b.transposed();
        checkMatrix("A", transA ? k : m, transA ? m : k, a.data(), a.offset(), a.ld());
        checkMatrix("B", transB ? n : k, transB ? k : n, b.data(), b.offset(), b.ld());
        checkMatrix("C", m, n, c.data(), c.offset(), c.ld());
        kernel(Kernels.mode()).gemm(transA, transB, m, n, k, a.data(), a.offset(), a.ld(),
                b.data(), b.offset(), b.ld(), beta, c.data(), c.offset(), c.ld());
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
