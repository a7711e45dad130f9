package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** nn.MultiheadAttention's golden values from gen_attention.py, gradchecks, names, init and errors. */
class MultiheadAttentionTest {

    /** Replays case {@code name}: self-attention when the case stores no key. */
    private static void replay(String name, MultiheadAttention mha, boolean average) {
        AttentionGolden.loadParameters(name, mha);
        mha.eval();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Tensor query = AttentionGolden.leaf(name + "_query");
        inputs.put("query", query);
        Tensor key = query;
        Tensor value = query;
        if (AttentionGolden.has(name + "_key")) {
            key = AttentionGolden.leaf(name + "_key");
            value = AttentionGolden.leaf(name + "_value");
            inputs.put("key", key);
            inputs.put("value", value);
        }
        AttentionMask kpm = AttentionGolden.boolMask(name + "_kpm");
        Tensor attn = AttentionGolden.has(name + "_attn_mask") ? AttentionGolden.get(name + "_attn_mask") : null;
        // The float mask of mha_float_mask has values other than 0 and 1; the others are PyTorch bools.
        AttentionMask attnMask = attn == null ? null
                : name.equals("mha_float_mask") ? AttentionMask.additive(attn) : AttentionMask.notAllowed(attn);
        MultiheadAttention.Output o = mha.forward(query, key, value, kpm, attnMask, true, average);
        AttentionGolden.check(name, mha, o.output(), o.weights(), inputs);
    }

    @Test
    void crossAttentionWithAveragedWeights() {
        replay("mha_cross", new MultiheadAttention(6, 2), true);
    }

    @Test
    void perHeadWeights() {
        replay("mha_heads", new MultiheadAttention(6, 3), false);
    }

    @Test
    void keyPaddingMaskBatchFirst() {
        replay("mha_kpm", MultiheadAttention.builder(6, 2).batchFirst(true).build(), true);
    }

    @Test
    void causalSelfAttention() {
        replay("mha_causal", MultiheadAttention.builder(6, 2).batchFirst(true).build(), false);
    }

    @Test
    void floatAttnMaskPerHeadWithKeyPadding() {
        replay("mha_float_mask", new MultiheadAttention(6, 2), true);
    }

    @Test
    void unbatchedInputs() {
        replay("mha_unbatched", new MultiheadAttention(6, 3), false);
    }

    @Test
    void withoutBiases() {
        replay("mha_nobias", MultiheadAttention.builder(6, 2).bias(false).batchFirst(true).build(), true);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Generator g = new Generator(7);
        MultiheadAttention mha = MultiheadAttention.builder(4, 2).batchFirst(true).build();
        Tensor x = Tensor.randn(g, 2, 3, 4).requiresGrad_();
        Tensor kv = Tensor.randn(g, 2, 2, 4).requiresGrad_();
        AttentionMask padding = AttentionMask.padding(new int[] {1, 2}, 2);
        GradCheck.Result r = GradCheck.check(in -> mha.forward(in[0], in[1], in[1], padding, null, false, true).output(),
                x, kv);
        assertTrue(r.passed(), r.toString());
        GradCheck.Result params = GradCheck.check(in -> mha.forward(x, kv, kv, null, null, true, true).weights(),
                mha.inProjWeight, mha.inProjBias);
        assertTrue(params.passed(), params.toString());
        GradCheck.Result out = GradCheck.check(in -> mha.forward(x), mha.outProj.weight, mha.outProj.bias);
        assertTrue(out.passed(), out.toString());
    }

    @Test
    void namesInitAndPrintingAsPyTorch() {
        MultiheadAttention mha = new MultiheadAttention(8, 2);
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(mha.stateDict().keySet()));
        assertArrayEquals(new int[] {24, 8}, mha.inProjWeight.shape());
        double bound = Math.sqrt(6.0 / (8 + 24));                     // Xavier over the whole (3E, E)
        assertTrue(mha.inProjWeight.abs().max().item() <= bound);
        assertTrue(mha.inProjWeight.abs().max().item() > 0.8 * bound);
        assertEquals(0f, mha.inProjBias.abs().sum().item());
        assertEquals(0f, mha.outProj.bias.abs().sum().item());
        assertEquals("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, "
                + "out_features=8, bias=True)\n)", mha.toString());
        assertEquals(List.of("in_proj_weight", "out_proj.weight"),
                List.copyOf(MultiheadAttention.builder(8, 2).bias(false).build().stateDict().keySet()));
        // forward(x) is self-attention, so the layer fits in Sequential and Summary.
        assertArrayEquals(new int[] {5, 2, 8}, new Sequential(mha).forward(Tensor.zeros(5, 2, 8)).shape());
        assertNull(mha.forward(Tensor.zeros(3, 1, 8), Tensor.zeros(4, 1, 8), Tensor.zeros(4, 1, 8), null, null,
                false, true).weights());
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertEquals("MultiheadAttention: embedDim 10 must be divisible by numHeads 3", heads.getMessage());
        Sequential model = new Sequential(MultiheadAttention.builder(8, 2).batchFirst(true).build());
        ShapeException e = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(2, 5, 6)));
        assertEquals("MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True) at 0: expected query "
                + "(N, L, 8), key and value (N, S, 8) but got query (2, 5, 6), key (2, 5, 6), value (2, 5, 6)",
                e.getMessage());
        MultiheadAttention mha = new MultiheadAttention(4, 2);
        Tensor q = Tensor.zeros(3, 2, 4);
        ShapeException mask = assertThrows(ShapeException.class, () -> mha.forward(q, q, q,
                AttentionMask.padding(new int[] {1, 2, 3}, 3), null, true, true));
        assertEquals("MultiheadAttention(embed_dim=4, num_heads=2, batch_first=False): expected keyPaddingMask "
                + "(N, S) = (2, 3) but got (3, 3)", mask.getMessage());
        ShapeException attn = assertThrows(ShapeException.class, () -> mha.forward(q, q, q, null,
                AttentionMask.causal(2), true, true));
        assertTrue(attn.getMessage().contains("expected attnMask (L, S) = (3, 3) or (N·numHeads, L, S) = (4, 3, 3) "
                + "but got (2, 2)"), attn.getMessage());
    }
}
