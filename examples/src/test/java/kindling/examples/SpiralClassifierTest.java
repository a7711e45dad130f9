package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpiralClassifierTest {

    @Test
    void anMlpSeparatesTheSpiralsThatNoLineCan() {
        // Chance is 33%; the spirals wind around each other, so only a non-linear model gets near 100%.
        float accuracy = SpiralClassifier.train(300, false);
        assertTrue(accuracy > 0.9f, "training accuracy " + accuracy);
    }
}
