package kindling.optim;

import java.util.Arrays;

/**
 * Multiplies the lr by γ at each milestone epoch, as {@code torch.optim.lr_scheduler.MultiStepLR}:
 * <pre>
 *   recursion:    γₑ = γₑ₋₁ · gamma^c(e)       c(e) = how many times e appears in milestones
 *   closed form:  γₑ = γ₀ · gamma^(number of milestones ≤ e)
 * </pre>
 * A milestone listed twice multiplies by γ² at once, as in PyTorch (which counts milestones).
 * PyTorch defaults: gamma 0.1.
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    /** As {@code MultiStepLR(optimizer, milestones, gamma=0.1)}. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int milestone : milestones) {
            if (milestone < 0) {
                throw new IllegalArgumentException("MultiStepLR: invalid milestone " + milestone + " in "
                        + Arrays.toString(milestones) + ", expected milestones >= 0");
            }
        }
        this.milestones = milestones.clone();
        this.gamma = Checks.atLeastZero("MultiStepLR", "gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(double currentLr, double baseLr) {
        int count = 0;
        for (int milestone : milestones) {
            if (milestone == lastEpoch()) {
                count++;
            }
        }
        return count == 0 ? currentLr : currentLr * Math.pow(gamma, count);
    }
}
