package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
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
        // The contiguous input viewed as (outer, size, inner): one slice along dim per (o, i).
        DimReductions.softmax(x, y, outer, size, inner);
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
        DimReductions.softmaxBackward(y, g, gradInput, outer, size, inner);
        return new Tensor[] {Tensor.wrap(gradInput, shape)};
    }
}
