package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {

    /** Loads the PyTorch-initialised layer's state dict, then compares output and all three gradients. */
    private static void checkAgainstPyTorch(String name, Linear layer) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", LayerGolden.get(name + "_weight"));
        if (layer.bias != null) {
            state.put("bias", LayerGolden.get(name + "_bias"));
        }
        layer.loadStateDict(state);
        Tensor x = LayerGolden.leaf(name + "_x");
        Tensor out = layer.forward(x);
        LayerGolden.assertClose(name + "_out", LayerGolden.get(name + "_out"), out);
        out.mul(LayerGolden.get(name + "_w")).sum().backward();
        LayerGolden.assertClose(name + "_grad_x", LayerGolden.get(name + "_grad_x"), x.grad());
        LayerGolden.assertClose(name + "_grad_weight", LayerGolden.get(name + "_grad_weight"), layer.weight.grad());
        if (layer.bias != null) {
            LayerGolden.assertClose(name + "_grad_bias", LayerGolden.get(name + "_grad_bias"), layer.bias.grad());
        }
    }

    @Test
    void matchesPyTorchAfterLoadingItsStateDict() {
        checkAgainstPyTorch("linear", new Linear(4, 3));
        checkAgainstPyTorch("linear_3d", new Linear(4, 3));
        checkAgainstPyTorch("linear_nobias", new Linear(4, 2, false));
    }

    @Test
    void gradcheckInputAndParameters() {
        Linear layer = new Linear(3, 2);
        Tensor x = Tensor.randn(new Generator(1), 4, 3).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), x, layer.weight, layer.bias);
        assertTrue(r.passed(), r.toString());
        Tensor single = Tensor.randn(new Generator(3), 3).requiresGrad_();     // an unbatched (in) input gives (out)
        assertEquals(1, layer.forward(single).dim());
        r = GradCheck.check(in -> layer.forward(in[0]), single, layer.weight, layer.bias);
        assertTrue(r.passed(), r.toString());
        Linear noBias = new Linear(3, 2, false);
        Tensor x3 = Tensor.randn(new Generator(2), 2, 2, 3).requiresGrad_();
        // x used twice: the gradients of both uses must add up
        r = GradCheck.check(in -> noBias.forward(in[0]).sum(-1).mul(in[0].sum(-1)), x3, noBias.weight);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void defaultInitIsUniformWithinOneOverSqrtFanIn() {
        Generator.manualSeed(7);
        Linear layer = new Linear(100, 400);
        double bound = 1 / Math.sqrt(100);
        float[] w = layer.weight.toArray();
        double sum = 0;
        double sumSquares = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            sum += v;
            sumSquares += v * v;
        }
        int n = w.length;
        // U(−b, b): mean 0, variance b²/3; with 40,000 draws both are within a few standard errors.
        assertEquals(0.0, sum / n, 4 * bound / Math.sqrt(3 * n));
        assertEquals(bound * bound / 3, sumSquares / n, 0.02 * bound * bound);
        double max = 0;
        for (float v : layer.bias.toArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.9 * bound, "400 bias draws should come near the bound, max was " + max);
        assertTrue(layer.weight.requiresGrad() && layer.weight.isLeaf());
    }

    @Test
    void printsAndNamesLikePyTorch() {
        Sequential model = new Sequential(new Linear(4, 3), new ReLU(), new Dropout(), new Linear(3, 2));
        // print(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Dropout(), nn.Linear(3, 2))) in PyTorch 1.13
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=4, out_features=3, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Dropout(p=0.5, inplace=False)\n"
                + "  (3): Linear(in_features=3, out_features=2, bias=True)\n"
                + ")", model.toString());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(model.stateDict().keySet()));
        assertEquals(4 * 3 + 3 + 3 * 2 + 2, model.numParameters());
        assertEquals("Linear(in_features=4, out_features=3, bias=False)", new Linear(4, 3, false).toString());
        assertNull(new Linear(4, 3, false).bias);
    }

    @Test
    void wrongInputShapeNamesTheLayerItsPathAndBothShapes() {
        Sequential classifier = new Sequential(new Flatten(), new Linear(784, 128));
        Map<String, Module> root = new LinkedHashMap<>();
        root.put("classifier", classifier);
        new Sequential(root);
        ShapeException e = assertThrows(ShapeException.class, () -> classifier.forward(Tensor.zeros(64, 800)));
        assertEquals("Linear(in_features=784, out_features=128, bias=True) at classifier.1: expected input (*, 784) but got (64, 800)",
                e.getMessage());
        ShapeException alone = assertThrows(ShapeException.class, () -> new Linear(3, 2).forward(Tensor.scalar(1f)));
        assertEquals("Linear(in_features=3, out_features=2, bias=True): expected input (*, 3) but got ()", alone.getMessage());
    }

    @Test
    void rejectsNegativeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 3));
        assertTrue(e.getMessage().contains("inFeatures=-1"), e.getMessage());
    }

    @Test
    void resetParametersRedraws() {
        Linear layer = new Linear(5, 5);
        float[] before = layer.weight.toArray();
        layer.resetParameters();
        float[] after = layer.weight.toArray();
        assertTrue(!java.util.Arrays.equals(before, after), "resetParameters drew the same weights");
        assertTrue(layer.weight.isLeaf(), "initialisation must not be recorded");
    }
}
