package kindling.data;

import kindling.tensor.Tensor;

/**
 * One mini-batch: the stacked inputs and their targets, first dim the batch.
 * <pre>
 *   inputs:  (N, *)   e.g. (256, 1, 28, 28) images
 *   targets: (N, *)   e.g. (256) class indices stored as floats
 * </pre>
 */
public record Batch(Tensor inputs, Tensor targets) {
    /** The number of examples in this batch, N. */
    public int size() {
        return inputs.size(0);
    }
}
