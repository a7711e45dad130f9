package kindling.ops;

import kindling.autograd.Function;
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
        for (int o = 0; o < outer; o++) {                        // every slice before dim d
            for (int j = 0; j < picks.length; j++) {             // every picked index: copy a block of `inner`
                System.arraycopy(x, (o * inShape[d] + picks[j]) * inner, out, (o * picks.length + j) * inner, inner);
            }
        }
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
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < index.length; j++) {
                int from = (o * index.length + j) * inner;
                int to = (o * size + index[j]) * inner;
                for (int i = 0; i < inner; i++) {                // += : a repeated index sums its gradients
                    gradInput[to + i] += g[from + i];
                }
            }
        }
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
