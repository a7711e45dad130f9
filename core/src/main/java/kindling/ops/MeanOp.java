package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.DimReductions;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Mean over some dims (or all).
 * <pre>
 *   forward:   y[j] = (1/n) Σ_{i reduced} x[i, j]          n = number of reduced elements
 *   backward:  ∂L/∂x[i, j] = ∂L/∂y[j] / n                  (broadcast back over the reduced dims)
 * </pre>
 * Shape: reduced dims are dropped, or kept with size 1 when {@code keepDim}. Each row is summed in
 * double. The mean of zero elements is NaN, as in PyTorch.
 */
public final class MeanOp extends Function {
    private int[] inputShape;
    private int[] keptShape;
    private int count;

    /** Means over {@code dims} (empty: every dim). */
    public static Tensor apply(Tensor input, int[] dims, boolean keepDim) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims("mean", inShape.length, dims);
        int[] keptShape = Reductions.keptShape(inShape, reduced);
        int n = Reductions.reducedCount(inShape, reduced);
        float[] rows = Reductions.gatherRows(input, reduced);
        float[] out = new float[Shape.numel(keptShape)];
        DimReductions.rowMeans(rows, out, out.length, n);                      // one output element per row of n values
        Tensor result = Tensor.wrap(out, keepDim ? keptShape : Reductions.droppedShape(inShape, reduced));
        if (!needsGrad(input)) {
            return result;
        }
        MeanOp op = new MeanOp();
        op.inputShape = inShape;
        op.keptShape = keptShape;
        op.count = n;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor spread = gradOutput.reshape(keptShape).expand(inputShape);
        return new Tensor[] {spread.mul(Tensor.scalar(1f / count))};
    }
}
