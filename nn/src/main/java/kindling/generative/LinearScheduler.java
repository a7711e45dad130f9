package kindling.generative;

/**
 * The linear schedule of (rectified) flow matching, the lectures' "CondOT" path: straight lines from
 * noise to data.
 * <pre>
 *   α_t = t,   β_t = 1 − t,   α̇_t = 1,   β̇_t = −1
 *   x_t = t · z + (1 − t) · ε,    conditional vector field u_t(x_t|z) = z − ε  (constant along each line)
 * </pre>
 */
public final class LinearScheduler implements Scheduler {
    @Override
    public double alpha(double t) {
        return t;
    }

    @Override
    public double beta(double t) {
        return 1 - t;
    }

    @Override
    public double alphaDot(double t) {
        return 1;
    }

    @Override
    public double betaDot(double t) {
        return -1;
    }

    @Override
    public String toString() {
        return "LinearScheduler(alpha=t, beta=1-t)";
    }
}
