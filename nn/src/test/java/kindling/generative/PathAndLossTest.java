package kindling.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.autograd.GradCheck;
import kindling.nn.Linear;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Schedulers, the Gaussian path's identities, the two losses by hand, and the samplers on targets with known answers. */
class PathAndLossTest {
    private static final List<Scheduler> SCHEDULERS = List.of(new LinearScheduler(), new CosineScheduler(), new SquareRootScheduler());

    // z = [[1, 2], [3, −1]], ε = [[0, 1], [−1, 0]], t = [0.5, 0.25] with the linear schedule:
    //   x_t = t z + (1 − t) ε = [[0.5, 1.5], [0, −0.25]]
    //   u_t(x_t|z) = z − ε = [[1, 1], [4, −1]]
    //   ∇ log p_t(x_t|z) = −ε/(1 − t) = [[0, −2], [4/3, 0]]
    private static final Tensor Z = Tensor.of(new float[][] {{1, 2}, {3, -1}});
    private static final Tensor NOISE = Tensor.of(new float[][] {{0, 1}, {-1, 0}});
    private static final Tensor T = Tensor.of(new float[] {0.5f, 0.25f}, 2);
    private static final GaussianProbabilityPath LINEAR = new GaussianProbabilityPath(new LinearScheduler());

    @Test
    void schedulersStartAtNoiseEndAtDataAndHaveTheirDerivatives() {
        for (Scheduler s : SCHEDULERS) {
            assertEquals(0, s.alpha(0), 1e-12, s + " α_0");
            assertEquals(1, s.beta(0), 1e-12, s + " β_0");
            assertEquals(1, s.alpha(1), 1e-12, s + " α_1");
            assertEquals(0, s.beta(1), 1e-12, s + " β_1");
            for (double t = 0.05; t < 0.96; t += 0.1) {
                double d = 1e-6;
                assertEquals((s.alpha(t + d) - s.alpha(t - d)) / (2 * d), s.alphaDot(t), 1e-6, s + " α̇ at " + t);
                assertEquals((s.beta(t + d) - s.beta(t - d)) / (2 * d), s.betaDot(t), 1e-6, s + " β̇ at " + t);
            }
        }
    }

    @Test
    void pathSampleAndTargetsByHand() {
        assertArrayEquals(new float[] {0.5f, 1.5f, 0, -0.25f}, LINEAR.sample(Z, NOISE, T).toArray(), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 4, -1}, LINEAR.conditionalVelocity(Z, NOISE, T).toArray(), 1e-6f);
        Tensor x = LINEAR.sample(Z, NOISE, T);
        assertArrayEquals(new float[] {0, -2, 4f / 3, 0}, LINEAR.conditionalScore(x, Z, T).toArray(), 1e-6f);
    }

    @Test
    void conditionalVectorFieldAndScoreAtASampleAreTheirEpsilonForms() {
        Generator g = new Generator(4);
        Tensor z = Tensor.randn(g, 6, 3);
        Tensor noise = Tensor.randn(g, 6, 3);
        Tensor t = Tensor.rand(g, 6).mul(0.9f);
        for (Scheduler s : SCHEDULERS) {
            GaussianProbabilityPath path = new GaussianProbabilityPath(s);
            Tensor x = path.sample(z, noise, t);
            assertArrayEquals(path.conditionalVelocity(z, noise, t).toArray(), path.conditionalVectorField(x, z, t).toArray(),
                    1e-4f, s + ": u_t(x_t|z) = α̇ z + β̇ ε");
            Tensor minusNoiseOverBeta = noise.mul(Times.perSample(t, u -> -1 / s.beta(u), 2));
            assertArrayEquals(minusNoiseOverBeta.toArray(), path.conditionalScore(x, z, t).toArray(), 1e-4f,
                    s + ": ∇log p_t(x_t|z) = −ε/β");
        }
    }

    @Test
    void scoreAndVectorFieldConvertIntoEachOther() {
        // for data = a single point z0 the marginal path is the conditional one, so the conversion
        // must turn the conditional score into the conditional vector field, and back
        Generator g = new Generator(5);
        Tensor z0 = Tensor.randn(g, 1, 2).expand(8, 2).contiguous();
        Tensor x = Tensor.randn(g, 8, 2);
        Tensor t = Tensor.rand(g, 8).mul(0.8f).add(0.1f);
        for (Scheduler s : SCHEDULERS) {
            GaussianProbabilityPath path = new GaussianProbabilityPath(s);
            VectorField score = (y, u) -> path.conditionalScore(y, z0, u);
            VectorField field = (y, u) -> path.conditionalVectorField(y, z0, u);
            assertArrayEquals(field.apply(x, t).toArray(), path.vectorFieldFromScore(score).apply(x, t).toArray(), 1e-3f,
                    s + ": u from s");
            assertArrayEquals(score.apply(x, t).toArray(), path.scoreFromVectorField(field).apply(x, t).toArray(), 1e-3f,
                    s + ": s from u");
            VectorField noisePredictor = (y, u) -> y.sub(z0.mul(Times.perSample(u, s::alpha, 2)))
                    .mul(Times.perSample(u, v -> 1 / s.beta(v), 2));
            assertArrayEquals(score.apply(x, t).toArray(), path.scoreFromNoisePredictor(noisePredictor).apply(x, t).toArray(),
                    1e-3f, s + ": s from ε̂");
        }
    }

    @Test
    void flowMatchingLossByHand() {
        // u^θ = 0: (‖(1, 1)‖² + ‖(4, −1)‖²)/2 = (2 + 17)/2 = 9.5
        assertEquals(9.5f, FlowMatching.conditionalFlowMatchingLoss((x, t) -> Tensor.zerosLike(x), LINEAR, Z, T, NOISE).item(), 1e-6f);
        // u^θ(x) = x: differences x_t − target = [[−0.5, 0.5], [−4, 0.75]]: (0.5 + 16.5625)/2 = 8.53125
        assertEquals(8.53125f, FlowMatching.conditionalFlowMatchingLoss((x, t) -> x, LINEAR, Z, T, NOISE).item(), 1e-6f);
        // cosine path at t = 1/2, z = (1, 0), ε = (0, 1): target (π/2)(√½, −√½), ‖·‖² = π²/4
        GaussianProbabilityPath cosine = new GaussianProbabilityPath(new CosineScheduler());
        Tensor loss = FlowMatching.conditionalFlowMatchingLoss((x, t) -> Tensor.zerosLike(x), cosine,
                Tensor.of(new float[][] {{1, 0}}), Tensor.of(new float[] {0.5f}, 1), Tensor.of(new float[][] {{0, 1}}));
        assertEquals(Math.PI * Math.PI / 4, loss.item(), 1e-5);
    }

    @Test
    void scoreMatchingLossesByHand() {
        // s^θ = 0: (‖(0, −2)‖² + ‖(4/3, 0)‖²)/2 = (4 + 16/9)/2 = 26/9
        assertEquals(26.0 / 9, ScoreMatching.denoisingScoreMatchingLoss((x, t) -> Tensor.zerosLike(x), LINEAR, Z, T, NOISE).item(), 1e-5);
        // ε^θ = 0: (‖(0, 1)‖² + ‖(−1, 0)‖²)/2 = 1
        assertEquals(1f, ScoreMatching.noisePredictionLoss((x, t) -> Tensor.zerosLike(x), LINEAR, Z, T, NOISE).item(), 1e-6f);
        // the exact conditional score and noise give zero
        assertEquals(0f, ScoreMatching.noisePredictionLoss((x, t) -> NOISE, LINEAR, Z, T, NOISE).item(), 1e-6f);
        assertEquals(0f, ScoreMatching.denoisingScoreMatchingLoss((x, t) -> LINEAR.conditionalScore(x, Z, t), LINEAR, Z, T, NOISE)
                .item(), 1e-5f);
    }

    @Test
    void lossesAreDifferentiableInTheModel() {
        Linear net = new Linear(3, 2);
        VectorField model = (x, t) -> net.forward(Tensor.cat(1, x, t.reshape(-1, 1)));
        GradCheck.Result r = GradCheck.check(in -> FlowMatching.conditionalFlowMatchingLoss(model, LINEAR, Z, T, NOISE),
                net.weight, net.bias);
        assertTrue(r.passed(), "flow matching: " + r);
        r = GradCheck.check(in -> ScoreMatching.noisePredictionLoss(model, LINEAR, Z, T, NOISE), net.weight, net.bias);
        assertTrue(r.passed(), "noise prediction: " + r);
        net.zeroGrad();
        FlowMatching.conditionalFlowMatchingLoss(model, LINEAR, Z, new Generator(1)).backward();
        assertNotNull(net.weight.grad());
    }

    @Test
    void theOdeOfTheConditionalVectorFieldReachesItsDataPoint() {
        // linear path: u_t(x|z) = (z − x)/(1 − t); Euler's last step, from t = 1 − h, lands exactly on z
        Tensor z = Tensor.of(new float[][] {{2, -1}}).expand(50, 2).contiguous();
        Tensor x1 = Samplers.sampleODE((x, t) -> LINEAR.conditionalVectorField(x, z, t), Tensor.randn(new Generator(6), 50, 2), 20);
        assertArrayEquals(z.toArray(), x1.toArray(), 1e-5f);
    }

    @Test
    void theLangevinSdeSamplesAGaussianTargetForEverySigma() {
        // data N(μ, s²): marginal p_t = N(α μ, v_t), v_t = α² s² + β²; exact score −(x − αμ)/v_t and
        // exact vector field αdot μ + (v̇_t / 2v_t)(x − αμ)
        double mu = 1.5;
        double s2 = 0.25;
        Scheduler sch = new LinearScheduler();
        VectorField score = (x, t) -> x.sub(Times.perSample(t, u -> sch.alpha(u) * mu, 2))
                .mul(Times.perSample(t, u -> -1 / variance(sch, u, s2), 2));
        VectorField field = (x, t) -> x.sub(Times.perSample(t, u -> sch.alpha(u) * mu, 2))
                .mul(Times.perSample(t, u -> (sch.alpha(u) * sch.alphaDot(u) * s2 + sch.beta(u) * sch.betaDot(u))
                        / variance(sch, u, s2), 2))
                .add(Times.perSample(t, u -> sch.alphaDot(u) * mu, 2));
        int n = 20_000;
        for (double sigma : new double[] {0, 1}) {
            Tensor x1 = Samplers.sampleSDE(field, score, DiffusionCoefficient.constant(sigma),
                    Tensor.randn(new Generator(7), n, 1), 200, new Generator(8));
            SolverTest.Moments m = SolverTest.Moments.of(x1);
            assertEquals(mu, m.mean(), 0.03, "σ = " + sigma + ": mean");
            assertEquals(s2, m.variance(), 0.03, "σ = " + sigma + ": variance");
        }
    }

    private static double variance(Scheduler s, double t, double s2) {
        return s.alpha(t) * s.alpha(t) * s2 + s.beta(t) * s.beta(t);
    }

    @Test
    void shapeErrorsNameThePathOperation() {
        ShapeException e = assertThrows(ShapeException.class, () -> LINEAR.sample(Z, Tensor.zeros(2, 3), T));
        assertTrue(e.getMessage().contains("GaussianProbabilityPath.sample") && e.getMessage().contains("(2, 3)"), e.getMessage());
        assertThrows(ShapeException.class, () -> LINEAR.conditionalVelocity(Z, NOISE, Tensor.zeros(3)));
    }
}
