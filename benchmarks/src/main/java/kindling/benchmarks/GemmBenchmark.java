package kindling.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import kindling.kernels.GemmNaive;
import kindling.kernels.GemmPlain;
import kindling.kernels.GemmSimd;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C = A · B (row-major floats, no transposes, β = 0) with Kindling's three GEMM kernels, EJML and ND4J.
 * <pre>
 *   GFLOP/s = 2 · m · n · k / (time per operation in ns)
 * </pre>
 * Shapes are written {@code m x n x k}: A is m×k, B is k×n. {@code 256x400x120} is a batch of 256
 * through a 120→400 linear layer; {@code 128x4608x512} is a convolution as im2col · weights.
 * The last three are the GEMMs {@code Conv2dKernels.forward} runs for one chunk of images
 * (C_out × images·H_out·W_out × C_in·k_h·k_w, a chunk being just enough images for 256 output
 * positions): {@code 16x300x150} LeNet's conv2 (3 images of 10×10), {@code 64x784x576} ResNet's 3×3
 * 64→64 at 28×28 (1 image), {@code 96x2916x121} AlexNet's conv1 (1 image, 11×11 stride 4).
 * Kindling's kernels run with {@code threads} threads ({@link kindling.kernels.Threads#set}); EJML's
 * {@code CommonOps_FDRM.mult} is single-threaded and {@code CommonOps_MT_FDRM.mult} uses EJML's
 * fork-join pool (all cores). ND4J ({@code Nd4j.gemm}, OpenBLAS underneath in nd4j-native 1.0.0-M2.1)
 * runs with {@code threads} threads ({@link Nd4jThreads#set}); its state is separate so that the other
 * forks never load ND4J's native library. The naive kernel runs only up to 256³: at 1024³ one call
 * takes seconds.
 *
 * <p>Run (from the repository root) with everything else by {@code benchmarks/run.sh}, or alone:
 * <pre>
 *   mvn -q -o -Pbenchmarks -pl benchmarks -am package -DskipTests -Dquick
 *   java -jar benchmarks/target/benchmarks.jar GemmBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -rf json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class GemmBenchmark {

    /** A, B and C for one shape, filled with U(−1, 1); C is overwritten by every call. */
    public abstract static class Operands {
        int m;
        int n;
        int k;
        float[] a;
        float[] b;
        float[] c;
        FMatrixRMaj ejmlA;
        FMatrixRMaj ejmlB;
        FMatrixRMaj ejmlC;

        void allocate(String shape) {
            String[] sizes = shape.split("x");
            m = Integer.parseInt(sizes[0]);
            n = Integer.parseInt(sizes[1]);
            k = Integer.parseInt(sizes[2]);
            Random random = new Random(42);
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextFloat() * 2f - 1f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextFloat() * 2f - 1f;
            }
            // EJML wraps the same arrays, so both libraries multiply the same numbers.
            ejmlA = FMatrixRMaj.wrap(m, k, a);
            ejmlB = FMatrixRMaj.wrap(k, n, b);
            ejmlC = new FMatrixRMaj(m, n);
        }
    }

    /** Every shape. */
    @State(Scope.Thread)
    public static class AllShapes extends Operands {
        @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
                "256x400x120", "128x4608x512", "16x300x150", "64x784x576", "96x2916x121"})
        public String shape;

        @Setup(Level.Trial)
        public void setUp() {
            allocate(shape);
        }
    }

    /** Every shape as ND4J arrays (C order, float32) holding the same numbers, and ND4J's thread count. */
    @State(Scope.Thread)
    public static class Nd4jOperands extends AllShapes {
        @Param({"1", "2"})
        public int threads;
        INDArray nd4jA;
        INDArray nd4jB;
        INDArray nd4jC;

        @Setup(Level.Trial)
        public void setUpNd4j() {
            Nd4jThreads.set(threads);
            nd4jA = Nd4j.create(a, new long[] {m, k}, 'c');
            nd4jB = Nd4j.create(b, new long[] {k, n}, 'c');
            nd4jC = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
        }
    }

    /** Shapes small enough for the naive triple loop. */
    @State(Scope.Thread)
    public static class SmallShapes extends Operands {
        @Param({"64x64x64", "128x128x128", "256x256x256"})
        public String shape;

        @Setup(Level.Trial)
        public void setUp() {
            allocate(shape);
        }
    }

    @Benchmark
    public float[] kindlingNaive(SmallShapes s) {
        GemmNaive.multiply(false, false, s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, 0f, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] kindlingPlain(AllShapes s, KindlingThreads t) {
        GemmPlain.multiply(false, false, s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, 0f, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] kindlingSimd(AllShapes s, KindlingThreads t) {
        GemmSimd.multiply(false, false, s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, 0f, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public FMatrixRMaj ejml(AllShapes s) {
        return CommonOps_FDRM.mult(s.ejmlA, s.ejmlB, s.ejmlC);
    }

    @Benchmark
    public FMatrixRMaj ejmlConcurrent(AllShapes s) {
        return CommonOps_MT_FDRM.mult(s.ejmlA, s.ejmlB, s.ejmlC);
    }

    /** C = 1·A·B + 0·C into the preallocated C: no allocation, as the other kernels. */
    @Benchmark
    public INDArray nd4j(Nd4jOperands s) {
        return Nd4j.gemm(s.nd4jA, s.nd4jB, s.nd4jC, false, false, 1.0, 0.0);
    }
}
