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
 * every input's gradient cleared after, as in a training step; it allocates its outputs and gradients,
 * and the JVM zeroes each new array on the allocating thread before the op's pass writes it. Per
 * forward+backward call, full-size arrays: relu and sigmoid 2 (y, ∂L/∂x), add 3 (c, and ∂L/∂a and ∂L/∂b
 * copied from the fixed ∂L/∂c, which the caller keeps), mul 3 (c, ∂L/∂a and ∂L/∂b, from one pass),
 * biasConv and biasFc 2 (y, ∂L/∂x copied) and the bias's sums; a forward alone allocates its output.
 * ND4J writes into preallocated arrays (its best case, as a DL4J workspace reuses memory): {@code relu} / {@code relu_bp} (cut-off 0),
 * {@code sigmoid} / {@code sigmoid_bp}, {@code add} / {@code add_bp} and {@code multiply} /
 * {@code multiply_bp} (which broadcast, and reduce the gradient of a broadcast operand, as Kindling does).
 *
 * <p>ND4J's outputs rotate over {@link #OUTPUT_SETS} preallocated sets, one set per call. In a training
 * step every layer writes its own activation and gradient, so an output array is not in the cache when
 * an op writes it; a single output array written on every call would stay in the last-level cache
 * (one (128, 64, 28, 28) array is 25.7 MB) and time ND4J at cache speed instead of memory speed, which
 * no step sees. Kindling's outputs are new arrays on every call, so they are not in the cache either;
 * the inputs are the same arrays on every call for both.
 *
 * <p>The in-place rows time the forms a training step can use instead ({@code relu_}, {@code add_}),
 * beside ND4J doing the same in place (its output array is its input):
 * <ul>
 *   <li>{@code reluInPlaceForward}: {@code relu_} on a (128, 64, 28, 28) tensor that does not require grad
 *       (nothing recorded), ND4J's {@code relu} with x as its output. Both read and write the one array;
 *       after the first call every value is ≥ 0, which changes nothing for these branch-free loops.</li>
 *   <li>{@code addInPlaceForward}: {@code x += y}, the residual sum, on tensors that do not require grad;
 *       ND4J's {@code add} with x as its output. x grows by y on each call (no overflow in a run).</li>
 *   <li>{@code addReluForwardBackward} and {@code addReluInPlaceForwardBackward}: the tail of a residual
 *       block, {@code relu(a + b)} then backward, with a and b requiring grad. In place, the sum is a
 *       new array (a and b are leaves) and {@code relu_} writes over it; out of place, relu allocates a
 *       second one. ND4J's row does {@code add}, {@code relu}, {@code relu_bp} and {@code add_bp} into
 *       preallocated arrays.</li>
 * </ul>
 * The forward in-place rows read and write the same arrays on every call, Kindling's and ND4J's alike, so
 * whatever part of them the last-level cache holds stays there: they time the op on an array that was
 * just used, as in a step where the layer before has just written it, not at the memory speed of the
 * out-of-place rows, whose outputs are new (Kindling) or rotate (ND4J). Compare them with each other.
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
    /**
     * How many sets of ND4J output arrays the calls rotate over: four (128, 64, 28, 28) outputs, 103 MB,
     * write at memory speed on the machine the report was made on, where one written on every call ran
     * about twice as fast from the cache.
     */
    static final int OUTPUT_SETS = 4;

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
        Tensor plainX;
        Tensor plainY;
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
            plainX = Tensor.randn(ACT);
            plainY = Tensor.randn(ACT);
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

    /**
     * The same data as ND4J arrays, outputs and gradients preallocated ({@link #OUTPUT_SETS} sets of them,
     * {@link #next()} moving to the next set); ND4J's thread count.
     */
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
        private final INDArray[][] outputSets = new INDArray[OUTPUT_SETS][];
        private int turn;

        /** Makes the next set of output arrays current and returns this state. */
        Nd4jData next() {
            turn = (turn + 1) % OUTPUT_SETS;
            INDArray[] set = outputSets[turn];
            out = set[0];
            outSig = set[1];
            outFc = set[2];
            gradX = set[3];
            gradY = set[4];
            gradSigX = set[5];
            gradBiasConv = set[6];
            gradFcX = set[7];
            gradBiasFc = set[8];
            return this;
        }

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
            for (int k = 0; k < OUTPUT_SETS; k++) {
                outputSets[k] = new INDArray[] {
                    Nd4j.create(DataType.FLOAT, 128, 64, 28, 28),     // out
                    Nd4j.create(DataType.FLOAT, 256, 6, 28, 28),      // outSig
                    Nd4j.create(DataType.FLOAT, 256, 120),            // outFc
                    Nd4j.create(DataType.FLOAT, 128, 64, 28, 28),     // gradX
                    Nd4j.create(DataType.FLOAT, 128, 64, 28, 28),     // gradY
                    Nd4j.create(DataType.FLOAT, 256, 6, 28, 28),      // gradSigX
                    Nd4j.create(DataType.FLOAT, 1, 64, 1, 1),         // gradBiasConv
                    Nd4j.create(DataType.FLOAT, 256, 120),            // gradFcX
                    Nd4j.create(DataType.FLOAT, 120),                 // gradBiasFc
                };
            }
            next();
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

    @Benchmark
    public Tensor kindlingReluInPlaceForward(KindlingData s) {
        return s.plainX.relu_();
    }

    @Benchmark
    public Tensor kindlingAddInPlaceForward(KindlingData s) {
        return s.plainX.add_(s.plainY);
    }

    @Benchmark
    public Tensor kindlingAddReluForwardBackward(KindlingData s) {
        Tensor out = s.x.add(s.y).relu();
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    @Benchmark
    public Tensor kindlingAddReluInPlaceForwardBackward(KindlingData s) {
        Tensor out = s.x.add(s.y).relu_();
        out.backward(s.grad);
        return s.clearGradients(out);
    }

    // ---------------------------------------------------------------------------------------- ND4J

    @Benchmark
    public INDArray nd4jReluForward(Nd4jData s) {
        s.next();
        return exec("relu", of(s.x), of(s.out), 0.0);
    }

    @Benchmark
    public INDArray nd4jReluForwardBackward(Nd4jData s) {
        s.next();
        exec("relu", of(s.x), of(s.out), 0.0);
        return exec("relu_bp", of(s.x, s.grad), of(s.gradX), 0.0);
    }

    @Benchmark
    public INDArray nd4jSigmoidForward(Nd4jData s) {
        s.next();
        return exec("sigmoid", of(s.sig), of(s.outSig));
    }

    @Benchmark
    public INDArray nd4jSigmoidForwardBackward(Nd4jData s) {
        s.next();
        exec("sigmoid", of(s.sig), of(s.outSig));
        return exec("sigmoid_bp", of(s.sig, s.gradSig), of(s.gradSigX));
    }

    @Benchmark
    public INDArray nd4jAddForward(Nd4jData s) {
        s.next();
        return exec("add", of(s.x, s.y), of(s.out));
    }

    @Benchmark
    public INDArray nd4jAddForwardBackward(Nd4jData s) {
        s.next();
        exec("add", of(s.x, s.y), of(s.out));
        return exec("add_bp", of(s.x, s.y, s.grad), of(s.gradX, s.gradY));
    }

    @Benchmark
    public INDArray nd4jMulForward(Nd4jData s) {
        s.next();
        return exec("multiply", of(s.x, s.y), of(s.out));
    }

    @Benchmark
    public INDArray nd4jMulForwardBackward(Nd4jData s) {
        s.next();
        exec("multiply", of(s.x, s.y), of(s.out));
        return exec("multiply_bp", of(s.x, s.y, s.grad), of(s.gradX, s.gradY));
    }

    @Benchmark
    public INDArray nd4jBiasConvForward(Nd4jData s) {
        s.next();
        return exec("add", of(s.x, s.biasConv), of(s.out));
    }

    @Benchmark
    public INDArray nd4jBiasConvForwardBackward(Nd4jData s) {
        s.next();
        exec("add", of(s.x, s.biasConv), of(s.out));
        return exec("add_bp", of(s.x, s.biasConv, s.grad), of(s.gradX, s.gradBiasConv));
    }

    @Benchmark
    public INDArray nd4jBiasFcForward(Nd4jData s) {
        s.next();
        return exec("add", of(s.fc, s.biasFc), of(s.outFc));
    }

    @Benchmark
    public INDArray nd4jBiasFcForwardBackward(Nd4jData s) {
        s.next();
        exec("add", of(s.fc, s.biasFc), of(s.outFc));
        return exec("add_bp", of(s.fc, s.biasFc, s.gradFc), of(s.gradFcX, s.gradBiasFc));
    }

    @Benchmark
    public INDArray nd4jReluInPlaceForward(Nd4jData s) {
        return exec("relu", of(s.x), of(s.x), 0.0);
    }

    @Benchmark
    public INDArray nd4jAddInPlaceForward(Nd4jData s) {
        return exec("add", of(s.x, s.y), of(s.x));
    }

    @Benchmark
    public INDArray nd4jAddReluForwardBackward(Nd4jData s) {
        s.next();
        INDArray sum = exec("add", of(s.x, s.y), of(s.out));
        exec("relu", of(sum), of(s.gradY), 0.0);                  // gradY holds relu's output until add_bp
        INDArray gradSum = exec("relu_bp", of(sum, s.grad), of(s.gradX), 0.0);
        return exec("add_bp", of(s.x, s.y, gradSum), of(s.out, s.gradY));   // the sum is no longer needed
    }
}
