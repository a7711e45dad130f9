package kindling.examples.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kindling.io.SafeTensors;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The Gram matrix and the content and style losses against tools/golden/gen_style.py, gradients included. */
class StyleLossesTest {
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 * Math.max(1, Math.abs(e[i])), what + " element " + i);
        }
    }

    @Test
    void lossesAndGradientsMatchPyTorch() throws IOException {
        Map<String, Tensor> golden = SafeTensors.load(Path.of("src/test/resources/golden/style.safetensors"));
        Tensor x1 = golden.get("x1").detach().copy().requiresGrad_();
        Tensor x2 = golden.get("x2").detach().copy().requiresGrad_();
        assertClose(golden.get("gram_x1"), StyleLosses.gram(x1), "gram(x1)");
        assertClose(golden.get("gram_x2"), StyleLosses.gram(x2), "gram(x2)");
        Tensor content = StyleLosses.contentLoss(x1, golden.get("c1"));
        Tensor style = StyleLosses.styleLoss(Map.of("a", x1, "b", x2),
                Map.of("a", StyleLosses.gram(golden.get("s1")), "b", StyleLosses.gram(golden.get("s2"))),
                List.of("a", "b"));
        Tensor total = content.add(style.mul(100f));
        assertClose(golden.get("content"), content, "content loss");
        assertClose(golden.get("style"), style, "style loss");
        assertClose(golden.get("total"), total, "total");
        total.backward();
        assertClose(golden.get("grad_x1"), x1.grad(), "d total / d x1");
        assertClose(golden.get("grad_x2"), x2.grad(), "d total / d x2");
    }

    @Test
    void theGramMatrixIsSymmetricAndIgnoresWhereFeaturesAre() {
        Tensor features = Tensor.randn(1, 4, 3, 5);
        Tensor g = StyleLosses.gram(features);
        assertArrayEquals(g.toArray(), g.t().contiguous().toArray());
        // Moving every channel's values to other positions in the same way leaves the Gram matrix unchanged.
        Tensor flipped = features.reshape(4, 15).indexSelect(1, Tensor.arange(14, -1, -1)).reshape(1, 4, 3, 5);
        float[] a = g.toArray();
        float[] b = StyleLosses.gram(flipped).toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5);
        }
    }

    @Test
    void gramNamesTheShapeItExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StyleLosses.gram(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(e.getMessage().contains("expected a feature map (1, C, H, W), got (2, 3, 4, 4)"), e.getMessage());
    }
}
