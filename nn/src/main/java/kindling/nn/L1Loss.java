package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Mean absolute error, as PyTorch's {@code nn.L1Loss}.
 * <pre>
 *   ℓ_i = |x_i − y_i|          ∂ℓ_i/∂x_i = sign(x_i − y_i)   (0 where x_i = y_i)
 * </pre>
 * <b>Shape</b>: input and target the same shape (any); output a scalar, or that shape with NONE.
 * <p><b>PyTorch default</b>: reduction mean.
 */
public class L1Loss extends Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, reduction());
    }
}
