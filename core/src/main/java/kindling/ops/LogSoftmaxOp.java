package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Log of the softmax along one dim, as {@code torch.log_softmax(x, dim)}.
 * <pre>
 *   forward:   y[k] = x[k] − m − log Σ_k' exp(x[k'] − m)      m = max_k x[k]   (along dim)
 *   backward:  ∂L/∂x[k] = ∂L/∂y[k] − exp(y[k]) · Σ_k' ∂L/∂y[k']
 * </pre>
 * Shape: any → the same shape.
 * One fused op rather than log(softmax(x)): a softmax that underflows to 0 would give log 0 = −inf,
 * while x − m − log Σ stays finite (−2000 for the row (1000, −1000)). Use it with NLL loss.
 */
public final class LogSoftmaxOp extends Function {
    private Saved output;
    private int dim;

    public static Tensor apply(Tensor input, int dim) {
        int[] shape = input.shape();
        int d = Shape.normalizeDim("logSoftmax", dim, shape.length);
        int size = shape.length == 0 ? 1 : shape[d];
        int inner = MaxDimOp.innerSize(shape, d);
        int outer = size * inner == 0 ? 0 : input.numel() / (size * inner);
        float[] x = input.data();
        float[] y = new float[x.length];
        // View the contiguous input as (outer, size, inner): each of the outer · inner slices
        // along dim has size elements, inner apart.
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < size; k++) {
                    max = Math.max(max, x[base + k * inner]);
                }
                double total = 0;
                for (int k = 0; k < size; k++) {
                    total += Math.exp(x[base + k * inner] - max);
                }
                double logTotal = Math.log(total);
                for (int k = 0; k < size; k++) {
                    y[base + k * inner] = (float) (x[base + k * inner] - max - logTotal);
                }
            }
        }
        Tensor result = Tensor.wrap(y, shape);
        if (!needsGrad(input)) {
            return result;
        }
        LogSoftmaxOp op = new LogSoftmaxOp();
        op.output = op.save(result);
        op.dim = d;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor output = this.output.get();
        int[] shape = output.shape();
        int size = shape.length == 0 ? 1 : shape[dim];
        int inner = MaxDimOp.innerSize(shape, dim);
        int outer = size * inner == 0 ? 0 : output.numel() / (size * inner);
        float[] y = output.data();
        float[] g = gradOutput.data();
        float[] gradInput = new float[y.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                double total = 0;                             // Σ_k g[k] along the slice
                for (int k = 0; k < size; k++) {
                    total += g[base + k * inner];
                }
                for (int k = 0; k < size; k++) {
                    int at = base + k * inner;
                    gradInput[at] = (float) (g[at] - Math.exp(y[at]) * total);
                }
            }
        }
        return new Tensor[] {Tensor.wrap(gradInput, shape)};
    }
}
