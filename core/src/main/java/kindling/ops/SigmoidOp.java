package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.kernels.Threads;
import kindling.tensor.Tensor;

/**
 * Logistic sigmoid.
 * <pre>
 *   forward:   y = σ(x) = 1 / (1 + e⁻ˣ)
 *   backward:  ∂L/∂x = ∂L/∂y · y · (1 − y)
 * </pre>
 * Computed without overflow by {@link Elementwise#sigmoid} (how, and its SIMD path, are in its javadoc); large
 * tensors are cut into blocks that run in parallel ({@link Threads#parallelRange}).
 * Shape: any; y has the shape of x.
 */
public final class SigmoidOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Threads.parallelRange(out.length, (from, to) -> Elementwise.sigmoid(x, out, from, to));
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        SigmoidOp op = new SigmoidOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = new float[g.length];
        Threads.parallelRange(g.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                gradInput[i] = g[i] * y[i] * (1 - y[i]);
            }
        });
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
