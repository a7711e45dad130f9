package kindling.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One switch for ND4J's thread count, the twin of Kindling's {@code Threads.set}.
 * <p>ND4J runs its work on three kinds of threads: libnd4j's own loops ({@code maxThreads}), the
 * "master" threads that split an op ({@code maxMasterThreads}), and OpenBLAS's threads for GEMM
 * ({@code blas().setMaxThreads}). All three are set so that "1 thread" really means one core.
 * Only the benchmarks touch this class, so Kindling's own forks never load ND4J's native code.
 */
final class Nd4jThreads {
    private Nd4jThreads() {
    }

    /** Sets every ND4J thread pool to {@code threads} and makes float32 the default type. */
    static void set(int threads) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
