package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Threads;
import kindling.tensor.Tensor;

/**
 * Logistic sigmoid.
 * <pre>
 *   forward:   y = σ(x) = 1 / (1 + e⁻ˣ)
 *   backward:  ∂L/∂x = ∂L/∂y · y · (1 − y)
 * </pre>
 * Computed without overflow: with e = e^(−|x|), which lies in (0, 1], σ(x) = 1 / (1 + e) for x ≥ 0
 * and e / (1 + e) for x &lt; 0. Both are computed and one is selected, rather than branching on the
 * sign, which on real activations is a coin toss the CPU mispredicts. Large tensors are cut into
 * blocks that run in parallel ({@link Threads#parallelRange}). Shape: any; y has the shape of x.
 */
public final class SigmoidOp extends Function {
    private Saved output;

    /** Elements per parallel block: below this, handing a block to another thread costs more than it saves. */
    private static final int BLOCK = 1 << 15;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Threads.parallelRange(out.length, BLOCK, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = sigmoid(x[i]);
            }
        });
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        SigmoidOp op = new SigmoidOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    /** σ(x) without overflow for any x. */
    static float sigmoid(float x) {
        double e = Math.exp(-Math.abs((double) x));
        double positive = 1 / (1 + e);
        return (float) (x >= 0 ? positive : e * positive);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = new float[g.length];
        Threads.parallelRange(g.length, BLOCK, (from, to) -> {
            for (int i = from; i < to; i++) {
                gradInput[i] = g[i] * y[i] * (1 - y[i]);
            }
        });
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
