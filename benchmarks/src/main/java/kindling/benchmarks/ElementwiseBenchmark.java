package kindling.benchmarks;

import java.util.concurrent.TimeUnit;
import kindling.kernels.Threads;
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
 * The elementwise ops of a training step through Kindling's autograd ops, forward and forward+backward,
 * beside ND4J's custom ops doing the same work, forward and forward+backward (the forward op, then its
 * {@code _bp} op). Shapes are those of a LeNet or ResNet step:
 * <pre>
 *   relu      (128, 64, 28, 28)                  a ResNet block's activation
 *   sigmoid   (256, 6, 28, 28)                   LeNet's first activation
 *   add       (128, 64, 28, 28) + same shape     a ResNet block's residual sum
 *   mul       (128, 64, 28, 28) · same shape
 *   biasConv  (128, 64, 28, 28) + (64, 1, 1)     a channel bias; its backward sums ∂L/∂y over (N, H, W)
 *   biasFc    (256, 120) + (120)                 LeNet's first Linear bias; its backward sums over N
 * </pre>
 * These ops are memory-bound (one or two flops per value read), so the time is the figure to compare.
 * Kindling's forward+backward is {@code y = op(x)} then {@code y.backward(gradY)} with a fixed ∂L/∂y,
 * every input's gradient cleared after, as in a training step; it allocates its outputs and gradients.
 * ND4J writes into preallocated arrays (its best case): {@code relu} / {@code relu_bp} (cut-off 0),
 * {@code sigmoid} / {@code sigmoid_bp}, {@code add} / {@code add_bp} and {@code multiply} /
 * {@code multiply_bp} (which broadcast, and reduce the gradient of a broadcast operand, as Kindling does).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class ElementwiseBenchmark {
    static final int[] ACT = {128, 64, 28, 28};
    static final int[] SIG = {256, 6, 28, 28};
    static final int[] FC = {256, 120};

    /** Kindling's inputs and output gradients; Kindling's thread count. */
    @State(Scope.Thread)
    public static class KindlingData {
        @Param({"1", "2"})
        public int threads;
        Tensor x;
        Tensor y;
        Tensor sig;
        Tensor biasConv;
        Tensor fc;
        Tensor biasFc;
        Tensor grad;
        Tensor gradSig;
        Tensor gradFc;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            x = Tensor.randn(ACT).requiresGrad_();
            y = Tensor.randn(ACT).requiresGrad_();
            sig = Tensor.randn(SIG).requiresGrad_();
            biasConv = Tensor.randn(64, 1, 1).requiresGrad_();
            fc = Tensor.randn(FC).requiresGrad_();
            biasFc = Tensor.randn(120).requiresGrad_();
            grad = Tensor.randn(ACT);
            gradSig = Tensor.randn(SIG);
            gradFc = Tensor.randn(FC);
        }

        Tensor clearGradients(Tensor result) {
            for (Tensor t : new Tensor[] {x, y, sig, biasConv, fc, biasFc}) {
                t.setGrad(null);
            }
            return result;
        }
    }

    /** The same data as ND4J arrays, outputs and gradients preallocated; ND4J's thread count. */
    @State(Scope.Thread)
    public static class Nd4jData {
        @Param({"1", "2"})
        public int threads;
        INDArray x;
        INDArray y;
        INDArray sig;
        INDArray biasConv;
        INDArray fc;
        INDArray biasFc;
        INDArray grad;
        INDArray gradSig;
        INDArray gradFc;
        INDArray out;
        INDArray outSig;
        INDArray outFc;
        INDArray gradX;
        INDArray gradY;
        INDArray gradSigX;
        INDArray gradBiasConv;
        INDArray gradFcX;
        INDArray gradBiasFc;

        @Setup(Level.Trial)
        public void setUp() {
            Nd4jThreads.set(threads);
            Nd4j.getRandom().setSeed(42);
            x = Nd4j.randn(DataType.FLOAT, 128, 64, 28, 28);
            y = Nd4j.randn(DataType.FLOAT, 128, 64, 28, 28);
            sig = Nd4j.randn(DataType.FLOAT, 256, 6, 28, 28);
            biasConv = Nd4j.randn(DataType.FLOAT, 1, 64, 1, 1);
            fc = Nd4j.randn(DataType.FLOAT, 256, 120);
            biasFc = Nd4j.randn(DataType.FLOAT, 120);
            grad = Nd4j.randn(DataType.FLOAT, 128, 64, 28, 28);
            gradSig = Nd4j.randn(DataType.FLOAT, 256, 6, 28, 28);
            gradFc = Nd4j.randn(DataType.FLOAT, 256, 120);
            out = Nd4j.create(DataType.FLOAT, 128, 64, 28, 28);
            outSig = Nd4j.create(DataType.FLOAT, 256, 6, 28, 28);
            outFc = Nd4j.create(DataType.FLOAT, 256, 120);
            gradX = Nd4j.create(DataType.FLOAT, 128, 64, 28, 28);
            gradY = Nd4j.create(DataType.FLOAT, 128, 64, 28, 28);
            gradSigX = Nd4j.create(DataType.FLOAT, 256, 6, 28, 28);
            gradBiasConv = Nd4j.create(DataType.FLOAT, 1, 64, 1, 1);
            gradFcX = Nd4j.create(DataType.FLOAT, 256, 120);
            gradBiasFc = Nd4j.create(DataType.FLOAT, 120);
        }
    }

    static INDArray exec(String op, INDArray[] inputs, INDArray[] outputs, Double... tArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs)
                .addFloatingPointArguments(tArgs).build());
        return outputs[0];
    }

    static INDArray[] of(INDArray... arrays) {
        return arrays;
    }

    // ---------------------------------------------------------------------------------------- Kindling

    @Benchmark
    public Tensor kindlingReluForward(KindlingData s) {
        return s.x.detach().relu();
    }

    @Benchmark
    public Tensor kindlingReluForwardBackward(KindlingData s) {
        Tensor out = s.x.relu();
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingSigmoidForward(KindlingData s) {
        return s.sig.detach().sigmoid();
    }

    @Benchmark
    public Tensor kindlingSigmoidForwardBackward(KindlingData s) {
        Tensor out = s.sig.sigmoid();
        out.backward(s.gradSig);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingAddForward(KindlingData s) {
        return s.x.detach().add(s.y.detach());
    }

    @Benchmark
    public Tensor kindlingAddForwardBackward(KindlingData s) {
        Tensor out = s.x.add(s.y);
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingMulForward(KindlingData s) {
        return s.x.detach().mul(s.y.detach());
    }

    @Benchmark
    public Tensor kindlingMulForwardBackward(KindlingData s) {
        Tensor out = s.x.mul(s.y);
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingBiasConvForward(KindlingData s) {
        return s.x.detach().add(s.biasConv.detach());
    }

    @Benchmark
    public Tensor kindlingBiasConvForwardBackward(KindlingData s) {
        Tensor out = s.x.add(s.biasConv);
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingBiasFcForward(KindlingData s) {
        return s.fc.detach().add(s.biasFc.detach());
    }

    @Benchmark
    public Tensor kindlingBiasFcForwardBackward(KindlingData s) {
        Tensor out = s.fc.add(s.biasFc);
        out.backward(s.gradFc);
        return s.clearGradients(out);
    }

    // ---------------------------------------------------------------------------------------- ND4J

    @Benchmark
    public INDArray nd4jReluForward(Nd4jData s) {
        return exec("relu", of(s.x), of(s.out), 0.0);
    }

    @Benchmark
    public INDArray nd4jReluForwardBackward(Nd4jData s) {
        exec("relu", of(s.x), of(s.out), 0.0);
        return exec("relu_bp", of(s.x, s.grad), of(s.gradX), 0.0);
    }

    @Benchmark
    public INDArray nd4jSigmoidForward(Nd4jData s) {
        return exec("sigmoid", of(s.sig), of(s.outSig));
    }

    @Benchmark
    public INDArray nd4jSigmoidForwardBackward(Nd4jData s) {
        exec("sigmoid", of(s.sig), of(s.outSig));
        return exec("sigmoid_bp", of(s.sig, s.gradSig), of(s.gradSigX));
    }

    @Benchmark
    public INDArray nd4jAddForward(Nd4jData s) {
        return exec("add", of(s.x, s.y), of(s.out));
    }

    @Benchmark
    public INDArray nd4jAddForwardBackward(Nd4jData s) {
        exec("add", of(s.x, s.y), of(s.out));
        return exec("add_bp", of(s.x, s.y, s.grad), of(s.gradX, s.gradY));
    }

    @Benchmark
    public INDArray nd4jMulForward(Nd4jData s) {
        return exec("multiply", of(s.x, s.y), of(s.out));
    }

    @Benchmark
    public INDArray nd4jMulForwardBackward(Nd4jData s) {
        exec("multiply", of(s.x, s.y), of(s.out));
        return exec("multiply_bp", of(s.x, s.y, s.grad), of(s.gradX, s.gradY));
    }

    @Benchmark
    public INDArray nd4jBiasConvForward(Nd4jData s) {
        return exec("add", of(s.x, s.biasConv), of(s.out));
    }

    @Benchmark
    public INDArray nd4jBiasConvForwardBackward(Nd4jData s) {
        exec("add", of(s.x, s.biasConv), of(s.out));
        return exec("add_bp", of(s.x, s.biasConv, s.grad), of(s.gradX, s.gradBiasConv));
    }

    @Benchmark
    public INDArray nd4jBiasFcForward(Nd4jData s) {
        return exec("add", of(s.fc, s.biasFc), of(s.outFc));
    }

    @Benchmark
    public INDArray nd4jBiasFcForwardBackward(Nd4jData s) {
        exec("add", of(s.fc, s.biasFc), of(s.outFc));
        return exec("add_bp", of(s.fc, s.biasFc, s.gradFc), of(s.gradFcX, s.gradBiasFc));
    }
}
