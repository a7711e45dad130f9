package kindling.data;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Examples stored as two tensors whose first dim is the example index, as PyTorch's
 * {@code TensorDataset}: example i is (inputs[i], targets[i]).
 * <pre>
 *   inputs  (N, *)     e.g. (60000, 1, 28, 28) images
 *   targets (N, *)     e.g. (60000) class indices stored as floats
 * </pre>
 */
public final class TensorDataset implements Dataset {
    private final Tensor inputs;
    private final Tensor targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new ShapeException("TensorDataset: inputs " + Shape.format(inputs.shape()) + " and targets "
                    + Shape.format(targets.shape()) + " must have the same size in dim 0");
        }
        this.inputs = inputs.contiguous();
        this.targets = targets.contiguous();
    }

    public Tensor inputs() {
        return inputs;
    }

    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Example get(int index) {
        return new Example(inputs.select(0, index), targets.select(0, index));
    }
}
