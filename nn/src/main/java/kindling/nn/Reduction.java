package kindling.nn;

import kindling.tensor.Tensor;

/**
 * How a loss turns its per-element losses ℓ_1 … ℓ_n into its result, as PyTorch's {@code reduction=}.
 * <pre>
 *   NONE:  (ℓ_1, …, ℓ_n)          the input's shape (without the class dim for CrossEntropy/NLL)
 *   MEAN:  (1/n) Σ ℓ_i            a scalar; PyTorch's default (CrossEntropy/NLL: a weighted mean)
 *   SUM:   Σ ℓ_i                  a scalar
 * </pre>
 */
public enum Reduction {
    NONE, MEAN, SUM;

    /** Applies this reduction to element-wise losses. */
    public Tensor reduce(Tensor losses) {
        switch (this) {
            case MEAN:
                return losses.mean();
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }
}
