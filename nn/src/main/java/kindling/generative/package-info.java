/**
 * Generative models by simulation, in the words of MIT 6.S184: ODEs and SDEs and their solvers,
 * Gaussian probability paths, the flow- and score-matching losses, and the samplers.
 *
 * <p>Read in this order, which is also the chain the pieces form (the separation of Meta's
 * flow_matching library: scheduler → path → solver):
 * <ol>
 *   <li>{@link kindling.generative.VectorField} and {@link kindling.generative.DiffusionCoefficient}: the
 *       drift u_t(x) and the diffusion coefficient σ_t of dX = u_t(X) dt + σ_t dW;
 *   <li>{@link kindling.generative.Solver} and its steps {@link kindling.generative.EulerSolver},
 *       {@link kindling.generative.HeunSolver}, {@link kindling.generative.EulerMaruyamaSolver}, which
 *       return the final state or the whole {@link kindling.generative.Trajectory};
 *   <li>{@link kindling.generative.Scheduler} (α_t, β_t and their derivatives:
 *       {@link kindling.generative.LinearScheduler}, {@link kindling.generative.CosineScheduler},
 *       {@link kindling.generative.SquareRootScheduler}) and
 *       {@link kindling.generative.GaussianProbabilityPath}, the conditional probability path
 *       p_t(x|z) = N(α_t z, β_t² I) with its conditional vector field and conditional score;
 *   <li>{@link kindling.generative.FlowMatching} and {@link kindling.generative.ScoreMatching}, the losses;
 *   <li>{@link kindling.generative.Samplers}: the ODE of a learned vector field, the SDE with the
 *       Langevin term.
 * </ol>
 * Time runs from noise (t = 0) to data (t = 1). Batches are (N, *): points (N, 2) or images
 * (N, C, H, W), with one time per sample, t (N). {@code docs/generative.md} derives every formula.
 */
package kindling.generative;
