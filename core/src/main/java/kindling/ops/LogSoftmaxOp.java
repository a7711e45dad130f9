package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
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
        // The contiguous input viewed as (outer, size, inner): one slice along dim per (o, i).
        DimReductions.logSoftmax(x, y, outer, size, inner);
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
        DimReductions.logSoftmaxBackward(y, g, gradInput, outer, size, inner);
        return new Tensor[] {Tensor.wrap(gradInput, shape)};
    }
}
