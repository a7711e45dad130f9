package kindling.generative;

/**
 * A linear α with a square-root β, the schedule of the MIT 6.S184 flow-matching lab
 * ({@code LinearAlpha}, {@code SquareRootBeta}).
 * <pre>
 *   α_t = t,   β_t = √(1 − t),   α̇_t = 1,   β̇_t = −1 / (2 √(1 − t))
 * </pre>
 * β̇ is infinite at t = 1, where the path reaches the data; losses draw t from [0, 1) and solvers
 * evaluate fields at the start of each step, so t = 1 itself is never used.
 */
public final class SquareRootScheduler implements Scheduler {
    @Override
    public double alpha(double t) {
        return t;
    }

    @Override
    public double beta(double t) {
        return Math.sqrt(1 - t);
    }

    @Override
    public double alphaDot(double t) {
        return 1;
    }

    @Override
    public double betaDot(double t) {
        return -0.5 / Math.sqrt(1 - t);
    }

    @Override
    public String toString() {
        return "SquareRootScheduler(alpha=t, beta=sqrt(1-t))";
    }
}
