package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.io.GoldenText;
import kindling.io.SafeTensors;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** nn.TransformerEncoderLayer and nn.TransformerEncoder against gen_attention.py, and a PyTorch state dict. */
class TransformerEncoderTest {

    private static void replay(String name, Module module) {
        AttentionGolden.loadParameters(name, module);
        module.eval();
        Tensor x = AttentionGolden.leaf(name + "_x");
        AttentionMask mask = AttentionGolden.floatMask(name + "_mask");
        AttentionMask kpm = AttentionGolden.boolMask(name + "_kpm");
        Tensor out = module instanceof TransformerEncoder encoder ? encoder.forward(x, mask, kpm)
                : ((TransformerEncoderLayer) module).forward(x, mask, kpm);
        AttentionGolden.check(name, module, out, null, Map.of("x", x));
    }

    @Test
    void postNormReluSequenceFirst() {
        replay("enc_post_relu", new TransformerEncoderLayer(8, 2, 16, 0.1));
    }

    @Test
    void postNormWithCausalAndPaddingMasks() {
        replay("enc_post_masks", TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build());
    }

    @Test
    void normFirstGelu() {
        replay("enc_pre_gelu", TransformerEncoderLayer.builder(8, 4).dimFeedforward(16).activation("gelu")
                .batchFirst(true).normFirst(true).build());
    }

    @Test
    void twoLayerStackWithFinalNorm() {
        TransformerEncoderLayer layer = TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true)
                .normFirst(true).build();
        replay("enc_stack", new TransformerEncoder(layer, 2, new LayerNorm(8)));
    }

    @Test
    void loadsAPyTorchStateDictStrictlyAndGivesItsOutput() throws IOException {
        TransformerEncoderLayer layer = TransformerEncoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build();
        Map<String, Tensor> state = SafeTensors.load(GoldenText.path("attention_encoder_layer.safetensors"));
        LoadResult result = layer.loadStateDict(state, true);
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());
        layer.eval();
        Tensor out = layer.forward(AttentionGolden.get("state_x"), null,
                AttentionMask.notAllowed(AttentionGolden.get("state_kpm")));
        LayerGolden.assertClose("state_out", AttentionGolden.get("state_out"), out);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // The layers draw their parameters from the global generator: seed it, so that the check does not
        // depend on which tests ran before (a ReLU input within h of 0 would spoil the finite difference).
        Generator.manualSeed(11);
        Generator g = new Generator(11);
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer layer = TransformerEncoderLayer.builder(4, 2).dimFeedforward(6).dropout(0)
                    .activation(normFirst ? "gelu" : "relu").batchFirst(true).normFirst(normFirst).build();
            Tensor x = Tensor.randn(g, 2, 3, 4).requiresGrad_();
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0], AttentionMask.causal(3), null), x);
            assertTrue(r.passed(), "normFirst=" + normFirst + ": " + r);
            GradCheck.Result p = GradCheck.check(in -> layer.forward(x), layer.selfAttn.inProjWeight,
                    layer.linear1.weight, layer.norm1.weight);
            assertTrue(p.passed(), "normFirst=" + normFirst + ": " + p);
        }
    }

    @Test
    void childNamesAndPrintingAsPyTorch() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1);
        assertEquals("TransformerEncoderLayer(\n"
                + "  (self_attn): MultiheadAttention(\n"
                + "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n"
                + "  )\n"
                + "  (linear1): Linear(in_features=8, out_features=16, bias=True)\n"
                + "  (dropout): Dropout(p=0.1, inplace=False)\n"
                + "  (linear2): Linear(in_features=16, out_features=8, bias=True)\n"
                + "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
                + "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
                + "  (dropout1): Dropout(p=0.1, inplace=False)\n"
                + "  (dropout2): Dropout(p=0.1, inplace=False)\n"
                + ")", layer.toString());
        TransformerEncoder encoder = new TransformerEncoder(layer, 2);
        assertEquals(List.of("layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias"),
                List.copyOf(encoder.stateDict().keySet()).subList(0, 2));
        assertEquals(2 * 12, encoder.stateDict().size());
        // Copies of one layer start equal, as PyTorch's deepcopy; a factory draws each afresh.
        assertArrayEquals(encoder.stateDict().get("layers.0.linear1.weight").toArray(),
                encoder.stateDict().get("layers.1.linear1.weight").toArray());
        TransformerEncoder drawn = new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2, 16, 0.1), 2, null);
        assertTrue(drawn.stateDict().get("layers.0.linear1.weight").sub(drawn.stateDict().get("layers.1.linear1.weight"))
                .abs().sum().item() > 0);
        assertTrue(new TransformerEncoder(layer, 1, new LayerNorm(8)).stateDict().containsKey("norm.weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformerEncoderLayer.builder(8, 2).activation("tanh").build());
        assertEquals("TransformerEncoderLayer: activation should be relu/gelu, not tanh", e.getMessage());
    }
}
