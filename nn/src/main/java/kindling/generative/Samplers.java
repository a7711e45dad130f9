package kindling.generative;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Sampling from a trained flow or diffusion model: start from noise X_0 ~ N(0, I) and simulate from
 * t = 0 to t = 1, where the marginal probability path reaches the data distribution.
 * <pre>
 *   flow model (ODE):        dX_t = u^θ_t(X_t) dt
 *   diffusion model (SDE):   dX_t = [u^θ_t(X_t) + (σ_t²/2) · s^θ_t(X_t)] dt + σ_t dW_t
 * </pre>
 * Why the SDE has the same marginals p_t as the ODE, for every σ_t ≥ 0: the extra drift (σ_t²/2) ∇log p_t
 * is the Langevin term. Alone, dX = (σ²/2) ∇log p(X) dt + σ dW leaves p unchanged (Langevin dynamics
 * samples p); added to the flow it keeps every p_t on the path while the noise corrects errors the
 * ODE would carry along. σ = 0 gives back the ODE. With a perfect u and s both samplers give exact
 * samples as the step size goes to 0; with learned ones the choice of σ trades the two errors.
 *
 * <p>To sample with the score alone, take u from it by
 * {@link GaussianProbabilityPath#vectorFieldFromScore} (which divides by α_t, so start after t = 0), or
 * the score from a flow model by {@link GaussianProbabilityPath#scoreFromVectorField}.
 */
public final class Samplers {
    private Samplers() {
    }

    /** The ODE sampler with Euler's method: X_1 from X_0 = x0 in {@code steps} steps of h = 1/steps. */
    public static Tensor sampleODE(VectorField vectorField, Tensor x0, int steps) {
        return new EulerSolver(vectorField).simulate(x0, Times.uniform(0, 1, steps));
    }

    /** The drift of the SDE sampler: u_t(x) + (σ_t(x)²/2) · s_t(x), the vector field plus the Langevin term. */
    public static VectorField langevinDrift(VectorField vectorField, VectorField score, DiffusionCoefficient sigma) {
        return (x, t) -> {
            Tensor s = sigma.apply(x, t);
            return vectorField.apply(x, t).add(s.mul(s).mul(0.5f).mul(score.apply(x, t)));
        };
    }

    /**
     * The SDE sampler with Euler–Maruyama: X_1 from X_0 = x0 in {@code steps} steps of h = 1/steps,
     * drift {@link #langevinDrift}, diffusion coefficient σ_t.
     */
    public static Tensor sampleSDE(VectorField vectorField, VectorField score, DiffusionCoefficient sigma,
                                   Tensor x0, int steps, Generator generator) {
        EulerMaruyamaSolver solver = new EulerMaruyamaSolver(langevinDrift(vectorField, score, sigma), sigma, generator);
        return solver.simulate(x0, Times.uniform(0, 1, steps));
    }
}
