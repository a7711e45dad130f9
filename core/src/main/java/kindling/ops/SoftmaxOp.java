package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Softmax along one dim, as {@code torch.softmax(x, dim)}.
 * <pre>
 *   forward:   y[k] = exp(x[k] − m) / Σ_k' exp(x[k'] − m)      m = max_k x[k]   (along dim)
 *   backward:  ∂L/∂x[k] = y[k] · (∂L/∂y[k] − Σ_k' ∂L/∂y[k'] · y[k'])
 * </pre>
 * Shape: any → the same shape; every slice along {@code dim} sums to 1.
 * Subtracting the max changes nothing mathematically (it cancels in the ratio) but keeps each exp
 * in (0, 1], so a row like (1000, −1000) gives (1, 0) rather than inf / inf = NaN.
 */
public final class SoftmaxOp extends Function {
    private Saved output;
    private int dim;

    public static Tensor apply(Tensor input, int dim) {
        int[] shape = input.shape();
        int d = Shape.normalizeDim("softmax", dim, shape.length);
        int size = shape.length == 0 ? 1 : shape[d];
        int inner = MaxDimOp.innerSize(shape, d);
        int outer = size * inner == 0 ? 0 : input.numel() / (size * inner);
        float[] x = input.data();
        float[] y = new float[x.length];
        // View the contiguous input as (outer, size, inner) and normalise each of the
        // outer · inner slices of length size, whose elements are inner apart.
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < size; k++) {
                    max = Math.max(max, x[base + k * inner]);
                }
                double total = 0;
                for (int k = 0; k < size; k++) {
                    float e = (float) Math.exp(x[base + k * inner] - max);
                    y[base + k * inner] = e;
                    total += e;
                }
                for (int k = 0; k < size; k++) {
                    y[base + k * inner] = (float) (y[base + k * inner] / total);
                }
            }
        }
        Tensor result = Tensor.wrap(y, shape);
        if (!needsGrad(input)) {
            return result;
        }
        SoftmaxOp op = new SoftmaxOp();
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
                double dot = 0;                               // Σ_k g[k] · y[k] along the slice
                for (int k = 0; k < size; k++) {
                    dot += (double) g[base + k * inner] * y[base + k * inner];
                }
                for (int k = 0; k < size; k++) {
                    int at = base + k * inner;
                    gradInput[at] = (float) (y[at] * (g[at] - dot));
                }
            }
        }
        return new Tensor[] {Tensor.wrap(gradInput, shape)};
    }
}
