package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.NoGrad;
import kindling.examples.models.EmbeddingNet;
import kindling.nn.Sequential;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TripletExampleTest {
    @Test
    void embeddingInBlocksOf500EqualsOneEvalForwardAndRestoresTrainingMode() {
        Generator.manualSeed(0);
        Sequential net = EmbeddingNet.create(4);
        Tensor images = Tensor.rand(new Generator(1), 503, 1, 28, 28);   // blocks of 500 and 3
        Tensor blocks = TripletExample.embed(net, images);
        assertTrue(net.isTraining(), "embed must give the network back in training mode");
        net.eval();
        Tensor whole;
        try (NoGrad ignored = NoGrad.enter()) {
            whole = net.forward(images);
        }
        assertArrayEquals(new int[] {503, 4}, blocks.shape());
        float[] expected = whole.toArray();
        float[] actual = blocks.toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void labelsAreTheRoundedTargets() {
        assertArrayEquals(new int[] {0, 9, 3}, TripletExample.labels(Tensor.of(new float[] {0f, 9f, 3f}, 3)));
    }
}
