package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities, as PyTorch's {@code nn.BCELoss}.
 * <pre>
 *   ℓ_i = −w_i · (y_i · max(log x_i, −100) + (1 − y_i) · max(log(1 − x_i), −100))
 *   ∂ℓ_i/∂x_i = w_i · (x_i − y_i) / max(x_i (1 − x_i), 1e−12)
 * </pre>
 * The clamp at −100 is PyTorch's: a probability of exactly 0 or 1 gives a large finite loss instead
 * of ∞. Prefer {@link BCEWithLogitsLoss} on logits: it is exact where σ(x) rounds to 0 or 1.
 * <p><b>Shape</b>: input x ∈ [0, 1] and target the same shape (any); weight broadcast to it;
 * output a scalar, or that shape with NONE.
 * <p><b>PyTorch defaults</b>: weight none, reduction mean.
 */
public class BCELoss extends Loss {
    private final Tensor weight;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction());
    }
}
