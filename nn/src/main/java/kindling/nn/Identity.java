package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Returns its input unchanged, as PyTorch's {@code nn.Identity}: a placeholder where a model has a
 * slot for a layer but wants none (for example to remove a classifier head).
 * <pre>
 *   forward(x) = x
 * </pre>
 * Shape: any → the same.
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
