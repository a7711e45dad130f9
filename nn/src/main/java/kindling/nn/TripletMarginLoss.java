package kindling.nn;

import kindling.nn.functional.Losses;
import kindling.tensor.Tensor;

/**
 * Triplet margin loss (Schroff et al. 2015), as PyTorch's {@code nn.TripletMarginLoss}: pulls an
 * anchor towards a positive and pushes it from a negative until they are {@code margin} apart.
 * <pre>
 *   d(a, b) = ‖a − b + eps‖_p = (Σ_j |a_j − b_j + eps|^p)^(1/p)       (PyTorch's pairwise_distance)
 *   ℓ_i     = max(d(a_i, p_i) − d(a_i, n_i) + margin, 0)
 *   swap:     d(a_i, n_i) ← min(d(a_i, n_i), d(p_i, n_i))              (Balntas et al. 2016)
 * </pre>
 * <b>Shape</b>: anchor, positive, negative (N, D) or (D); output a scalar, or (N) with NONE.
 * <p><b>PyTorch defaults</b>: margin 1.0, p 2, eps 1e−6, swap false, reduction mean.
 */
public class TripletMarginLoss extends Module {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;
    private final Reduction reduction;

    public TripletMarginLoss() {
        this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        if (!(p > 0)) {
            throw new IllegalArgumentException("TripletMarginLoss: p must be > 0, got " + p);
        }
        if (!(margin > 0)) {
            throw new IllegalArgumentException("TripletMarginLoss: margin must be greater than 0, got " + margin);
        }
        if (reduction == null) {
            throw new IllegalArgumentException("TripletMarginLoss: reduction must not be null");
        }
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
        this.reduction = reduction;
    }

    /** The loss of the triplets (anchor, positive, negative). */
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        return Losses.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    /** A triplet loss needs three inputs: use {@link #forward(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(describe()
                + ": a triplet loss takes (anchor, positive, negative); call forward(anchor, positive, negative)");
    }
}
