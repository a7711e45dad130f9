package kindling.nn;

import kindling.tensor.Tensor;

/**
 * A loss function as a module, as PyTorch's {@code nn._Loss}: {@link #forward(Tensor, Tensor)} compares
 * a prediction with a target and reduces by {@link #reduction()}. The maths of each loss lives in
 * {@link kindling.nn.functional.Losses}; the module holds the options.
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    protected Loss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction must not be null");
        }
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(describe() + ": a loss takes (input, target); call forward(input, target)");
    }

    public Reduction reduction() {
        return reduction;
    }
}
