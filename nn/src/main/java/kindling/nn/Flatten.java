package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Merges the dims {@code startDim..endDim} into one, as PyTorch's {@code nn.Flatten}; the default
 * (1, −1) keeps the batch dim: (N, C, H, W) → (N, C·H·W), the step between convolutions and a Linear.
 * <pre>
 *   size of the merged dim = Π_{d = startDim..endDim} size(d)
 * </pre>
 * Shape: input (N, *) → output (N, Π *) with the defaults. A view when the input's strides allow it.
 * No parameters.
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** startDim = 1, endDim = −1, PyTorch's defaults. */
    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
