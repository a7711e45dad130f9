package kindling.optim;

/**
 * Multiplies the lr by γ every epoch, as {@code torch.optim.lr_scheduler.ExponentialLR}:
 * <pre>
 *   recursion:    γₑ = γₑ₋₁ · gamma   (e &gt; 0)
 *   closed form:  γₑ = γ₀ · gammaᵉ
 * </pre>
 * gamma has no PyTorch default.
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = Checks.atLeastZero("ExponentialLR", "gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(double currentLr, double baseLr) {
        return lastEpoch() == 0 ? currentLr : currentLr * gamma;
    }
}
