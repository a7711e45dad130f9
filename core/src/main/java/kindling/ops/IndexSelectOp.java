package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Indexing;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Picks whole slices along one dim by a list of indices: the lookup behind {@code Embedding}.
 * <pre>
 *   forward:   y[..., j, ...] = x[..., index[j], ...]                        (along dim d)
 *   backward:  ∂L/∂x[..., i, ...] = Σ_{j : index[j] = i} ∂L/∂y[..., j, ...]
 * </pre>
 * An index may repeat (a word that occurs twice in a sentence); its slice then gets the sum of both
 * gradients, which is why backward adds rather than assigns.
 * Shape: x (*, n, *) and index (J) → y (*, J, *).
 */
public final class IndexSelectOp extends Function {
    private int[] inputShape;
    private int dim;
    private int[] index;

    public static Tensor apply(Tensor input, int dim, Tensor index) {
        Indices.checkHasDims("indexSelect", input);
        int d = Shape.normalizeDim("indexSelect", dim, input.dim());
        if (index.dim() > 1) {
            throw new ShapeException("indexSelect: index must be 1-D, got " + Shape.format(index.shape()));
        }
        int[] inShape = input.shape();
        int[] picks = Indices.read("indexSelect", index, d, inShape[d]);
        int[] outShape = inShape.clone();
        outShape[d] = picks.length;
        int outer = Shape.numel(java.util.Arrays.copyOf(inShape, d));
        int inner = Shape.numel(java.util.Arrays.copyOfRange(inShape, d + 1, inShape.length));
        float[] x = input.data();
        float[] out = new float[Shape.numel(outShape)];
        Indexing.selectBlocks(x, outer, inShape[d], inner, picks, out);
        Tensor result = Tensor.wrap(out, outShape);
        if (!needsGrad(input)) {
            return result;
        }
        IndexSelectOp op = new IndexSelectOp();
        op.inputShape = inShape;
        op.dim = d;
        op.index = picks;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int size = inputShape[dim];
        int outer = Shape.numel(java.util.Arrays.copyOf(inputShape, dim));
        int inner = Shape.numel(java.util.Arrays.copyOfRange(inputShape, dim + 1, inputShape.length));
        float[] g = gradOutput.data();
        float[] gradInput = new float[Shape.numel(inputShape)];
        Indexing.accumulateBlocks(g, outer, size, inner, index, -1, gradInput);   // a repeated index sums
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
