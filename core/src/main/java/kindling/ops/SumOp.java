package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.DimReductions;
import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Sum over some dims (or all).
 * <pre>
 *   forward:   y[j] = Σ_{i reduced} x[i, j]
 *   backward:  ∂L/∂x[i, j] = ∂L/∂y[j]        (the gradient is broadcast back over the reduced dims)
 * </pre>
 * Shape: reduced dims are dropped, or kept with size 1 when {@code keepDim}.
 * The sum of every element is accumulated in double, so a million float32 values lose no digits.
 */
public final class SumOp extends Function {
    private int[] inputShape;
    private int[] keptShape;

    /** Sums over {@code dims} (empty: every dim). */
    public static Tensor apply(Tensor input, int[] dims, boolean keepDim) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims("sum", inShape.length, dims);
        int[] keptShape = Reductions.keptShape(inShape, reduced);
        float[] out = new float[Shape.numel(keptShape)];
        if (dims.length == 0 || out.length == 1) {
            float[] x = input.data();
            float[] total = new float[1];
            DimReductions.rowSums(x, total, 1, x.length);                     // one row: every element, in order
            if (out.length == 1) {
                out[0] = total[0];
            }
        } else {
            // Read every input element once and add it to its output element: along reduced dims the
            // output stride is 0, so all of them land in the same place.
            int[] outStrides = Shape.broadcastStrides("sum", keptShape, Shape.contiguousStrides(keptShape), inShape);
            StridedLoops.accumulate(inShape, input.storage(), input.storageOffset(), input.stride(), out, 0, outStrides);
        }
        Tensor result = Tensor.wrap(out, keepDim ? keptShape : Reductions.droppedShape(inShape, reduced));
        if (!needsGrad(input)) {
            return result;
        }
        SumOp op = new SumOp();
        op.inputShape = inShape;
        op.keptShape = keptShape;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.reshape(keptShape).expand(inputShape)};
    }
}
