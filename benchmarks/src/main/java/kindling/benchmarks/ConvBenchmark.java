package kindling.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import kindling.kernels.Conv2dKernels;
import kindling.kernels.ConvGeometry;
import kindling.kernels.ConvNaive;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
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
 * 2-D convolution, forward and forward+backward, with Kindling's kernels and ND4J's
 * {@code conv2d} / {@code conv2d_bp} on three layers of the course's networks:
 * <pre>
 *   lenet2    N=256, 6 → 16,  14×14, k=5              → (256, 16, 10, 10)
 *   resnet    N=32,  64 → 64, 28×28, k=3, p=1         → (32, 64, 28, 28)
 *   alexnet1  N=8,   1 → 96,  224×224, k=11, s=4, p=1 → (8, 96, 54, 54)
 *
 *   forward MACs = N · C_out · H_out · W_out · C_in · k_h · k_w
 *   GFLOP/s      = 2 · MACs / time (forward),  3 · 2 · MACs / time (forward + backward:
 *                  the same product again for ∂L/∂x and once more for ∂L/∂W; bias terms not counted)
 * </pre>
 * Kindling's {@code forwardBackward} is the work of one training step of the layer:
 * {@code Conv2dKernels.forward}, then {@code backwardInput}, {@code backwardWeight} and
 * {@code backwardBias} with a fixed ∂L/∂y. ND4J's is {@code conv2d} followed by {@code conv2d_bp},
 * which returns ∂L/∂x, ∂L/∂W and ∂L/∂b in one op, every output preallocated.
 *
 * <p>Weight layouts differ: Kindling (and PyTorch) store W as (C_out, C_in, k_h, k_w); ND4J's
 * {@code conv2d} reads weights as (k_h, k_w, C_in, C_out) by default (integer argument 10,
 * {@code wFormat = 0}). The ND4J state converts once, at setup, with {@code permute(2, 3, 1, 0)}
 * and a copy to C order, so both libraries convolve the same numbers.
 * ND4J's integer arguments, in order: k_h, k_w, s_h, s_w, p_h, p_w, d_h, d_w, same-mode (0),
 * data format (0 = NCHW), weight format (0).
 *
 * <p>Sample mode times every call, so that the report compares the median call with PyTorch's median
 * call ({@code torch_bench.py}); a mean would also count the few calls a garbage collection
 * interrupts, whose share {@code -prof gc} reports on its own.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class ConvBenchmark {

    /** The layer's sizes and random input, weight, bias and output gradient. */
    @State(Scope.Thread)
    public static class Layer {
        @Param({"lenet2", "resnet", "alexnet1"})
        public String layer;
        ConvGeometry g;
        float[] x;
        float[] w;
        float[] bias;
        float[] gradY;

        @Setup(Level.Trial)
        public void setUp() {
            g = geometry(layer);
            Random random = new Random(42);
            x = uniform(random, g.batch() * g.inChannels() * g.height() * g.width());
            w = uniform(random, g.outChannels() * g.inChannels() * g.kernelH() * g.kernelW());
            bias = uniform(random, g.outChannels());
            gradY = uniform(random, g.batch() * g.outChannels() * g.outPlane());
        }
    }

    /** The same numbers as ND4J arrays, the weight in ND4J's (k_h, k_w, C_in, C_out) layout. */
    @State(Scope.Thread)
    public static class Nd4jLayer extends Layer {
        @Param({"1", "2"})
        public int threads;
        INDArray input;
        INDArray weight;
        INDArray nd4jBias;
        INDArray output;
        INDArray gradOutput;
        INDArray gradInput;
        INDArray gradWeight;
        INDArray gradBias;
        int[] intArgs;

        @Setup(Level.Trial)
        public void setUpNd4j() {
            Nd4jThreads.set(threads);
            input = Nd4j.create(x, new long[] {g.batch(), g.inChannels(), g.height(), g.width()}, 'c');
            INDArray torchLayout = Nd4j.create(w, new long[] {g.outChannels(), g.inChannels(), g.kernelH(), g.kernelW()}, 'c');
            weight = torchLayout.permute(2, 3, 1, 0).dup('c');
            nd4jBias = Nd4j.create(bias, new long[] {g.outChannels()}, 'c');
            long[] outShape = {g.batch(), g.outChannels(), g.outHeight(), g.outWidth()};
            output = Nd4j.create(DataType.FLOAT, outShape, 'c');
            gradOutput = Nd4j.create(gradY, outShape, 'c');
            gradInput = Nd4j.create(DataType.FLOAT, input.shape(), 'c');
            gradWeight = Nd4j.create(DataType.FLOAT, weight.shape(), 'c');
            gradBias = Nd4j.create(DataType.FLOAT, nd4jBias.shape(), 'c');
            intArgs = new int[] {g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(),
                    g.dilationH(), g.dilationW(), 0, 0, 0};
        }
    }

    /** The geometry of one of the three layers. */
    static ConvGeometry geometry(String layer) {
        return switch (layer) {
            case "lenet2" -> ConvGeometry.of(256, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            case "resnet" -> ConvGeometry.of(32, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
            case "alexnet1" -> ConvGeometry.of(8, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1);
            default -> throw new IllegalArgumentException("unknown layer " + layer);
        };
    }

    static float[] uniform(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    /** The textbook seven-loop convolution, one thread: the yardstick the fast kernel is tested against. */
    @Benchmark
    public float[] kindlingNaiveForward(Layer s) {
        return ConvNaive.forward(s.x, s.w, s.bias, s.g);
    }

    @Benchmark
    public float[] kindlingForward(Layer s, KindlingThreads t) {
        return Conv2dKernels.forward(s.x, s.w, s.bias, s.g);
    }

    @Benchmark
    public float[][] kindlingForwardBackward(Layer s, KindlingThreads t) {
        float[] y = Conv2dKernels.forward(s.x, s.w, s.bias, s.g);
        float[] gradX = Conv2dKernels.backwardInput(s.gradY, s.w, s.g);
        float[] gradW = Conv2dKernels.backwardWeight(s.x, s.gradY, s.g);
        float[] gradB = Conv2dKernels.backwardBias(s.gradY, s.g);
        return new float[][] {y, gradX, gradW, gradB};
    }

    @Benchmark
    public INDArray nd4jForward(Nd4jLayer s) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(s.input, s.weight, s.nd4jBias)
                .addOutputs(s.output)
                .addIntegerArguments(s.intArgs)
                .build());
        return s.output;
    }

    @Benchmark
    public INDArray[] nd4jForwardBackward(Nd4jLayer s) {
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(s.input, s.weight, s.nd4jBias)
                .addOutputs(s.output)
                .addIntegerArguments(s.intArgs)
                .build());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(s.input, s.weight, s.nd4jBias, s.gradOutput)
                .addOutputs(s.gradInput, s.gradWeight, s.gradBias)
                .addIntegerArguments(s.intArgs)
                .build());
        return new INDArray[] {s.output, s.gradInput, s.gradWeight, s.gradBias};
    }
}
