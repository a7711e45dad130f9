package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.examples.generative.Toy2d;
import kindling.tensor.Generator;
import org.junit.jupiter.api.Test;

class Flow2dExampleTest {

    @Test
    void aFewHundredStepsOfFlowMatchingCarryNoiseTowardsTheMixture() {
        Flow2dExample.TrainedModel trained = Flow2dExample.train(Toy2d.MIXTURE, 300, 0);
        assertEquals(300, trained.losses().length);
        double first = (trained.losses()[0] + trained.losses()[1] + trained.losses()[2]) / 3;
        assertTrue(trained.finalLoss() < first, "the loss should fall: " + first + " → " + trained.finalLoss());
        Flow2dExample.Quality quality = Flow2dExample.quality(trained.model(), Toy2d.MIXTURE, 500, new Generator(1));
        // noise is ~1.2 from the mixture; two target samples ~0.25 (500 points); the model must be far nearer the target
        assertTrue(quality.model() < quality.noise() / 2, quality.toString());
        assertTrue(quality.floor().mean() < quality.model() + 0.1, quality.toString());
    }
}
