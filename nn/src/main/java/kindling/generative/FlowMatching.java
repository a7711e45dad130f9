package kindling.generative;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The conditional flow-matching loss (Lipman et al. 2023; Liu et al. 2023), the training objective of
 * a flow model u^θ_t(x).
 * <pre>
 *   L_CFM(θ) = E_{t ~ U[0,1], z ~ p_data, x ~ p_t(·|z)} ‖u^θ_t(x) − u_t(x|z)‖²
 *            = E_{t, z, ε ~ N(0,I)} ‖u^θ_t(α_t z + β_t ε) − (α̇_t z + β̇_t ε)‖²
 * </pre>
 * Why it works: the marginal loss ‖u^θ_t(x) − u_t(x)‖² would need the marginal vector field
 * u_t(x) = ∫ u_t(x|z) p_t(z|x) dz, which nobody can compute. But expanding both squares, the two losses
 * differ only by a constant that does not depend on θ (the term in u^θ·u is the same because u_t(x)
 * is the conditional expectation of u_t(x|z) given x), so their gradients agree: regressing on the
 * tractable conditional vector field trains the network towards the marginal one.
 *
 * <p>The expectation is estimated on a batch: the squared norm is summed over each sample's
 * coordinates and averaged over the batch, as in the MIT 6.S184 lab.
 */
public final class FlowMatching {
    private FlowMatching() {
    }

    /**
     * L_CFM on a batch of data points z (N, *) with given times t (N) and noise ε (N, *):
     * (1/N) Σ_n ‖u^θ_{t_n}(α z_n + β ε_n) − (α̇ z_n + β̇ ε_n)‖². Differentiable in the model's parameters.
     */
    public static Tensor conditionalFlowMatchingLoss(VectorField model, GaussianProbabilityPath path,
                                                     Tensor z, Tensor t, Tensor noise) {
        Tensor x = path.sample(z, noise, t);
        Tensor target = path.conditionalVelocity(z, noise, t);
        return meanSquaredNorm(model.apply(x, t).sub(target));
    }

    /** L_CFM with t ~ U[0, 1) and ε ~ N(0, I) drawn from {@code generator}, one per data point. */
    public static Tensor conditionalFlowMatchingLoss(VectorField model, GaussianProbabilityPath path,
                                                     Tensor z, Generator generator) {
        Tensor t = Tensor.rand(generator, z.size(0));
        Tensor noise = Tensor.randn(generator, z.shape());
        return conditionalFlowMatchingLoss(model, path, z, t, noise);
    }

    /** (1/N) Σ_n ‖d_n‖² for d (N, *): the squared norm of each sample, averaged over the batch. */
    static Tensor meanSquaredNorm(Tensor difference) {
        return difference.mul(difference).sum().div(difference.size(0));
    }
}
