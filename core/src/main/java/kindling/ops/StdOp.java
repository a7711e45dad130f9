package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.DimReductions;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Standard deviation over some dims (or all), as {@code torch.std}: the square root of
 * {@link VarOp}'s variance.
 * <pre>
 *   forward:   s[j] = √( Σ_i (x[i, j] − m[j])² / (n − c) )     c = 1 when unbiased, else 0
 *   backward:  ∂L/∂x[i, j] = ∂L/∂s[j] · (x[i, j] − m[j]) / ((n − c) · s[j]),   0 where s[j] = 0
 * </pre>
 * Shape: reduced dims are dropped, or kept with size 1 when {@code keepDim}.
 * Where every element of a row is equal (s = 0) the derivative of √ is infinite; PyTorch 1.13
 * returns a zero gradient there instead of NaN, and so does Kindling.
 */
public final class StdOp extends Function {
    private Saved input;
    private float[] deviations;    // s[j], one per output element, in row-major output order
    private boolean[] reduced;
    private boolean unbiased;

    public static Tensor apply(Tensor input, int[] dims, boolean unbiased, boolean keepDim) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims("std", inShape.length, dims);
        float[] out = VarOp.variances(input, reduced, unbiased);
        Elementwise.map(Elementwise.Unary.SQRT, out, out);                      // std = √var, in place
        Tensor result = Tensor.wrap(out, keepDim ? Reductions.keptShape(inShape, reduced)
                : Reductions.droppedShape(inShape, reduced));
        if (!needsGrad(input)) {
            return result;
        }
        StdOp op = new StdOp();
        op.input = op.save(input);
        op.deviations = out.clone();
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
        double divisor = n - (unbiased ? 1 : 0);
        // ∂std/∂x = (x − mean) / (divisor · std); masked to 0 where std = 0, as PyTorch
        DimReductions.stdBackward(rows, deviations, g, gradRows, g.length, n, divisor);
        return new Tensor[] {Tensor.wrap(Reductions.scatterRows(gradRows, input.shape(), reduced), input.shape())};
    }
}
