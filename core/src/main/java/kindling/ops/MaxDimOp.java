package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.DimReductions;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;
import kindling.tensor.ValuesAndIndices;

/**
 * The largest (or smallest) element along one dim, with its index, as {@code torch.max(x, dim)}.
 * <pre>
 *   forward:   y[o, i] = x[o, k*, i]   with k* = argmax_k x[o, k, i]    (the first k* on ties)
 *   backward:  ∂L/∂x[o, k, i] = ∂L/∂y[o, i]  if k = k*,  else 0
 * </pre>
 * Shape: x (outer, size, inner) → values and indices (outer, inner), or (outer, 1, inner) when
 * {@code keepDim}. A NaN counts as larger (and smaller) than any number, so it propagates.
 */
public final class MaxDimOp extends Function {
    private int[] inputShape;
    private float[] argIndex;      // per output element, the winning position k* along the dim
    private int dim;

    /** Values and indices; the values are recorded for backward when the input requires grad. */
    public static ValuesAndIndices apply(Tensor input, int dim, boolean keepDim, boolean largest) {
        ValuesAndIndices result = forward(largest ? "max" : "min", input, dim, keepDim, largest);
        if (needsGrad(input)) {
            MaxDimOp op = new MaxDimOp();
            op.inputShape = input.shape();
            op.argIndex = result.indices().toArray();     // a copy: the caller owns the indices
            op.dim = Shape.normalizeDim("max", dim, input.dim());
            op.record(result.values(), input);
        }
        return result;
    }

    /** Only the indices, as {@code torch.argmax(x, dim)} / {@code argmin}: not differentiable. */
    public static Tensor argIndices(Tensor input, int dim, boolean keepDim, boolean largest) {
        return forward(largest ? "argmax" : "argmin", input, dim, keepDim, largest).indices();
    }

    private static ValuesAndIndices forward(String name, Tensor input, int dim, boolean keepDim,
                                            boolean largest) {
        int[] inShape = input.shape();
        boolean[] reduced = Reductions.reducedDims(name, inShape.length, new int[] {dim});
        int d = Shape.normalizeDim(name, dim, inShape.length);
        // View the contiguous input as (outer, size, inner): the dim to reduce sits in the middle.
        int size = inShape.length == 0 ? 1 : inShape[d];
        int inner = innerSize(inShape, d);
        int outer = size * inner == 0 ? 0 : input.numel() / (size * inner);
        Reductions.requireNonEmpty(name, inShape, size);
        float[] x = input.data();
        float[] values = new float[outer * inner];
        float[] indices = new float[outer * inner];
        DimReductions.extreme(x, values, indices, outer, size, inner, largest);
        int[] outShape = keepDim ? Reductions.keptShape(inShape, reduced) : Reductions.droppedShape(inShape, reduced);
        return new ValuesAndIndices(Tensor.wrap(values, outShape), Tensor.wrap(indices, outShape.clone()));
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int size = inputShape.length == 0 ? 1 : inputShape[dim];
        int inner = innerSize(inputShape, dim);
        float[] g = gradOutput.data();
        float[] gradInput = new float[Shape.numel(inputShape)];
        // Each output gradient goes to the one input element that won.
        DimReductions.extremeBackward(g, argIndex, gradInput, inner == 0 ? 0 : g.length / inner, size, inner);
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }

    /** Whether {@code candidate} replaces {@code best}: strictly larger (smaller), or the first NaN. */
    static boolean beats(float candidate, float best, boolean largest) {
        return DimReductions.beats(candidate, best, largest);
    }

    /** The product of the sizes after {@code dim}: the distance between neighbours along {@code dim}. */
    static int innerSize(int[] shape, int dim) {
        int inner = 1;
        for (int k = dim + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        return inner;
    }
}
