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
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer against gen_seq2seq.py, and a
 * state dict saved by PyTorch.
 */
class TransformerDecoderTest {

    private static void replayDecoder(String name, Module module) {
        AttentionGolden.loadParameters(name, module);
        module.eval();
        Tensor tgt = AttentionGolden.leaf(name + "_tgt");
        Tensor memory = AttentionGolden.leaf(name + "_memory");
        AttentionMask tgtMask = AttentionGolden.floatMask(name + "_tgt_mask");
        AttentionMask memoryMask = AttentionGolden.floatMask(name + "_memory_mask");
        AttentionMask tgtKpm = AttentionGolden.boolMask(name + "_tgt_key_padding_mask");
        AttentionMask memoryKpm = AttentionGolden.boolMask(name + "_memory_key_padding_mask");
        Tensor out = module instanceof TransformerDecoder decoder
                ? decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKpm, memoryKpm)
                : ((TransformerDecoderLayer) module).forward(tgt, memory, tgtMask, memoryMask, tgtKpm, memoryKpm);
        AttentionGolden.check(name, module, out, null, Map.of("tgt", tgt, "memory", memory));
    }

    private static void replayTransformer(String name, Transformer model) {
        AttentionGolden.loadParameters(name, model);
        model.eval();
        Tensor src = AttentionGolden.leaf(name + "_src");
        Tensor tgt = AttentionGolden.leaf(name + "_tgt");
        Tensor out = model.forward(src, tgt, AttentionGolden.floatMask(name + "_src_mask"),
                AttentionGolden.floatMask(name + "_tgt_mask"), AttentionGolden.floatMask(name + "_memory_mask"),
                AttentionGolden.boolMask(name + "_src_key_padding_mask"),
                AttentionGolden.boolMask(name + "_tgt_key_padding_mask"),
                AttentionGolden.boolMask(name + "_memory_key_padding_mask"));
        AttentionGolden.check(name, model, out, null, Map.of("src", src, "tgt", tgt));
    }

    @Test
    void postNormReluSequenceFirst() {
        replayDecoder("dec_post_relu", new TransformerDecoderLayer(8, 2, 16, 0.1));
    }

    @Test
    void postNormWithCausalAndPaddingMasks() {
        replayDecoder("dec_post_masks", TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build());
    }

    @Test
    void normFirstGeluWithFloatMemoryMask() {
        replayDecoder("dec_pre_gelu", TransformerDecoderLayer.builder(8, 4).dimFeedforward(16).activation("gelu")
                .batchFirst(true).normFirst(true).build());
    }

    @Test
    void twoLayerStackWithFinalNorm() {
        TransformerDecoderLayer layer = TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true)
                .normFirst(true).build();
        replayDecoder("dec_stack", new TransformerDecoder(layer, 2, new LayerNorm(8)));
    }

    @Test
    void transformerPostNorm() {
        replayTransformer("tf_post", Transformer.builder().dModel(8).nhead(2).numEncoderLayers(2).numDecoderLayers(2)
                .dimFeedforward(16).build());
    }

    @Test
    void transformerNormFirstWithEveryMask() {
        replayTransformer("tf_pre_masks", Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(2).dimFeedforward(16).activation("gelu").batchFirst(true).normFirst(true).build());
    }

    @Test
    void squareSubsequentMaskAsPyTorch() {
        assertArrayEquals(AttentionGolden.get("square_mask_5").toArray(),
                Transformer.generateSquareSubsequentMask(5).additive().toArray());
    }

    @Test
    void loadsAPyTorchStateDictStrictlyAndGivesItsOutput() throws IOException {
        Transformer model = Transformer.builder().dModel(8).nhead(2).numEncoderLayers(2).numDecoderLayers(2)
                .dimFeedforward(16).batchFirst(true).build();
        Map<String, Tensor> state = SafeTensors.load(GoldenText.path("seq2seq_transformer.safetensors"));
        LoadResult result = model.loadStateDict(state, true);
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());
        assertEquals(state.keySet(), model.stateDict().keySet());
        assertTrue(model.stateDict().containsKey("decoder.layers.1.multihead_attn.out_proj.weight"));
        model.eval();
        AttentionMask kpm = AttentionMask.notAllowed(AttentionGolden.get("tf_state_kpm"));
        Tensor out = model.forward(AttentionGolden.get("tf_state_src"), AttentionGolden.get("tf_state_tgt"), null,
                Transformer.generateSquareSubsequentMask(4), null, kpm, null, kpm);
        LayerGolden.assertClose("tf_state_out", AttentionGolden.get("tf_state_out"), out);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Seeded, so that no ReLU input lands within h of 0 whichever tests ran before.
        Generator.manualSeed(12);
        Generator g = new Generator(12);
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerDecoderLayer layer = TransformerDecoderLayer.builder(4, 2).dimFeedforward(6).dropout(0)
                    .activation("gelu").batchFirst(true).normFirst(normFirst).build();
            Tensor tgt = Tensor.randn(g, 2, 3, 4).requiresGrad_();
            Tensor memory = Tensor.randn(g, 2, 5, 4).requiresGrad_();
            AttentionMask padding = AttentionMask.padding(new int[] {3, 5}, 5);
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0], in[1], AttentionMask.causal(3), null, null,
                    padding), tgt, memory);
            assertTrue(r.passed(), "normFirst=" + normFirst + ": " + r);
            GradCheck.Result p = GradCheck.check(in -> layer.forward(tgt, memory), layer.multiheadAttn.inProjWeight,
                    layer.linear1.weight, layer.norm3.weight);
            assertTrue(p.passed(), "normFirst=" + normFirst + ": " + p);
        }
    }

    @Test
    void causalMaskHidesTheFuture() {
        Generator.manualSeed(3);
        TransformerDecoderLayer layer = TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build();
        layer.eval();
        Tensor memory = Tensor.randn(new Generator(1), 1, 5, 8);
        Tensor tgt = Tensor.randn(new Generator(2), 1, 4, 8);
        Tensor changed = tgt.copy();
        changed.narrow(1, 3, 1).copy_(Tensor.randn(new Generator(3), 1, 1, 8));     // only the last position differs
        Tensor a = layer.forward(tgt, memory, AttentionMask.causal(4), null, null, null);
        Tensor b = layer.forward(changed, memory, AttentionMask.causal(4), null, null, null);
        assertArrayEquals(a.narrow(1, 0, 3).toArray(), b.narrow(1, 0, 3).toArray(), 1e-6f);
        Tensor weights = layer.crossAttentionWeights(tgt, memory, AttentionMask.causal(4), null, null,
                AttentionMask.padding(new int[] {3}, 5));
        assertArrayEquals(new int[] {1, 2, 4, 5}, weights.shape());
        assertEquals(0f, weights.narrow(3, 3, 2).abs().sum().item());               // padded source positions
    }

    @Test
    void namesPrintingAndShapeErrors() {
        Transformer model = Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(2)
                .dimFeedforward(16).batchFirst(true).build();
        assertEquals(12 + 2 + 2 * 18 + 2, model.stateDict().size());
        assertTrue(model.toString().contains("(multihead_attn): MultiheadAttention("));
        assertTrue(model.toString().contains("(norm3): LayerNorm((8,), eps=1e-05, elementwise_affine=True)"));
        ShapeException e = assertThrows(ShapeException.class,
                () -> model.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(3, 4, 8)));
        assertEquals("Transformer(): the batch number of src and tgt must be equal (dim 0) but got src (2, 5, 8) and "
                + "tgt (3, 4, 8)", e.getMessage());
        ShapeException layerError = assertThrows(ShapeException.class,
                () -> model.decoder.layer(1).forward(Tensor.zeros(2, 4, 8), Tensor.zeros(2, 5, 6)));
        assertEquals("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at decoder.layers.1: expected "
                + "tgt (N, T, 8) and memory (N, S, 8) (or unbatched (T, 8) and (S, 8)) but got tgt (2, 4, 8) and "
                + "memory (2, 5, 6)", layerError.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> model.forward(Tensor.zeros(2, 5, 8)));
        // Every message about a layer starts the same way, the one forward without memory included.
        assertTrue(assertThrows(UnsupportedOperationException.class,
                () -> model.decoder.layer(1).forward(Tensor.zeros(2, 4, 8))).getMessage()
                .startsWith("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at decoder.layers.1: "
                        + "a decoder layer needs the encoder's memory too"));
        TransformerDecoderLayer root = new TransformerDecoderLayer(8, 2, 16, 0.1);
        assertTrue(assertThrows(ShapeException.class, () -> root.forward(Tensor.zeros(4, 8), Tensor.zeros(5, 6)))
                .getMessage().startsWith("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=False): expected "
                        + "tgt (T, N, 8) and memory (S, N, 8)"));
    }

    @Test
    void printsAsPyTorch() {
        // print(nn.Transformer(8, 2, 1, 1, 16, batch_first=True)) in PyTorch 1.13
        Transformer model = Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(1)
                .dimFeedforward(16).batchFirst(true).build();
        assertEquals("""
                Transformer(
                  (encoder): TransformerEncoder(
                    (layers): ModuleList(
                      (0): TransformerEncoderLayer(
                        (self_attn): MultiheadAttention(
                          (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
                        )
                        (linear1): Linear(in_features=8, out_features=16, bias=True)
                        (dropout): Dropout(p=0.1, inplace=False)
                        (linear2): Linear(in_features=16, out_features=8, bias=True)
                        (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                        (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                        (dropout1): Dropout(p=0.1, inplace=False)
                        (dropout2): Dropout(p=0.1, inplace=False)
                      )
                    )
                    (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                  )
                  (decoder): TransformerDecoder(
                    (layers): ModuleList(
                      (0): TransformerDecoderLayer(
                        (self_attn): MultiheadAttention(
                          (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
                        )
                        (multihead_attn): MultiheadAttention(
                          (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
                        )
                        (linear1): Linear(in_features=8, out_features=16, bias=True)
                        (dropout): Dropout(p=0.1, inplace=False)
                        (linear2): Linear(in_features=16, out_features=8, bias=True)
                        (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                        (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                        (norm3): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                        (dropout1): Dropout(p=0.1, inplace=False)
                        (dropout2): Dropout(p=0.1, inplace=False)
                        (dropout3): Dropout(p=0.1, inplace=False)
                      )
                    )
                    (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                  )
                )""", model.toString());
    }
}
