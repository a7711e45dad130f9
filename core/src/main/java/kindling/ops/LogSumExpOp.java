package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * log Σ exp over some dims, as {@code torch.logsumexp}.
 * <pre>
 *   forward:   y[j] = m[j] + log Σ_i exp(x[i, j] − m[j])      m[j] = max_i x[i, j]
 *   backward:  ∂L/∂x[i, j] = ∂L/∂y[j] · exp(x[i, j] − y[j])   (the softmax of the row)
 * </pre>
 * Shape: reduced dims are dropped, or kept with size 1 when {@code keepDim}.
 * Subtracting the max keeps every exp in (0, 1], so x = 1000 does not overflow to inf. A row that
 * is all −inf gives −inf (the log of an empty sum), and a row holding +inf gives +inf, as PyTorch.
 */
public final class LogSumExpOp extends Function {
    private Saved input;
    private float[] result;        // y[j] in row-major output order
    private boolean[] reduced;

    public static Tensor apply(Tensor input, int[] dims, boolean keepDim) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims("logsumexp", inShape.length, dims);
        int n = Reductions.reducedCount(inShape, reduced);
        float[] rows = Reductions.gatherRows(input, reduced);
        float[] out = new float[Shape.numel(Reductions.keptShape(inShape, reduced))];
        DimReductions.logSumExp(rows, out, out.length, n);
        Tensor result = Tensor.wrap(out, keepDim ? Reductions.keptShape(inShape, reduced)
                : Reductions.droppedShape(inShape, reduced));
        if (!needsGrad(input)) {
            return result;
        }
        LogSumExpOp op = new LogSumExpOp();
        op.input = op.save(input);
        op.result = out.clone();
        op.reduced = reduced;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor input = this.input.get();
        int n = Reductions.reducedCount(input.shape(), reduced);
        float[] rows = Reductions.gatherRows(input, reduced);
        float[] g = gradOutput.data();
        float[] gradRows = new float[rows.length];
        DimReductions.logSumExpBackward(rows, result, g, gradRows, g.length, n);
        return new Tensor[] {Tensor.wrap(Reductions.scatterRows(gradRows, input.shape(), reduced), input.shape())};
    }
}
