package kindling.generative;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The Euler–Maruyama method for the SDE dX_t = u_t(X_t) dt + σ_t(X_t) dW_t: an Euler step of the
 * drift plus a Brownian increment of variance h scaled by the diffusion coefficient.
 * <pre>
 *   X_{t+h} = X_t + h · u_t(X_t) + σ_t(X_t) · √h · ε,      ε ~ N(0, I), fresh at each step
 * </pre>
 * √h, not h: the increment W_{t+h} − W_t of a Brownian motion has variance h, so its size is √h.
 * With σ = 0 this is {@link EulerSolver}. The noise comes from the given {@link Generator}, so a seed
 * repeats a simulation exactly.
 */
public final class EulerMaruyamaSolver extends Solver {
    private final VectorField drift;
    private final DiffusionCoefficient diffusion;
    private final Generator generator;

    public EulerMaruyamaSolver(VectorField drift, DiffusionCoefficient diffusion, Generator generator) {
        this.drift = drift;
        this.diffusion = diffusion;
        this.generator = generator;
    }

    @Override
    public Tensor step(Tensor x, float t, float h) {
        Tensor times = Times.full(x.size(0), t);
        Tensor u = drift.apply(x, times);
        Tensor sigma = diffusion.apply(x, times);
        Tensor noise = Tensor.randn(generator, x.shape()).mul((float) Math.sqrt(h));
        return x.add(u.mul(h)).add(sigma.mul(noise));
    }
}
