package kindling.optim;

/**
 * Linear warm-up (or decay): scales γ₀ by a factor that moves linearly from startFactor to
 * endFactor over totalIters epochs, then stays, as {@code torch.optim.lr_scheduler.LinearLR}:
 * <pre>
 *   closed form:  γₑ = γ₀ · (s + (f − s) · min(e, totalIters) / totalIters)     s = startFactor, f = endFactor
 *   recursion:    γ₀' = γ₀ · s                                                  at construction (e = 0)
 *                 γₑ = γₑ₋₁ · (1 + (f − s) / (totalIters·s + (e − 1)·(f − s)))   for 0 &lt; e ≤ totalIters
 *                 γₑ = γₑ₋₁                                                     for e &gt; totalIters
 * </pre>
 * The recursion's factor is the ratio of consecutive closed-form factors. Construction already
 * lowers the optimizer's lr to γ₀·s, so the first epoch trains at the warm-up lr.
 * PyTorch defaults: startFactor 1/3, endFactor 1, totalIters 5.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** As {@code LinearLR(optimizer)}: warm-up from γ₀/3 to γ₀ over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: invalid startFactor " + startFactor
                    + ", expected 0 < startFactor <= 1");
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: invalid endFactor " + endFactor
                    + ", expected 0 <= endFactor <= 1");
        }
        // PyTorch's default start factor is the double 1/3; a caller's 1f / 3 widened would be off by 1e-8.
        this.startFactor = startFactor == (double) (1f / 3) ? 1.0 / 3 : startFactor;
        this.endFactor = endFactor;
        this.totalIters = Checks.positive("LinearLR", "totalIters", totalIters);
        initialStep();
    }

    @Override
    protected double nextLr(double currentLr, double baseLr) {
        int e = lastEpoch();
        if (e == 0) {
            return currentLr * startFactor;
        }
        if (e > totalIters) {
            return currentLr;
        }
        return currentLr * (1 + (endFactor - startFactor)
                / (totalIters * startFactor + (e - 1) * (endFactor - startFactor)));
    }
}
