package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.nn.functional.Attention;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scaled dot-product attention, masks and positional encoding; golden values from gen_attention.py. */
class AttentionTest {

    @ParameterizedTest
    @ValueSource(strings = {"sdpa_plain", "sdpa_causal", "sdpa_float"})
    void scaledDotProductMatchesPyTorch(String name) {
        Tensor q = AttentionGolden.leaf(name + "_q");
        Tensor k = AttentionGolden.leaf(name + "_k");
        Tensor v = AttentionGolden.leaf(name + "_v");
        Attention.Result r = Attention.scaledDotProduct(q, k, v, AttentionGolden.floatMask(name + "_mask"), 0, null);
        AttentionGolden.check(name, null, r.output(), r.weights(), Map.of("q", q, "k", k, "v", v));
    }

    @Test
    void causalMaskBlocksTheFuture() {
        Tensor mask = AttentionMask.causal(3).additive();
        float inf = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {0, inf, inf, 0, 0, inf, 0, 0, 0}, mask.toArray());
        assertArrayEquals(new int[] {2, 4}, AttentionMask.causal(2, 4).shape());
        Tensor q = Tensor.randn(new Generator(1), 3, 2);
        Tensor weights = Attention.scaledDotProduct(q, q, q, AttentionMask.causal(3), 0, null).weights();
        assertEquals(1f, weights.get(0, 0), 1e-6);         // the first query sees only itself
        assertEquals(0f, weights.get(1, 2));
    }

    @Test
    void booleanMasksFollowPyTorchsTrueMeansBlocked() {
        Tensor additive = AttentionMask.notAllowed(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2)).additive();
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0}, additive.toArray());
        Tensor padding = AttentionMask.padding(new int[] {1, 3}, 3).additive();
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, 0}, padding.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionMask.notAllowed(Tensor.of(new float[] {0, 0.5f}, 2)));
        assertTrue(e.getMessage().contains("0.5") && e.getMessage().contains("AttentionMask.additive"), e.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Generator g = new Generator(5);
        Tensor q = Tensor.randn(g, 2, 3, 2).requiresGrad_();
        Tensor k = Tensor.randn(g, 2, 4, 2).requiresGrad_();
        Tensor v = Tensor.randn(g, 2, 4, 3).requiresGrad_();
        AttentionMask mask = AttentionMask.padding(new int[] {3, 4}, 4);
        Tensor maskView = mask.additive().reshape(2, 1, 4);
        GradCheck.Result r = GradCheck.check(in -> Attention.scaledDotProduct(in[0], in[1], in[2],
                AttentionMask.additive(maskView)), q, k, v);
        assertTrue(r.passed(), r.toString());
        // Self-attention: one tensor is query, key and value; its gradient sums the three uses.
        Tensor x = Tensor.randn(g, 3, 2).requiresGrad_();
        GradCheck.Result self = GradCheck.check(in -> Attention.scaledDotProduct(in[0], in[0], in[0],
                AttentionMask.causal(3)), x);
        assertTrue(self.passed(), self.toString());
    }

    @Test
    void shapeErrorsNameTheShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> Attention.scaledDotProduct(Tensor.zeros(2, 3, 4),
                Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5, 3), null));
        assertEquals("scaledDotProduct: query and key must have the same last dim d, got query (2, 3, 4), "
                + "key (2, 5, 3), value (2, 5, 3)", e.getMessage());
        ShapeException m = assertThrows(ShapeException.class, () -> Attention.scaledDotProduct(Tensor.zeros(3, 4),
                Tensor.zeros(5, 4), Tensor.zeros(5, 4), AttentionMask.causal(3)));
        assertTrue(m.getMessage().contains("mask (3, 3) does not broadcast to (*, L, S) = (*, 3, 5)"), m.getMessage());
    }

    @Test
    void positionalEncodingIsD2lsTable() {
        PositionalEncoding encoding = new PositionalEncoding(4, 0, 60);
        // P[i, 2j] = sin(i / 10000^(2j/d)), P[i, 2j+1] = cos(...): d = 4, i = 3.
        assertEquals(Math.sin(3), encoding.table.get(0, 3, 0), 1e-6);
        assertEquals(Math.cos(3), encoding.table.get(0, 3, 1), 1e-6);
        assertEquals(Math.sin(3 / 100.0), encoding.table.get(0, 3, 2), 1e-6);
        assertEquals(Math.cos(3 / 100.0), encoding.table.get(0, 3, 3), 1e-6);
        Tensor y = encoding.forward(Tensor.ones(2, 5, 4));
        assertEquals(1 + Math.cos(3 / 100.0), y.get(1, 3, 3), 1e-6);
        assertTrue(encoding.stateDict().isEmpty(), "P is not saved");
        ShapeException e = assertThrows(ShapeException.class, () -> encoding.forward(Tensor.zeros(2, 61, 4)));
        assertEquals("PositionalEncoding(numHiddens=4, maxLen=60): expected input (N, L, 4) with L <= 60 but got "
                + "(2, 61, 4)", e.getMessage());
        // The positions start..start+L−1, as step-by-step decoding feeds them: row 3 of P for start 3.
        assertEquals(1 + Math.cos(3 / 100.0), encoding.forward(Tensor.ones(2, 1, 4), 3).get(1, 0, 3), 1e-6);
        assertEquals(y.narrow(1, 3, 2).toString(), encoding.forward(Tensor.ones(2, 2, 4), 3).toString());
        e = assertThrows(ShapeException.class, () -> encoding.forward(Tensor.zeros(2, 2, 4), 59));
        assertEquals("PositionalEncoding(numHiddens=4, maxLen=60): expected input (N, L, 4) with start + L <= 60 but "
                + "got (2, 2, 4) at start 59", e.getMessage());
        assertEquals("PositionalEncoding(\n  (dropout): Dropout(p=0.2, inplace=False)\n)",
                new PositionalEncoding(8, 0.2).toString());
    }
}
