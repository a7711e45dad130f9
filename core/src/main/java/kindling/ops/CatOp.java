package kindling.ops;

import java.util.ArrayList;
import java.util.List;
import kindling.autograd.Function;
import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Concatenation along one dim ({@code cat}); {@code stack} is cat of the inputs each given a new
 * dim of size 1.
 * <pre>
 *   forward:   y = [x₀ | x₁ | ... ]           along dim d; x_i lands at rows start_i .. start_i + n_i − 1
 *   backward:  ∂L/∂x_i = (∂L/∂y) narrowed to start_i .. start_i + n_i − 1 along d
 * </pre>
 * Shape: x_i (*, n_i, *) → y (*, Σ n_i, *); every size except dim d must match.
 */
public final class CatOp extends Function {
    private int dim;
    private int[] starts;
    private int[] lengths;

    public static Tensor apply(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expects at least one tensor, got an empty list");
        }
        int[] first = tensors.get(0).shape();
        if (first.length == 0) {
            throw new ShapeException("cat: tensor 0 has shape () but a 0-dim tensor cannot be concatenated; "
                    + "use stack, or unsqueeze(0) first");
        }
        int d = Shape.normalizeDim("cat", dim, first.length);
        int[] starts = new int[tensors.size()];
        int[] lengths = new int[tensors.size()];
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            int[] shape = tensors.get(i).shape();
            if (!fits(shape, first, d)) {
                throw new ShapeException("cat: tensor " + i + " has shape " + Shape.format(shape) + " but tensor 0 has "
                        + Shape.format(first) + "; sizes must match except in dim " + d);
            }
            starts[i] = total;
            lengths[i] = shape[d];
            total += shape[d];
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        float[] out = new float[Shape.numel(outShape)];
        int[] outStrides = Shape.contiguousStrides(outShape);
        for (int i = 0; i < tensors.size(); i++) {
            // Copy input i through its own strides into its block of the output.
            Tensor x = tensors.get(i);
            StridedLoops.copy(x.shape(), x.storage(), x.storageOffset(), x.stride(),
                    out, starts[i] * outStrides[d], outStrides);
        }
        Tensor result = Tensor.wrap(out, outShape);
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (!needsGrad(inputs)) {
            return result;
        }
        CatOp op = new CatOp();
        op.dim = d;
        op.starts = starts;
        op.lengths = lengths;
        return op.record(result, inputs);
    }

    /** Inserts a new dim at {@code dim} in every tensor, then concatenates along it. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expects at least one tensor, got an empty list");
        }
        int[] first = tensors.get(0).shape();
        int d = Shape.normalizeDim("stack", dim, first.length + 1);
        List<Tensor> unsqueezed = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            int[] shape = tensors.get(i).shape();
            if (!Shape.same(shape, first)) {
                throw new ShapeException("stack: tensor " + i + " has shape " + Shape.format(shape)
                        + " but tensor 0 has " + Shape.format(first) + "; all shapes must be equal");
            }
            unsqueezed.add(tensors.get(i).unsqueeze(d));
        }
        return apply(unsqueezed, d);
    }

    private static boolean fits(int[] shape, int[] first, int dim) {
        if (shape.length != first.length) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != dim && shape[d] != first[d]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor[] gradInputs = new Tensor[starts.length];
        for (int i = 0; i < starts.length; i++) {
            if (needsInputGrad(i)) {
                int[] shape = gradOutput.shape();
                shape[dim] = lengths[i];
                // An empty result has nothing to hand back (and SliceOp refuses to narrow an empty
                // tensor at start > 0).
                gradInputs[i] = gradOutput.numel() == 0 ? Tensor.zeros(shape)
                        : gradOutput.narrow(dim, starts[i], lengths[i]);
            }
        }
        return gradInputs;
    }
}
