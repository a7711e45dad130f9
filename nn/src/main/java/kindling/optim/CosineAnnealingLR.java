package kindling.optim;

/**
 * Cosine annealing from γ₀ down to etaMin over tMax epochs, as
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} (Loshchilov and Hutter, 2017, "SGDR"):
 * <pre>
 *   closed form:  γₑ = ηmin + (γ₀ − ηmin) · (1 + cos(π·e / tMax)) / 2
 *   recursion:    γₑ = ηmin + (γₑ₋₁ − ηmin) · (1 + cos(π·e/tMax)) / (1 + cos(π·(e−1)/tMax))
 *                 γₑ = γₑ₋₁ + (γ₀ − ηmin) · (1 − cos(π/tMax)) / 2     when (e − 1 − tMax) mod 2·tMax = 0
 * </pre>
 * This class runs the recursion, as PyTorch does, so it composes with other schedulers. After tMax
 * epochs the lr does not stay at ηmin: it climbs back along the cosine to γ₀ at 2·tMax (the second
 * line of the recursion handles the turn at the bottom, where the first would divide by zero).
 * There is no restart; for warm restarts PyTorch has CosineAnnealingWarmRestarts.
 * PyTorch defaults: etaMin 0; tMax has none.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** As {@code CosineAnnealingLR(optimizer, T_max, eta_min=0)}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        this.tMax = Checks.positive("CosineAnnealingLR", "tMax", tMax);
        this.etaMin = Checks.atLeastZero("CosineAnnealingLR", "etaMin", etaMin);
        initialStep();
    }

    @Override
    protected double nextLr(double currentLr, double baseLr) {
        int e = lastEpoch();
        if (e == 0) {
            return currentLr;
        }
        if ((e - 1 - tMax) % (2 * tMax) == 0) {
            return currentLr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax))
                * (currentLr - etaMin) + etaMin;
    }
}
