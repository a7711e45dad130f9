package kindling.generative;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Denoising score matching (Vincent 2011; Song &amp; Ermon 2019), the training objective of a score
 * model s^θ_t(x) ≈ ∇ log p_t(x), in two parametrisations.
 * <pre>
 *   score network:       L_DSM(θ) = E_{t, z, ε} ‖s^θ_t(x_t) − ∇ log p_t(x_t|z)‖² = E ‖s^θ_t(x_t) + ε/β_t‖²
 *   noise predictor:     L_ε(θ)   = E_{t, z, ε} ‖ε^θ_t(x_t) − ε‖²            with s^θ_t = −ε^θ_t / β_t
 *                        x_t = α_t z + β_t ε
 * </pre>
 * As for flow matching, the marginal score ∇ log p_t(x) is unknown but the conditional score
 * ∇ log p_t(x|z) = −(x − α_t z)/β_t² is Gaussian and closed-form, and regressing on it has the same
 * gradient as regressing on the marginal one. The target −ε/β_t grows without bound as t → 1 (β → 0),
 * so the plain loss is dominated by the times near the data; the noise predictor's loss is
 * L_DSM weighted by β_t² (since ‖ε^θ − ε‖² = β_t² ‖s^θ + ε/β_t‖²), which keeps every time's target of
 * size 1 — the parametrisation DDPM uses (Ho, Jain &amp; Abbeel 2020).
 *
 * <p>Each squared norm is summed over the sample's coordinates and averaged over the batch.
 */
public final class ScoreMatching {
    private ScoreMatching() {
    }

    /** L_DSM = (1/N) Σ_n ‖s^θ_{t_n}(x_n) + ε_n/β_{t_n}‖², x_n = α z_n + β ε_n, on given t (N) and ε (N, *). */
    public static Tensor denoisingScoreMatchingLoss(VectorField scoreModel, GaussianProbabilityPath path,
                                                    Tensor z, Tensor t, Tensor noise) {
        Tensor x = path.sample(z, noise, t);
        Tensor target = path.conditionalScore(x, z, t);
        return FlowMatching.meanSquaredNorm(scoreModel.apply(x, t).sub(target));
    }

    /** L_DSM with t ~ U[0, 1) and ε ~ N(0, I) drawn from {@code generator}. */
    public static Tensor denoisingScoreMatchingLoss(VectorField scoreModel, GaussianProbabilityPath path,
                                                    Tensor z, Generator generator) {
        Tensor t = Tensor.rand(generator, z.size(0));
        return denoisingScoreMatchingLoss(scoreModel, path, z, t, Tensor.randn(generator, z.shape()));
    }

    /** L_ε = (1/N) Σ_n ‖ε^θ_{t_n}(x_n) − ε_n‖², x_n = α z_n + β ε_n, on given t (N) and ε (N, *). */
    public static Tensor noisePredictionLoss(VectorField noisePredictor, GaussianProbabilityPath path,
                                             Tensor z, Tensor t, Tensor noise) {
        Tensor x = path.sample(z, noise, t);
        return FlowMatching.meanSquaredNorm(noisePredictor.apply(x, t).sub(noise));
    }

    /** L_ε with t ~ U[0, 1) and ε ~ N(0, I) drawn from {@code generator}. */
    public static Tensor noisePredictionLoss(VectorField noisePredictor, GaussianProbabilityPath path,
                                             Tensor z, Generator generator) {
        Tensor t = Tensor.rand(generator, z.size(0));
        return noisePredictionLoss(noisePredictor, path, z, t, Tensor.randn(generator, z.shape()));
    }
}
