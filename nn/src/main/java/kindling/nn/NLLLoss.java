package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities at class indices, as PyTorch's {@code nn.NLLLoss}.
 * Put a {@link LogSoftmax} before it, or use {@link CrossEntropyLoss}, which is the two fused.
 * <pre>
 *   ℓ_i  = −w[y_i] · x[i, y_i]             (0 where y_i = ignoreIndex)
 *   MEAN = Σ_i ℓ_i / Σ_{i not ignored} w[y_i]
 * </pre>
 * <b>Shape</b>: input (N, C), (N, C, d1, ...) or (C); target (N), (N, d1, ...) or () of class
 * indices stored as floats; output a scalar, or the target's shape with NONE.
 * <p><b>PyTorch defaults</b>: weight none, ignoreIndex −100, reduction mean.
 */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    /** PyTorch's defaults. */
    public NLLLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("NLLLoss: weight must be 1-D (C), got shape "
                    + kindling.tensor.Shape.format(weight.shape()));
        }
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction());
    }
}
