package kindling.generative;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * A Gaussian conditional probability path, the lectures' p_t(x|z): for each data point z a curve of
 * Gaussians from pure noise (t = 0) to z itself (t = 1), shaped by a {@link Scheduler}.
 * <pre>
 *   conditional probability path:  p_t(x|z) = N(α_t z, β_t² I)       sample: x_t = α_t z + β_t ε
 *   marginal probability path:     p_t(x) = ∫ p_t(x|z) p_data(z) dz   p_0 = N(0, I), p_1 = p_data
 * </pre>
 * From the path follow the two training targets in closed form, one for each kind of model:
 * <pre>
 *   conditional vector field:  u_t(x|z) = (α̇_t − (β̇_t/β_t) α_t) z + (β̇_t/β_t) x
 *                              at x = x_t:  u_t(x_t|z) = α̇_t z + β̇_t ε
 *   conditional score:         ∇ log p_t(x|z) = −(x − α_t z) / β_t²
 *                              at x = x_t:  ∇ log p_t(x_t|z) = −ε / β_t
 * </pre>
 * and, for the marginal vector field u_t(x) and the marginal score ∇ log p_t(x) (what the networks
 * learn), the conversion that holds for every Gaussian path:
 * <pre>
 *   u_t(x) = (α̇_t/α_t) x + (β_t² α̇_t/α_t − β̇_t β_t) ∇ log p_t(x)
 * </pre>
 * This class is the middle of the scheduler → path → solver chain: it samples x_t and gives targets;
 * the losses ({@link FlowMatching}, {@link ScoreMatching}) and the samplers ({@link Samplers}) use it.
 *
 * <p><b>Shape</b>: z, ε and x (N, *), t (N) with t ∈ [0, 1].
 */
public final class GaussianProbabilityPath {
    private final Scheduler scheduler;

    public GaussianProbabilityPath(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** A sample of the conditional probability path: x_t = α_t z + β_t ε, with ε ~ N(0, I) given. */
    public Tensor sample(Tensor z, Tensor noise, Tensor t) {
        check("sample", z, noise, t);
        return coefficient(scheduler::alpha, t, z).mul(z).add(coefficient(scheduler::beta, t, z).mul(noise));
    }

    /**
     * The conditional vector field at a sample of the path: u_t(x_t|z) = α̇_t z + β̇_t ε, the velocity
     * of x_t = α_t z + β_t ε along t for fixed z and ε — the regression target of flow matching.
     */
    public Tensor conditionalVelocity(Tensor z, Tensor noise, Tensor t) {
        check("conditionalVelocity", z, noise, t);
        return coefficient(scheduler::alphaDot, t, z).mul(z).add(coefficient(scheduler::betaDot, t, z).mul(noise));
    }

    /**
     * The conditional vector field at any x: u_t(x|z) = (α̇_t − (β̇_t/β_t) α_t) z + (β̇_t/β_t) x. Its ODE
     * carries x_0 ~ N(0, I) along the conditional probability path to z. Undefined at t = 1 (β = 0).
     */
    public Tensor conditionalVectorField(Tensor x, Tensor z, Tensor t) {
        check("conditionalVectorField", z, x, t);
        Tensor ratio = Times.perSample(t, s -> scheduler.betaDot(s) / scheduler.beta(s), z.dim());
        Tensor zWeight = Times.perSample(t, s -> scheduler.alphaDot(s)
                - scheduler.betaDot(s) / scheduler.beta(s) * scheduler.alpha(s), z.dim());
        return zWeight.mul(z).add(ratio.mul(x));
    }

    /** The conditional score: ∇ log p_t(x|z) = −(x − α_t z) / β_t². Undefined at t = 1 (β = 0). */
    public Tensor conditionalScore(Tensor x, Tensor z, Tensor t) {
        check("conditionalScore", z, x, t);
        Tensor alpha = coefficient(scheduler::alpha, t, z);
        Tensor inverseVariance = Times.perSample(t, s -> 1 / (scheduler.beta(s) * scheduler.beta(s)), z.dim());
        return x.sub(alpha.mul(z)).mul(inverseVariance).neg();
    }

    /**
     * The marginal vector field from a marginal score, by the conversion formula
     * u_t(x) = (α̇_t/α_t) x + (β_t² α̇_t/α_t − β̇_t β_t) s_t(x). Undefined at t = 0, where α_0 = 0.
     */
    public VectorField vectorFieldFromScore(VectorField score) {
        return (x, t) -> {
            Tensor xWeight = Times.perSample(t, s -> scheduler.alphaDot(s) / scheduler.alpha(s), x.dim());
            Tensor scoreWeight = Times.perSample(t, s -> scheduler.beta(s) * scheduler.beta(s) * scheduler.alphaDot(s)
                    / scheduler.alpha(s) - scheduler.betaDot(s) * scheduler.beta(s), x.dim());
            return xWeight.mul(x).add(scoreWeight.mul(score.apply(x, t)));
        };
    }

    /**
     * The marginal score from a marginal vector field, the same formula solved for the score:
     * s_t(x) = (α_t u_t(x) − α̇_t x) / (β_t² α̇_t − α_t β̇_t β_t). Defined at t = 0, undefined at t = 1 (β = 0);
     * for the linear schedule s_t(x) = (t · u_t(x) − x) / (1 − t).
     */
    public VectorField scoreFromVectorField(VectorField vectorField) {
        return (x, t) -> {
            Tensor uWeight = Times.perSample(t, s -> scheduler.alpha(s) / denominator(s), x.dim());
            Tensor xWeight = Times.perSample(t, s -> scheduler.alphaDot(s) / denominator(s), x.dim());
            return uWeight.mul(vectorField.apply(x, t)).sub(xWeight.mul(x));
        };
    }

    /**
     * The score of a noise predictor ε^θ_t(x) ≈ E[ε | x_t = x] (the DDPM parametrisation):
     * s_t(x) = −ε^θ_t(x) / β_t, because the conditional score at x_t is −ε / β_t. Undefined at t = 1.
     */
    public VectorField scoreFromNoisePredictor(VectorField noisePredictor) {
        return (x, t) -> noisePredictor.apply(x, t).mul(Times.perSample(t, s -> -1 / scheduler.beta(s), x.dim()));
    }

    private double denominator(double t) {
        double beta = scheduler.beta(t);
        return beta * beta * scheduler.alphaDot(t) - scheduler.alpha(t) * scheduler.betaDot(t) * beta;
    }

    private static Tensor coefficient(java.util.function.DoubleUnaryOperator f, Tensor t, Tensor like) {
        return Times.perSample(t, f, like.dim());
    }

    private static void check(String op, Tensor z, Tensor other, Tensor t) {
        if (!java.util.Arrays.equals(z.shape(), other.shape()) || z.dim() < 1 || t.dim() != 1 || t.size(0) != z.size(0)) {
            throw new ShapeException("GaussianProbabilityPath." + op + ": expected two tensors (N, *) of the same shape and "
                    + "times (N), but got " + Shape.format(z.shape()) + ", " + Shape.format(other.shape()) + " and "
                    + Shape.format(t.shape()));
        }
    }
}
