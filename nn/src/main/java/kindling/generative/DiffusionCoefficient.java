package kindling.generative;

import kindling.tensor.Tensor;

/**
 * The diffusion coefficient σ_t(x) of a stochastic differential equation: how much Brownian noise is
 * injected per unit of time.
 * <pre>
 *   dX_t = u_t(X_t) dt + σ_t(X_t) dW_t,      W_t a Brownian motion: W_{t+h} − W_t ~ N(0, h·I)
 * </pre>
 * σ = 0 gives back the ODE of the drift u. The result must broadcast against x: a per-sample value
 * (N, 1, …, 1), a full (N, *) tensor, or a scalar tensor, as {@link #constant} returns.
 */
@FunctionalInterface
public interface DiffusionCoefficient {
    /** σ_t(x): x (N, *), t (N) → a tensor that broadcasts against x. */
    Tensor apply(Tensor x, Tensor t);

    /** σ_t(x) = σ, the same for every time and place (Brownian motion, Ornstein–Uhlenbeck, Langevin). */
    static DiffusionCoefficient constant(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("DiffusionCoefficient.constant: sigma must be a number ≥ 0, got " + sigma);
        }
        Tensor value = Tensor.scalar((float) sigma);
        return (x, t) -> value;
    }
}
