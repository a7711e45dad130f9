package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Cross-entropy of logits against class indices, as PyTorch's {@code nn.CrossEntropyLoss}: a
 * LogSoftmax over the classes followed by {@link NLLLoss}, fused so it never takes the log of a
 * probability that underflowed.
 * <pre>
 *   log p = logSoftmax(x, dim 1)
 *   ℓ_i   = (1 − ε) · (−w[y_i] · log p[i, y_i])  +  (ε / C) · Σ_c (−w[c] · log p[i, c])
 *   MEAN  = Σ_i ℓ_i / Σ_{i not ignored} w[y_i]
 * </pre>
 * ε = {@code labelSmoothing} mixes the one-hot target with the uniform distribution (Szegedy et al.
 * 2016): the target becomes (1 − ε)·onehot + ε/C. Targets equal to {@code ignoreIndex} contribute 0
 * and are left out of the mean's denominator.
 *
 * <p><b>Shape</b>: input (N, C), (N, C, d1, ...) or (C) of logits; target (N), (N, d1, ...) or () of
 * class indices in [0, C) stored as floats; output a scalar, or the target's shape with NONE.
 * <p><b>PyTorch defaults</b>: weight none, ignoreIndex −100, reduction mean, labelSmoothing 0.
 * A target of the input's own shape holds class probabilities ("soft" targets, as PyTorch's float
 * targets): the loss is then −Σ_c w[c]·q[i, c]·log p[i, c] with q the (smoothed) target, and MEAN
 * divides by the number of positions (N·d1·…), whatever the weights.
 */
public class CrossEntropyLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** PyTorch's defaults. */
    public CrossEntropyLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /** {@code weight} (C) or null scales each class's terms. */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: weight must be 1-D (C), got shape "
                    + kindling.tensor.Shape.format(weight.shape()));
        }
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction(), labelSmoothing);
    }
}
