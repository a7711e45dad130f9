package kindling.autograd;

import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * A tensor an op keeps for its backward, with the version its storage had when it was saved.
 *
 * <p>Why the version: an optimizer step or any {@code add_}, {@code mul_}, {@code zero_} changes
 * storage in place and bumps its version. If that happens between forward and backward, the
 * gradient would be computed from the new values — silently wrong. {@link #get()} refuses instead.
 */
public final class Saved {
    private final Function owner;
    private Tensor tensor;
    private final long version;

    Saved(Function owner, Tensor tensor) {
        this.owner = owner;
        this.tensor = tensor;
        this.version = tensor.version();
    }

    /** The saved tensor, checked to be unchanged since it was saved. */
    public Tensor get() {
        if (tensor == null) {
            throw new IllegalStateException("backward: the tensors saved by " + owner.name()
                    + " were freed after an earlier backward; pass retainGraph=true to keep them");
        }
        if (tensor.version() != version) {
            throw new IllegalStateException("backward: one of the tensors needed for gradient computation has "
                    + "been modified by an inplace operation: the tensor of shape " + Shape.format(tensor.shape())
                    + " saved by " + owner.name() + " is at version " + tensor.version() + "; expected version "
                    + version + " instead. Use the out-of-place op (relu instead of relu_, add instead of "
                    + "add_...), or make the in-place change after backward.");
        }
        return tensor;
    }

    void clear() {
        tensor = null;
    }
}
