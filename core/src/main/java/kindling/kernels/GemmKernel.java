package kindling.kernels;

/**
 * One implementation of {@link Gemm#gemm}: the facade holds one of these, chosen once.
 *
 * <p>It exists so that {@link Gemm} never names {@code GemmSimd} directly in a way that would load
 * it: {@code GemmSimd} uses {@code jdk.incubator.vector}, and loading it on a JVM started without
 * {@code --add-modules jdk.incubator.vector} would fail with {@code NoClassDefFoundError}.
 * Arguments are already checked by {@link Gemm} when a kernel is called.
 */
interface GemmKernel {

    /** Same contract as {@link Gemm#gemm}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float beta, float[] c, int cOffset, int ldc);

    /** A short name for messages and benchmarks, e.g. "simd". */
    String name();
}
