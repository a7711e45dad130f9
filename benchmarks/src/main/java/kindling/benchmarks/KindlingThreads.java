package kindling.benchmarks;

import kindling.kernels.Kernels;
import kindling.kernels.Threads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH state shared by the GEMM and convolution benchmarks: Kindling's thread count, set once per
 * trial, and a check that the fork runs the Vector API kernels (the benchmarks measure the SIMD path).
 */
@State(Scope.Thread)
public class KindlingThreads {
    @Param({"1", "2"})
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        Threads.set(threads);
        if (!Kernels.simd()) {
            throw new IllegalStateException("the fork must run with --add-modules jdk.incubator.vector");
        }
    }
}
