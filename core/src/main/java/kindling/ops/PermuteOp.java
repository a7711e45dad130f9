package kindling.ops;

import kindling.autograd.Function;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Reorders dims without moving data: {@code permute}, {@code transpose}, {@code t}.
 * <pre>
 *   forward:   y[i_p0, ..., i_pn] = x[i_0, ..., i_n]     (shape and strides permuted by p)
 *   backward:  ∂L/∂x = (∂L/∂y) permuted by p⁻¹
 * </pre>
 */
public final class PermuteOp extends Function {
    private int[] inverse;

    public static Tensor apply(Tensor input, int[] dims) {
        int rank = input.dim();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: expected " + rank + " dims for input "
                    + Shape.format(input.shape()) + ", got " + Shape.format(dims));
        }
        int[] order = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = Shape.normalizeDim("permute", dims[i], rank);
            if (seen[order[i]]) {
                throw new IllegalArgumentException("permute: dim " + dims[i] + " appears twice in "
                        + Shape.format(dims));
            }
            seen[order[i]] = true;
        }
        int[] inShape = input.shape();
        int[] inStrides = input.stride();
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = inShape[order[i]];
            strides[i] = inStrides[order[i]];
            inverse[order[i]] = i;
        }
        Tensor result = input.detach().asStrided(shape, strides, input.storageOffset());
        if (!needsGrad(input)) {
            return result;
        }
        PermuteOp op = new PermuteOp();
        op.inverse = inverse;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.permute(inverse)};
    }
}
