package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Binary cross-entropy of logits, a Sigmoid and {@link BCELoss} fused, as PyTorch's
 * {@code nn.BCEWithLogitsLoss}.
 * <pre>
 *   ℓ_i = −w_i · (pw · y_i · log σ(x_i) + (1 − y_i) · log σ(−x_i))
 *       = w_i · (max(x_i, 0) − x_i · y_i + log(1 + e^(−|x_i|)))        (pw = 1)
 *   ∂ℓ_i/∂x_i = w_i · (σ(x_i) − y_i)                                    (pw = 1)
 * </pre>
 * The second form only exponentiates −|x|, so it neither overflows nor takes log 0. {@code posWeight}
 * pw (one per class, along the last dim) scales the positive term: pw = #negatives / #positives
 * balances a rare class.
 * <p><b>Shape</b>: input (N, *) logits and target (N, *) in [0, 1], the same shape; posWeight (C)
 * broadcast along the last dim; weight broadcast to the input; output a scalar, or (N, *) with NONE.
 * <p><b>PyTorch defaults</b>: weight none, reduction mean, posWeight none.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor weight;
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.posWeight = posWeight == null ? null : registerBuffer("pos_weight", posWeight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction());
    }
}
