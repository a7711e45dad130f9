package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Tensor;

/**
 * Logistic sigmoid.
 * <pre>
 *   forward:   y = σ(x) = 1 / (1 + e⁻ˣ)
 *   backward:  ∂L/∂x = ∂L/∂y · y · (1 − y)
 * </pre>
 * Computed without overflow: for x ≥ 0 as 1 / (1 + e⁻ˣ), for x &lt; 0 as eˣ / (1 + eˣ), so the
 * exponential is always of a non-positive number and lies in (0, 1]. Shape: any; y has the shape of x.
 */
public final class SigmoidOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sigmoid(x[i]);
        }
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
        if (x >= 0) {
            return (float) (1 / (1 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * y[i] * (1 - y[i]);
        }
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
