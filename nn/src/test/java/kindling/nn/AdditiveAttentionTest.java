package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** d2l's additive attention against gen_seq2seq.py, finite differences, and its errors. */
class AdditiveAttentionTest {

    private static void replay(String name, AdditiveAttention attention) {
        AttentionGolden.loadParameters(name, attention);
        Tensor q = AttentionGolden.leaf(name + "_q");
        Tensor k = AttentionGolden.leaf(name + "_k");
        Tensor v = AttentionGolden.leaf(name + "_v");
        AttentionMask mask = null;
        if (AttentionGolden.has(name + "_valid_lens")) {
            float[] lens = AttentionGolden.get(name + "_valid_lens").toArray();
            int[] lengths = new int[lens.length];
            for (int i = 0; i < lens.length; i++) {
                lengths[i] = (int) lens[i];
            }
            mask = AttentionMask.padding(lengths, k.size(1));
        }
        AdditiveAttention.Output o = attention.forward(q, k, v, mask);
        AttentionGolden.check(name, attention, o.output(), o.weights(), Map.of("q", q, "k", k, "v", v));
    }

    @Test
    void matchesPyTorchWithValidLengths() {
        replay("add_masked", new AdditiveAttention(3, 4, 5, 0));
    }

    @Test
    void matchesPyTorchWithoutMask() {
        replay("add_plain", new AdditiveAttention(2, 2, 3, 0));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Generator.manualSeed(5);
        Generator g = new Generator(5);
        AdditiveAttention attention = new AdditiveAttention(3, 2, 4, 0);
        Tensor q = Tensor.randn(g, 2, 2, 2).requiresGrad_();
        Tensor k = Tensor.randn(g, 2, 3, 3).requiresGrad_();
        Tensor v = Tensor.randn(g, 2, 3, 2).requiresGrad_();
        AttentionMask mask = AttentionMask.padding(new int[] {2, 3}, 3);
        GradCheck.Result r = GradCheck.check(in -> attention.forward(in[0], in[1], in[2], mask).output(), q, k, v);
        assertTrue(r.passed(), r.toString());
        // The key used as its own value: one input used twice, whose gradient is the sum of both uses.
        GradCheck.Result twice = GradCheck.check(in -> attention.forward(q, in[0], in[0].narrow(2, 0, 2), null)
                .output(), k);
        assertTrue(twice.passed(), twice.toString());
        GradCheck.Result p = GradCheck.check(in -> attention.forward(q, k, v, mask).output(), attention.wQ.weight,
                attention.wK.weight, attention.wV.weight);
        assertTrue(p.passed(), p.toString());
    }

    @Test
    void paddedKeysGetNoWeightAndNamesAreD2ls() {
        AdditiveAttention attention = new AdditiveAttention(3, 4, 5, 0);
        Tensor weights = attention.forward(Tensor.ones(2, 1, 4), Tensor.ones(2, 6, 3), Tensor.ones(2, 6, 2),
                AttentionMask.padding(new int[] {2, 6}, 6)).weights();
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 0, 0}, weights.narrow(0, 0, 1).toArray(), 1e-6f);
        assertEquals(List.of("W_k.weight", "W_q.weight", "w_v.weight"), List.copyOf(attention.stateDict().keySet()));
        ShapeException e = assertThrows(ShapeException.class,
                () -> attention.forward(Tensor.ones(2, 1, 3), Tensor.ones(2, 6, 3), Tensor.ones(2, 6, 2), null));
        assertEquals("AdditiveAttention(key_size=3, query_size=4, num_hiddens=5): expected queries (N, Q, 4), keys "
                + "(N, K, 3) and values (N, K, V) but got queries (2, 1, 3), keys (2, 6, 3), values (2, 6, 2)",
                e.getMessage());
    }
}
