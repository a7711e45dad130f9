package kindling.data;

import kindling.tensor.Tensor;

/**
 * A data set indexed from 0 to {@code size() − 1}, as PyTorch's map-style {@code Dataset}: each
 * index gives one example, an input and its target.
 */
public interface Dataset {
    /** One example: an input such as a (C, H, W) image and its target such as a class index (a scalar). */
    record Example(Tensor input, Tensor target) {
    }

    /** The number of examples. */
    int size();

    /** Example {@code index}, 0 ≤ index &lt; size(). */
    Example get(int index);
}
