package kindling.optim;

/**
 * Multiplies the lr by γ every {@code stepSize} epochs, as {@code torch.optim.lr_scheduler.StepLR}:
 * <pre>
 *   recursion:    γₑ = γₑ₋₁ · gamma   if e &gt; 0 and e mod stepSize = 0,   else γₑ = γₑ₋₁
 *   closed form:  γₑ = γ₀ · gamma^⌊e / stepSize⌋
 * </pre>
 * PyTorch defaults: gamma 0.1; stepSize has none.
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** As {@code StepLR(optimizer, step_size, gamma=0.1)}. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        this.stepSize = Checks.positive("StepLR", "stepSize", stepSize);
        this.gamma = Checks.atLeastZero("StepLR", "gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(double currentLr, double baseLr) {
        int e = lastEpoch();
        return e == 0 || e % stepSize != 0 ? currentLr : currentLr * gamma;
    }
}
