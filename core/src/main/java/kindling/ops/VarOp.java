package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Variance over some dims (or all), as {@code torch.var}.
 * <pre>
 *   forward:   m[j] = (1/n) Σ_i x[i, j]
 *              y[j] = Σ_i (x[i, j] − m[j])² / (n − c)      c = 1 when unbiased (Bessel), else 0
 *   backward:  ∂L/∂x[i, j] = ∂L/∂y[j] · 2 (x[i, j] − m[j]) / (n − c)
 * </pre>
 * Shape: reduced dims are dropped, or kept with size 1 when {@code keepDim}.
 * Two passes in double (first the mean, then the squared deviations) rather than E[x²] − E[x]²,
 * which cancels catastrophically when the mean is large against the spread. With n − c = 0 the
 * result is NaN (0/0) or inf, as PyTorch gives.
 */
public final class VarOp extends Function {
    private Saved input;
    private boolean[] reduced;
    private boolean unbiased;

    public static Tensor apply(Tensor input, int[] dims, boolean unbiased, boolean keepDim) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims("var", inShape.length, dims);
        float[] out = variances(input, reduced, unbiased);
        Tensor result = Tensor.wrap(out, keepDim ? Reductions.keptShape(inShape, reduced)
                : Reductions.droppedShape(inShape, reduced));
        if (!needsGrad(input)) {
            return result;
        }
        VarOp op = new VarOp();
        op.input = op.save(input);
        op.reduced = reduced;
        op.unbiased = unbiased;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor input = this.input.get();
        int n = Reductions.reducedCount(input.shape(), reduced);
        float[] rows = Reductions.gatherRows(input, reduced);
        float[] g = gradOutput.data();
        float[] gradRows = new float[rows.length];
        DimReductions.varianceBackward(rows, g, gradRows, g.length, n, n - (unbiased ? 1 : 0));  // 2 g (x − mean) / divisor
        return new Tensor[] {Tensor.wrap(Reductions.scatterRows(gradRows, input.shape(), reduced), input.shape())};
    }

    /** The variance of each row (see {@link Reductions#gatherRows}), one per output element. */
    static float[] variances(Tensor input, boolean[] reduced, boolean unbiased) {
        int n = Reductions.reducedCount(input.shape(), reduced);
        float[] rows = Reductions.gatherRows(input, reduced);
        float[] out = new float[Shape.numel(Reductions.keptShape(input.shape(), reduced))];
        DimReductions.variance(rows, out, out.length, n, n - (unbiased ? 1 : 0));
        return out;
    }
}
