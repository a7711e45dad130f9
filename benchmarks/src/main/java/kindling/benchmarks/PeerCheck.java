package kindling.benchmarks;

import java.util.Locale;
import java.util.Random;
import kindling.kernels.Conv2dKernels;
import kindling.kernels.ConvGeometry;
import kindling.kernels.Gemm;
import kindling.kernels.Operand;
import kindling.nn.functional.Pooling;
import kindling.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks that the peers compute the same thing before their speeds are compared: one GEMM, the
 * three convolution layers of {@link ConvBenchmark} and the global average pool of
 * {@link PoolNormBenchmark}, forward and backward, through Kindling and ND4J
 * with the same inputs and the layouts and arguments the benchmarks use. Prints the largest
 * |Kindling − ND4J| relative to the largest |value| of each result as one line of JSON, and fails
 * when one exceeds 1e-4 (float32 sums of up to 25,600 terms in a different order).
 */
public final class PeerCheck {
    static final double TOLERANCE = 1e-4;

    private PeerCheck() {
    }

    public static void main(String[] args) {
        Nd4jThreads.set(1);
        StringBuilder json = new StringBuilder("{");
        double worst = 0;
        Random random = new Random(7);
        int m = 96;
        int n = 500;
        int k = 121;
        float[] a = ConvBenchmark.uniform(random, m * k);
        float[] b = ConvBenchmark.uniform(random, k * n);
        float[] c = new float[m * n];
        Gemm.gemm(m, n, k, Operand.of(a, 0, k), Operand.of(b, 0, n), 0f, Operand.of(c, 0, n));
        INDArray nd4jC = Nd4j.gemm(Nd4j.create(a, new long[] {m, k}, 'c'), Nd4j.create(b, new long[] {k, n}, 'c'),
                false, false);
        worst = Math.max(worst, append(json, "gemm 96x500x121", c, nd4jC));
        for (String layer : new String[] {"lenet2", "resnet", "alexnet1"}) {
            ConvBenchmark.Nd4jLayer s = new ConvBenchmark.Nd4jLayer();
            s.layer = layer;
            s.threads = 1;
            s.setUp();
            s.setUpNd4j();
            ConvGeometry g = s.g;
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(s.input, s.weight, s.nd4jBias)
                    .addOutputs(s.output).addIntegerArguments(s.intArgs).build());
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(s.input, s.weight, s.nd4jBias, s.gradOutput)
                    .addOutputs(s.gradInput, s.gradWeight, s.gradBias).addIntegerArguments(s.intArgs).build());
            worst = Math.max(worst, append(json, layer + " y", Conv2dKernels.forward(s.x, s.w, s.bias, g), s.output));
            worst = Math.max(worst, append(json, layer + " dx", Conv2dKernels.backwardInput(s.gradY, s.w, g), s.gradInput));
            // ND4J's ∂L/∂W is in its own (k_h, k_w, C_in, C_out) layout: back to (C_out, C_in, k_h, k_w).
            INDArray gradWeight = s.gradWeight.permute(3, 2, 0, 1).dup('c');
            worst = Math.max(worst, append(json, layer + " dW", Conv2dKernels.backwardWeight(s.x, s.gradY, g), gradWeight));
            worst = Math.max(worst, append(json, layer + " db", Conv2dKernels.backwardBias(s.gradY, g), s.gradBias));
        }
        // ResNet's head: adaptive average pooling to 1 × 1 against ND4J's 2 × 2 avgpool2d on 2 × 2 planes
        int[] shape = PoolNormBenchmark.GLOBAL_SHAPE;
        float[] x = ConvBenchmark.uniform(random, shape[0] * shape[1] * shape[2] * shape[3]);
        float[] gradY = ConvBenchmark.uniform(random, shape[0] * shape[1]);
        Tensor input = Tensor.of(x, shape).requiresGrad_();
        Tensor pooled = Pooling.adaptiveAvgPool2d(input, 1, 1);
        pooled.backward(Tensor.of(gradY, shape[0], shape[1], 1, 1));
        INDArray nd4jX = Nd4j.create(x, new long[] {shape[0], shape[1], shape[2], shape[3]}, 'c');
        INDArray nd4jY = Nd4j.create(DataType.FLOAT, shape[0], shape[1], 1, 1);
        INDArray nd4jGradX = Nd4j.create(DataType.FLOAT, shape[0], shape[1], shape[2], shape[3]);
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d").addInputs(nd4jX).addOutputs(nd4jY)
                .addIntegerArguments(PoolNormBenchmark.GLOBAL_POOL_ARGS).build());
        Nd4j.exec(DynamicCustomOp.builder("avgpool2d_bp")
                .addInputs(nd4jX, Nd4j.create(gradY, new long[] {shape[0], shape[1], 1, 1}, 'c'))
                .addOutputs(nd4jGradX).addIntegerArguments(PoolNormBenchmark.GLOBAL_POOL_ARGS).build());
        worst = Math.max(worst, append(json, "global avg pool y", pooled.toArray(), nd4jY));
        worst = Math.max(worst, append(json, "global avg pool dx", input.grad().toArray(), nd4jGradX));
        json.setLength(json.length() - 2);
        System.out.println(json.append("}"));
        if (worst > TOLERANCE) {
            throw new AssertionError("Kindling and ND4J disagree: largest relative difference " + worst
                    + " > " + TOLERANCE + "; the benchmarks would compare different computations");
        }
    }

    /** Appends {@code "name": max|k − n| / max|k|} and returns that ratio. */
    static double append(StringBuilder json, String name, float[] kindling, INDArray nd4j) {
        float[] other = nd4j.castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (other.length != kindling.length) {
            throw new AssertionError(name + ": Kindling has " + kindling.length + " values, ND4J " + other.length);
        }
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < kindling.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(kindling[i] - other[i]));
            maxAbs = Math.max(maxAbs, Math.abs(kindling[i]));
        }
        double relative = maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
        json.append(String.format(Locale.ROOT, "\"%s\": %.2e, ", name, relative));
        return relative;
    }
}
