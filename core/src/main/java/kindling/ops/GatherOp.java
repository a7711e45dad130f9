package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Indexing;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Reads one element per index position, choosing along one dim: {@code torch.gather}.
 * <pre>
 *   forward:   y[i][j][k] = x[index[i][j][k]][j][k]     (dim 0)
 *              y[i][j][k] = x[i][index[i][j][k]][k]     (dim 1), and so on
 *   backward:  ∂L/∂x = scatterAdd of ∂L/∂y into zeros at the same places
 * </pre>
 * Shape: index has x's rank and is no larger than x except along dim; y has index's shape.
 * Picking the log-probability of each target class is {@code logProbs.gather(1, targets.unsqueeze(1))}.
 */
public final class GatherOp extends Function {
    private int[] inputShape;
    private int[] addresses;

    public static Tensor apply(Tensor input, int dim, Tensor index) {
        Indices.checkHasDims("gather", input);
        int d = Shape.normalizeDim("gather", dim, input.dim());
        int[] inShape = input.shape();
        Indices.checkFits("gather", index.shape(), "input", inShape, d, true);
        int[] picks = Indices.read("gather", index, d, inShape[d]);
        int[] addresses = Indices.addresses(index.shape(), Shape.contiguousStrides(inShape), d, picks);
        float[] x = input.data();
        float[] out = new float[addresses.length];
        Indexing.gather(x, addresses, out, null);
        Tensor result = Tensor.wrap(out, index.shape());
        if (!needsGrad(input)) {
            return result;
        }
        GatherOp op = new GatherOp();
        op.inputShape = inShape;
        op.addresses = addresses;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = new float[Shape.numel(inputShape)];
        Indexing.scatterAdd(g, null, gradInput, addresses);    // an element read twice gets both gradients
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
