package kindling.generative;

import kindling.tensor.Tensor;

/**
 * A time-dependent vector field u_t(x): the right-hand side of an ordinary differential equation
 * and the drift of a stochastic one.
 * <pre>
 *   ODE:   dX_t = u_t(X_t) dt
 *   SDE:   dX_t = u_t(X_t) dt + σ_t dW_t          (u is then called the drift)
 * </pre>
 * In the lectures' words a vector field is the object a flow model learns: the ODE it defines
 * carries noise at t = 0 to data at t = 1. The same interface holds a known field (the
 * Ornstein–Uhlenbeck drift −θx, a closed-form score), a conditional vector field u_t(x|z), and a
 * neural network u^θ_t(x), so every solver and sampler takes any of them. A score network
 * s^θ_t(x) ≈ ∇log p_t(x) has the same signature and is a {@code VectorField} too.
 *
 * <p><b>Shape</b>: x (N, *) — N samples of any shape, e.g. points (N, 2) or images (N, C, H, W); t (N),
 * one time per sample (a solver passes the same time N times; a training loss passes a different
 * time per sample); the result has the shape of x. {@link Times#perSample} turns t into (N, 1, …, 1)
 * so that it broadcasts against x.
 */
@FunctionalInterface
public interface VectorField {
    /** u_t(x) for each sample: x (N, *), t (N) → (N, *). */
    Tensor apply(Tensor x, Tensor t);
}
