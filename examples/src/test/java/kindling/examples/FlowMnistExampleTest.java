package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.models.UNet;
import kindling.generative.VectorField;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowMnistExampleTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void theUNetMapsAnImageTimeAndClassToAFieldOfTheImagesShape() {
        Generator.manualSeed(0);
        UNet net = new UNet(8, 10);
        Tensor x = Tensor.randn(3, 1, 28, 28);
        Tensor out = net.forward(x, Tensor.of(new float[] {0f, 0.5f, 1f}, 3), Tensor.of(new float[] {0f, 9f, 10f}, 3));
        assertArrayEquals(new int[] {3, 1, 28, 28}, out.shape());
        assertEquals(10, net.nullClass());
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        net.traceShapes(new PrintStream(trace, true, StandardCharsets.UTF_8));
        assertTrue(trace.toString(StandardCharsets.UTF_8).contains("middle                     [1, 16, 7, 7]"), trace.toString());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> net.forward(x));
        assertTrue(e.getMessage().contains("forward(x, t, y)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UNet(12, 10));
    }

    @Test
    void guidanceMixesTheConditionalAndUnconditionalFields() {
        Generator.manualSeed(1);
        UNet net = new UNet(8, 10);
        Tensor x = Tensor.randn(2, 1, 28, 28);
        Tensor t = Tensor.of(new float[] {0.3f, 0.3f}, 2);
        Tensor y = Tensor.of(new float[] {2f, 7f}, 2);
        Tensor conditional = net.forward(x, t, y);
        Tensor unconditional = net.forward(x, t, Tensor.full(10f, 2));
        assertClose(unconditional, FlowMnistExample.guided(net, y, 0).apply(x, t));
        assertClose(conditional, FlowMnistExample.guided(net, y, 1).apply(x, t));
        VectorField w3 = FlowMnistExample.guided(net, y, 3);
        assertClose(unconditional.mul(-2f).add(conditional.mul(3f)), w3.apply(x, t));    // (1 − 3)·u∅ + 3·u_y
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path folder) throws IOException {
        ImageData full = FashionMnist.loadBundledSubset();
        ImageData small = new ImageData(full.name(), new TensorDataset(full.train().inputs().narrow(0, 0, 64),
                full.train().targets().narrow(0, 0, 64)), full.test(), full.classes(), full.source());
        Generator.manualSeed(2);
        FlowMnistExample.Run straight = FlowMnistExample.train(small, settings(6, folder.resolve("a"), false), QUIET);
        Generator.manualSeed(2);
        FlowMnistExample.train(small, settings(3, folder.resolve("b"), false), QUIET);
        Generator.manualSeed(99);                                 // the resumed model's fresh weights are overwritten
        FlowMnistExample.Run resumed = FlowMnistExample.train(small, settings(6, folder.resolve("b"), true), QUIET);

        // Equal up to float rounding: the kernels may split sums over threads differently from run to run.
        assertArrayEquals(straight.losses(), resumed.losses(), 1e-6 * straight.losses()[0]);
        assertTrue(straight.losses()[5] < straight.losses()[0], "six Adam steps lower the loss: "
                + java.util.Arrays.toString(straight.losses()));
        // The two networks compute the same field. (Their weights are compared through it: a conv bias
        // just before a GroupNorm with one channel per group gets a zero gradient, which Adam turns
        // into steps of ±lr from rounding noise, so such weights may differ while the outputs do not.)
        Tensor x = Tensor.randn(new Generator(5), 2, 1, 28, 28);
        Tensor t = Tensor.of(new float[] {0.2f, 0.9f}, 2);
        Tensor y = Tensor.of(new float[] {3f, 10f}, 2);
        assertClose(straight.model().forward(x, t, y), resumed.model().forward(x, t, y));
    }

    @Test
    void samplesAreImagesInTheUnitRange() {
        Generator.manualSeed(3);
        UNet net = new UNet(8, 10);
        Tensor images = FlowMnistExample.sample(net, Tensor.of(new float[] {1f, 4f}, 2), 2.0, 2, new Generator(4));
        assertArrayEquals(new int[] {2, 1, 28, 28}, images.shape());
        assertTrue(images.min().item() >= 0f && images.max().item() <= 1f);
    }

    private static FlowMnistExample.Settings settings(int steps, Path run, boolean resume) {
        return new FlowMnistExample.Settings(steps, 8, 8, 1e-3f, 0.1, new double[] {1}, 2, 1, 3, run, resume, 0);
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4f * (1 + Math.abs(e[i])), "element " + i);
        }
    }
}
