package kindling.benchmarks;

import java.util.concurrent.TimeUnit;
import kindling.kernels.Threads;
import kindling.nn.functional.Normalization;
import kindling.nn.functional.Pooling;
import kindling.tensor.Tensor;
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
 * Max pooling, average pooling and batch norm (training mode) through Kindling's autograd ops and
 * ND4J's native ops, forward and forward+backward. These layers are memory-bound (a few flops per
 * value read), so the figure to look at is the time, compared to the convolution beside them in the
 * same network:
 * <pre>
 *   maxpool   (32, 64, 28, 28), k=3, s=2, p=1   → (32, 64, 14, 14)   ResNet's stem pool
 *   avgpool   (256, 6, 28, 28), k=2, s=2        → (256, 6, 14, 14)   LeNet's first pool
 *   global    (128, 128, 2, 2), adaptive to 1×1 → (128, 128, 1, 1)   ResNet.small()'s head
 *   batchnorm (32, 64, 28, 28), batch statistics over (N, H, W)      ResNet's BatchNorm2d(64)
 * </pre>
 * Kindling's forward is on a detached input (nothing recorded for a backward, as in evaluation; max
 * pooling then needs no argmax), {@code kindlingMaxPoolForwardRecorded} is max pooling's forward in a
 * training step (the argmax found and kept for backward; ND4J has no such op, its backward searches
 * again). Kindling's forward+backward is {@code y = op(x)} then {@code y.backward(gradY)} with a fixed
 * ∂L/∂y, every input's gradient cleared after, as in a training step.
 *
 * The global average pool is 16,384 planes of four values: what it measures is how the planes are
 * shared out, not the arithmetic. ND4J's peer is {@code avgpool2d} with a 2 × 2 window.
 *
 * <p>ND4J (1.0.0-M2.1), every output preallocated:
 * <ul>
 *   <li>{@code maxpool2d} and {@code avgpool2d}: input x; integer arguments k_h, k_w, s_h, s_w, p_h,
 *       p_w, d_h, d_w, same-mode (0), average divisor (0 = real elements only; no padding here, so
 *       the same as Kindling's count_include_pad), data format (0 = NCHW).</li>
 *   <li>{@code maxpool2d_bp} and {@code avgpool2d_bp}: inputs x and ∂L/∂y, output ∂L/∂x, the same
 *       integer arguments. ND4J's max pooling backward searches each window's maximum again.</li>
 *   <li>Batch norm takes the mean and variance as inputs, so its training-mode forward is {@code mean}
 *       and {@code var} (biased) over (0, 2, 3) followed by {@code batchnorm}: inputs x, mean,
 *       variance, γ, β; integer arguments apply scale (1), apply offset (1), channel axis (1);
 *       floating-point argument ε = 1e-5.</li>
 *   <li>{@code batchnorm_bp}: inputs x, mean, variance, γ, β, ∂L/∂y; outputs ∂L/∂x, ∂L/∂mean,
 *       ∂L/∂variance, ∂L/∂γ, ∂L/∂β; the same arguments. Its ∂L/∂x includes the paths through the
 *       batch mean and variance, as Kindling's does in training mode.</li>
 * </ul>
 * Checked against Kindling on (4, 8, 28, 28) and (16, 6, 28, 28) inputs: max pooling forward and
 * backward identical; average pooling within 1.2·10⁻⁷; batch norm's output and ∂L/∂x within 4.8·10⁻⁷,
 * ∂L/∂γ and ∂L/∂β within 5·10⁻⁵ (sums of 3,136 terms in float).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class PoolNormBenchmark {
    static final int[] POOL_SHAPE = {32, 64, 28, 28};
    static final int[] AVG_SHAPE = {256, 6, 28, 28};
    static final int[] GLOBAL_SHAPE = {128, 128, 2, 2};
    /** ND4J's pooling integer arguments (see the class comment). */
    static final int[] MAX_POOL_ARGS = {3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0};
    static final int[] AVG_POOL_ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0};
    /** The global pool's window is its whole 2 × 2 plane: the same arguments. */
    static final int[] GLOBAL_POOL_ARGS = AVG_POOL_ARGS;

    /** Kindling's inputs, parameters and output gradients; Kindling's thread count. */
    @State(Scope.Thread)
    public static class KindlingLayers {
        @Param({"1", "2"})
        public int threads;
        Tensor x;
        Tensor avgX;
        Tensor globalX;
        Tensor gamma;
        Tensor beta;
        Tensor runningMean;
        Tensor runningVar;
        Tensor gradMax;
        Tensor gradAvg;
        Tensor gradGlobal;
        Tensor gradNorm;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            x = Tensor.randn(POOL_SHAPE).requiresGrad_();
            avgX = Tensor.randn(AVG_SHAPE).requiresGrad_();
            globalX = Tensor.randn(GLOBAL_SHAPE).requiresGrad_();
            gamma = Tensor.rand(64).requiresGrad_();
            beta = Tensor.randn(64).requiresGrad_();
            runningMean = Tensor.zeros(64);
            runningVar = Tensor.zeros(64);
            gradMax = Tensor.randn(32, 64, 14, 14);
            gradAvg = Tensor.randn(256, 6, 14, 14);
            gradGlobal = Tensor.randn(128, 128, 1, 1);
            gradNorm = Tensor.randn(POOL_SHAPE);
        }

        void clearGradients() {
            x.setGrad(null);
            avgX.setGrad(null);
            globalX.setGrad(null);
            gamma.setGrad(null);
            beta.setGrad(null);
        }
    }

    /** The same kind of data as ND4J arrays, outputs preallocated; ND4J's thread count. */
    @State(Scope.Thread)
    public static class Nd4jLayers {
        @Param({"1", "2"})
        public int threads;
        INDArray x;
        INDArray avgX;
        INDArray globalX;
        INDArray gamma;
        INDArray beta;
        INDArray maxOut;
        INDArray avgOut;
        INDArray globalOut;
        INDArray normOut;
        INDArray gradMax;
        INDArray gradAvg;
        INDArray gradGlobal;
        INDArray gradNorm;
        INDArray maxGradIn;
        INDArray avgGradIn;
        INDArray globalGradIn;
        INDArray normGradIn;
        INDArray normGradMean;
        INDArray normGradVar;
        INDArray normGradGamma;
        INDArray normGradBeta;

        @Setup(Level.Trial)
        public void setUp() {
            Nd4jThreads.set(threads);
            Nd4j.getRandom().setSeed(42);
            x = Nd4j.randn(DataType.FLOAT, 32, 64, 28, 28);
            avgX = Nd4j.randn(DataType.FLOAT, 256, 6, 28, 28);
            globalX = Nd4j.randn(DataType.FLOAT, 128, 128, 2, 2);
            gamma = Nd4j.rand(DataType.FLOAT, 64);
            beta = Nd4j.randn(DataType.FLOAT, 64);
            maxOut = Nd4j.create(DataType.FLOAT, 32, 64, 14, 14);
            avgOut = Nd4j.create(DataType.FLOAT, 256, 6, 14, 14);
            globalOut = Nd4j.create(DataType.FLOAT, 128, 128, 1, 1);
            normOut = Nd4j.create(DataType.FLOAT, 32, 64, 28, 28);
            gradMax = Nd4j.randn(DataType.FLOAT, 32, 64, 14, 14);
            gradAvg = Nd4j.randn(DataType.FLOAT, 256, 6, 14, 14);
            gradGlobal = Nd4j.randn(DataType.FLOAT, 128, 128, 1, 1);
            gradNorm = Nd4j.randn(DataType.FLOAT, 32, 64, 28, 28);
            maxGradIn = Nd4j.create(DataType.FLOAT, 32, 64, 28, 28);
            avgGradIn = Nd4j.create(DataType.FLOAT, 256, 6, 28, 28);
            globalGradIn = Nd4j.create(DataType.FLOAT, 128, 128, 2, 2);
            normGradIn = Nd4j.create(DataType.FLOAT, 32, 64, 28, 28);
            normGradMean = Nd4j.create(DataType.FLOAT, 64);
            normGradVar = Nd4j.create(DataType.FLOAT, 64);
            normGradGamma = Nd4j.create(DataType.FLOAT, 64);
            normGradBeta = Nd4j.create(DataType.FLOAT, 64);
        }
    }

    @Benchmark
    public Tensor kindlingMaxPoolForward(KindlingLayers s) {
        return Pooling.maxPool2d(s.x.detach(), 3, 2, 1);
    }

    /** The forward of a training step: the input needs a gradient, so the argmax is found and kept. */
    @Benchmark
    public Tensor kindlingMaxPoolForwardRecorded(KindlingLayers s) {
        return Pooling.maxPool2d(s.x, 3, 2, 1);
    }

    @Benchmark
    public Tensor kindlingMaxPoolForwardBackward(KindlingLayers s) {
        Tensor y = Pooling.maxPool2d(s.x, 3, 2, 1);
        y.backward(s.gradMax);
        s.clearGradients();
        return y;
    }

    @Benchmark
    public Tensor kindlingAvgPoolForward(KindlingLayers s) {
        return Pooling.avgPool2d(s.avgX.detach(), 2, 2, 0, true);
    }

    @Benchmark
    public Tensor kindlingAvgPoolForwardBackward(KindlingLayers s) {
        Tensor y = Pooling.avgPool2d(s.avgX, 2, 2, 0, true);
        y.backward(s.gradAvg);
        s.clearGradients();
        return y;
    }

    /** ResNet's head: AdaptiveAvgPool2d(1) over 2 × 2 planes. */
    @Benchmark
    public Tensor kindlingGlobalAvgPoolForward(KindlingLayers s) {
        return Pooling.adaptiveAvgPool2d(s.globalX.detach(), 1, 1);
    }

    @Benchmark
    public Tensor kindlingGlobalAvgPoolForwardBackward(KindlingLayers s) {
        Tensor y = Pooling.adaptiveAvgPool2d(s.globalX, 1, 1);
        y.backward(s.gradGlobal);
        s.clearGradients();
        return y;
    }

    @Benchmark
    public Tensor kindlingBatchNormForward(KindlingLayers s) {
        return Normalization.batchNorm(s.x.detach(), s.runningMean, s.runningVar, s.gamma.detach(), s.beta.detach(),
                true, 0.1, 1e-5);
    }

    @Benchmark
    public Tensor kindlingBatchNormForwardBackward(KindlingLayers s) {
        Tensor y = Normalization.batchNorm(s.x, s.runningMean, s.runningVar, s.gamma, s.beta, true, 0.1, 1e-5);
        y.backward(s.gradNorm);
        s.clearGradients();
        return y;
    }

    @Benchmark
    public INDArray nd4jMaxPoolForward(Nd4jLayers s) {
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(s.x).addOutputs(s.maxOut)
                .addIntegerArguments(MAX_POOL_ARGS).build());
        return s.maxOut;
    }

    @Benchmark
    public INDArray nd4jAvgPoolForward(Nd4jLayers s) {
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d").addInputs(s.avgX).addOutputs(s.avgOut)
                .addIntegerArguments(AVG_POOL_ARGS).build());
        return s.avgOut;
    }

    @Benchmark
    public INDArray nd4jGlobalAvgPoolForward(Nd4jLayers s) {
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d").addInputs(s.globalX).addOutputs(s.globalOut)
                .addIntegerArguments(GLOBAL_POOL_ARGS).build());
        return s.globalOut;
    }

    @Benchmark
    public INDArray nd4jGlobalAvgPoolForwardBackward(Nd4jLayers s) {
        nd4jGlobalAvgPoolForward(s);
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d_bp").addInputs(s.globalX, s.gradGlobal)
                .addOutputs(s.globalGradIn).addIntegerArguments(GLOBAL_POOL_ARGS).build());
        return s.globalGradIn;
    }

    @Benchmark
    public INDArray nd4jBatchNormForward(Nd4jLayers s) {
        INDArray mean = s.x.mean(0, 2, 3);
        INDArray variance = s.x.var(false, 0, 2, 3);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(s.x, mean, variance, s.gamma, s.beta)
                .addOutputs(s.normOut).addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build());
        return s.normOut;
    }

    @Benchmark
    public INDArray nd4jMaxPoolForwardBackward(Nd4jLayers s) {
        nd4jMaxPoolForward(s);
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(s.x, s.gradMax).addOutputs(s.maxGradIn)
                .addIntegerArguments(MAX_POOL_ARGS).build());
        return s.maxGradIn;
    }

    @Benchmark
    public INDArray nd4jAvgPoolForwardBackward(Nd4jLayers s) {
        nd4jAvgPoolForward(s);
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d_bp").addInputs(s.avgX, s.gradAvg).addOutputs(s.avgGradIn)
                .addIntegerArguments(AVG_POOL_ARGS).build());
        return s.avgGradIn;
    }

    @Benchmark
    public INDArray nd4jBatchNormForwardBackward(Nd4jLayers s) {
        INDArray mean = s.x.mean(0, 2, 3);
        INDArray variance = s.x.var(false, 0, 2, 3);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(s.x, mean, variance, s.gamma, s.beta)
                .addOutputs(s.normOut).addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(s.x, mean, variance, s.gamma, s.beta, s.gradNorm)
                .addOutputs(s.normGradIn, s.normGradMean, s.normGradVar, s.normGradGamma, s.normGradBeta)
                .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build());
        return s.normGradIn;
    }
}
