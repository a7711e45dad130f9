package kindling.generative;

/**
 * The cosine schedule (as Meta's flow_matching library's {@code CosineScheduler}): a quarter circle
 * from noise to data, so that α_t² + β_t² = 1 — the variance-preserving family of diffusion models.
 * <pre>
 *   α_t = sin(πt/2),   β_t = cos(πt/2),   α̇_t = (π/2) · cos(πt/2),   β̇_t = −(π/2) · sin(πt/2)
 * </pre>
 * Compared with {@link LinearScheduler} it leaves the data more slowly near t = 1 and the noise more
 * slowly near t = 0.
 */
public final class CosineScheduler implements Scheduler {
    @Override
    public double alpha(double t) {
        return Math.sin(Math.PI / 2 * t);
    }

    @Override
    public double beta(double t) {
        return Math.cos(Math.PI / 2 * t);
    }

    @Override
    public double alphaDot(double t) {
        return Math.PI / 2 * Math.cos(Math.PI / 2 * t);
    }

    @Override
    public double betaDot(double t) {
        return -Math.PI / 2 * Math.sin(Math.PI / 2 * t);
    }

    @Override
    public String toString() {
        return "CosineScheduler(alpha=sin(pi t/2), beta=cos(pi t/2))";
    }
}
