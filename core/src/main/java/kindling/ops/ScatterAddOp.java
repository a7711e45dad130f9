package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Indexing;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Adds each element of {@code src} into a copy of {@code x} at a place chosen along one dim:
 * {@code torch.scatter_add} (out of place). The reverse of gather.
 * <pre>
 *   forward:   y = x;  y[index[i][j][k]][j][k] += src[i][j][k]     (dim 0; likewise for other dims)
 *   backward:  ∂L/∂x = ∂L/∂y
 *              ∂L/∂src[i][j][k] = ∂L/∂y[index[i][j][k]][j][k]      (gather of ∂L/∂y)
 * </pre>
 * Shape: index has x's rank, is no larger than src in any dim and no larger than x except along
 * dim; y has x's shape. As in PyTorch ({@code index.size(d) <= src.size(d)} for all d), src may be
 * larger than index: only the part index covers, src[0 .. index.size(0) − 1][0 .. index.size(1) − 1]...,
 * is added, and the rest of src gets gradient 0, since y does not depend on it. (PyTorch 1.13's
 * autograd refuses that backward rather than compute it: its src gradient has index's shape; the
 * golden test computes PyTorch's gradient on the covered part cut out of src.)
 */
public final class ScatterAddOp extends Function {
    private int[] srcShape;
    private int[] indexShape;
    private int[] addresses;

    public static Tensor apply(Tensor input, int dim, Tensor index, Tensor src) {
        Indices.checkHasDims("scatterAdd", input);
        int d = Shape.normalizeDim("scatterAdd", dim, input.dim());
        int[] inShape = input.shape();
        Indices.checkFits("scatterAdd", index.shape(), "src", src.shape(), d, false);
        Indices.checkFits("scatterAdd", index.shape(), "input", inShape, d, true);
        int[] places = Indices.read("scatterAdd", index, d, inShape[d]);
        int[] addresses = Indices.addresses(index.shape(), Shape.contiguousStrides(inShape), d, places);
        int[] sources = Indices.addresses(index.shape(), Shape.contiguousStrides(src.shape()), d, null);
        float[] out = input.toArray();
        float[] s = src.data();
        Indexing.scatterAdd(s, sources, out, addresses);       // two sources on one place: both are added
        Tensor result = Tensor.wrap(out, inShape);
        if (!needsGrad(input, src)) {
            return result;
        }
        ScatterAddOp op = new ScatterAddOp();
        op.srcShape = src.shape();
        op.indexShape = index.shape();
        op.addresses = addresses;
        return op.record(result, input, src);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradSrc = null;
        if (needsInputGrad(1)) {
            float[] g = gradOutput.data();
            int[] sources = Indices.addresses(indexShape, Shape.contiguousStrides(srcShape), 0, null);
            float[] values = new float[Shape.numel(srcShape)];
            Indexing.gather(g, addresses, values, sources);
            gradSrc = Tensor.wrap(values, srcShape);
        }
        return new Tensor[] {needsInputGrad(0) ? gradOutput : null, gradSrc};
    }
}
