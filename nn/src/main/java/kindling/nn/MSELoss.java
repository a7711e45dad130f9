package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Mean squared error, as PyTorch's {@code nn.MSELoss}.
 * <pre>
 *   ℓ_i = (x_i − y_i)²          ∂ℓ_i/∂x_i = 2 (x_i − y_i)
 * </pre>
 * <b>Shape</b>: input and target the same shape (any); output a scalar, or that shape with NONE.
 * Unlike PyTorch, a target of another shape is an error rather than a broadcast with a warning.
 * <p><b>PyTorch default</b>: reduction mean.
 */
public class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction());
    }
}
