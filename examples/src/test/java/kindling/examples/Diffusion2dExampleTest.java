package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.examples.generative.Toy2d;
import kindling.generative.GaussianProbabilityPath;
import kindling.generative.LinearScheduler;
import kindling.generative.VectorField;
import kindling.tensor.Generator;
import org.junit.jupiter.api.Test;

class Diffusion2dExampleTest {

    @Test
    void aNoisePredictorTrainsAndItsSdeSamplesApproachTheTarget() {
        GaussianProbabilityPath path = new GaussianProbabilityPath(new LinearScheduler());
        Diffusion2dExample.TrainedNoise noise = Diffusion2dExample.trainNoisePredictor(Toy2d.MIXTURE, path, 300, 0);
        double[] losses = noise.losses();
        assertTrue(losses[losses.length - 1] < losses[0], "the loss should fall: " + losses[0] + " → " + losses[losses.length - 1]);
        Flow2dExample.TrainedModel flow = Flow2dExample.train(Toy2d.MIXTURE, 300, 0);
        VectorField score = path.scoreFromNoisePredictor(noise.model());
        Diffusion2dExample.Comparison comparison = Diffusion2dExample.compare(flow.model(), score, path, Toy2d.MIXTURE, 500, 0);
        // noise is ~1.2 from the mixture: every sampler must land far nearer
        assertTrue(comparison.ode() < 0.6 && comparison.sde()[1] < 0.6 && comparison.decaying() < 0.6
                && comparison.scoreOnly() < 0.6, comparison.toString());
        List<Diffusion2dExample.Agreement> agreements = Diffusion2dExample.agreement(flow.model(), score, path, Toy2d.MIXTURE,
                new Generator(2));
        // after 300 steps the two networks agree roughly at t = ¼ and ½; near the data (t = ¾) the conversion
        // multiplies the flow's error by t/(1 − t) = 3, and only the full run's 3000 steps bring it down
        for (Diffusion2dExample.Agreement agreement : agreements.subList(0, 2)) {
            assertTrue(agreement.relativeSquaredError() < 0.5, "the two networks' scores should roughly agree: " + agreement);
        }
    }
}
