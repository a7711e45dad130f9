package kindling.kernels;

/**
 * General matrix multiply, the kernel behind every matmul, linear layer and convolution in Kindling.
 * <pre>
 *   C = op(A) · op(B) + β · C
 *   C[i][j] = Σ_p op(A)[i][p] · op(B)[p][j] + β · C[i][j]       i &lt; m, j &lt; n, p &lt; k
 *   op(A) = transA ? Aᵀ : A   (m×k)        op(B) = transB ? Bᵀ : B   (k×n)
 * </pre>
 * This facade checks the arguments and hands the work to one implementation, chosen once:
 * <ul>
 *   <li>{@code GemmSimd} (Vector API) when the JVM was started with
 *       {@code --add-modules jdk.incubator.vector} and {@code -Dkindling.simd} is not {@code false};</li>
 *   <li>otherwise {@link GemmPlain} (plain Java), after one line on stderr saying how to get the fast path.</li>
 * </ul>
 * {@link GemmNaive} is the textbook version of the same contract; start reading there.
 * The number of threads is set with {@link Threads#set}.
 */
public final class Gemm {

    private Gemm() {
    }

    /** Holder idiom: the kernel is chosen (and the module looked up) on the first multiply, not at class load. */
    private static final class Chosen {
        static final GemmKernel KERNEL = choose(simdRequested(), true);
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
        Chosen.KERNEL.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * Whether the Vector API kernel ({@code GemmSimd}) is the one in use; the other kernels with a SIMD
     * path ({@link Elementwise}) follow the same choice, so one switch turns them all on or off.
     */
    public static boolean simdEnabled() {
        return Chosen.KERNEL != GemmPlain.INSTANCE;
    }

    /** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** False only when {@code -Dkindling.simd=false}. */
    static boolean simdRequested() {
        return !"false".equalsIgnoreCase(System.getProperty("kindling.simd"));
    }

    /**
     * The kernel for a JVM where SIMD is (not) wanted; package-private so tests can check both
     * choices without restarting the JVM.
     *
     * @param wantSimd        false as with {@code -Dkindling.simd=false}
     * @param explainFallback print the one-line hint on stderr when falling back to plain Java
     */
    static GemmKernel choose(boolean wantSimd, boolean explainFallback) {
        if (wantSimd && vectorModulePresent()) {
            // Only this line names GemmSimd, and it runs only when the module is there: a JVM
            // without the module never loads the class, so never sees NoClassDefFoundError.
            return GemmSimd.INSTANCE;
        }
        if (explainFallback) {
            System.err.println(wantSimd
                    ? "Kindling: using plain-Java GEMM; run java with --add-modules jdk.incubator.vector for the faster Vector API kernels."
                    : "Kindling: using plain-Java GEMM because -Dkindling.simd=false; remove it and run java with --add-modules jdk.incubator.vector for the faster Vector API kernels.");
        }
        return GemmPlain.INSTANCE;
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
