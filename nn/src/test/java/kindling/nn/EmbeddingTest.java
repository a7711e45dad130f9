package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.autograd.NoGrad;
import kindling.io.GoldenText;
import kindling.nn.functional.Embeddings;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Golden values from tools/golden/gen_embedding.py. */
class EmbeddingTest {

    private static Tensor copy(Map<String, Tensor> golden, String name) {
        Tensor t = golden.get(name);
        return Tensor.wrap(t.toArray(), t.shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"emb_plain", "emb_batch", "emb_padding", "emb_padding_negative"})
    void matchesPyTorch(String name) throws IOException {
        Map<String, Tensor> golden = GoldenText.read("embedding.txt");
        Tensor table = golden.get(name + "_weight");
        int padding = switch (name) {
            case "emb_padding" -> 0;
            case "emb_padding_negative" -> -1;
            default -> Integer.MAX_VALUE;
        };
        Embedding embedding = padding == Integer.MAX_VALUE
                ? new Embedding(table.size(0), table.size(1))
                : new Embedding(table.size(0), table.size(1), padding);
        try (NoGrad ignored = NoGrad.enter()) {
            embedding.weight.copy_(table);
        }
        Tensor out = embedding.forward(copy(golden, name + "_x"));
        LayerGolden.assertClose(name + "_out", golden.get(name + "_out"), out);
        out.mul(copy(golden, name + "_w")).sum().backward();
        LayerGolden.assertClose(name + "_grad_weight", golden.get(name + "_grad_weight"), embedding.weight.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"emb_max_norm", "emb_max_norm_p1_padding", "emb_max_norm_inf", "emb_max_norm_p3"})
    void maxNormScalesThePickedRowsDownAsPyTorchDoes(String name) throws IOException {
        Map<String, Tensor> golden = GoldenText.read("embedding.txt");
        Tensor table = golden.get(name + "_weight");
        Embedding.Builder options = Embedding.builder(table.size(0), table.size(1));
        switch (name) {
            case "emb_max_norm" -> options.maxNorm(3.0);
            case "emb_max_norm_p1_padding" -> options.paddingIdx(2).maxNorm(2.0).normType(1);
            case "emb_max_norm_inf" -> options.maxNorm(1.0).normType(Double.POSITIVE_INFINITY);
            default -> options.maxNorm(1.5).normType(3);
        }
        Embedding embedding = options.build();
        try (NoGrad ignored = NoGrad.enter()) {
            embedding.weight.copy_(table);
        }
        Tensor out = embedding.forward(copy(golden, name + "_x"));
        LayerGolden.assertClose(name + "_weight_after", golden.get(name + "_weight_after"), embedding.weight);
        LayerGolden.assertClose(name + "_out", golden.get(name + "_out"), out);
        out.mul(copy(golden, name + "_w")).sum().backward();
        LayerGolden.assertClose(name + "_grad_weight", golden.get(name + "_grad_weight"), embedding.weight.grad());
        assertFalse(Arrays.equals(table.toArray(), embedding.weight.toArray()), "some picked row was too long");
    }

    @Test
    void maxNormPrintsAsPyTorchAndABadIndexChangesNoRow() {
        assertEquals("Embedding(10, 3, padding_idx=0, max_norm=1.0)",
                Embedding.builder(10, 3).paddingIdx(0).maxNorm(1).build().toString());
        assertEquals("Embedding(10, 3, max_norm=0.5, norm_type=inf)",
                Embedding.builder(10, 3).maxNorm(0.5).normType(Double.POSITIVE_INFINITY).build().toString());
        assertEquals("Embedding(10, 3, padding_idx=9)", Embedding.builder(10, 3).paddingIdx(-1).build().toString());

        Embedding table = Embedding.builder(4, 2).maxNorm(0.1).build();
        float[] before = table.weight.toArray();
        assertThrows(IndexOutOfBoundsException.class, () -> table.forward(Tensor.of(new float[] {0, 1, 4}, 3)));
        assertArrayEquals(before, table.weight.toArray());
        table.forward(Tensor.of(new float[] {1, 1}, 2));
        assertEquals(0.1, table.weight.select(0, 1).pow(2).sum().sqrt().item(), 1e-6);
        assertArrayEquals(Arrays.copyOfRange(before, 0, 2), Arrays.copyOfRange(table.weight.toArray(), 0, 2));

        assertEquals("Embedding: maxNorm must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Embedding.builder(4, 2).maxNorm(0).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Embedding.builder(4, 2).paddingIdx(4).build());
        assertThrows(IllegalArgumentException.class,
                () -> Embeddings.embedding(Tensor.zeros(2), Tensor.zeros(4, 2), -1, -1.0, 2));
    }

    @Test
    void gradientOfTheTableMatchesFiniteDifferences() {
        Generator generator = new Generator(3);
        Tensor index = Tensor.of(new float[] {2, 0, 2, 4, 1, 2}, 2, 3);
        Tensor table = Tensor.randn(generator, 5, 3).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> kindling.ops.EmbeddingOp.apply("embedding", index,
                in[0], -1), table);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void paddingRowStartsAtZeroAndStaysThereThroughTraining() {
        Embedding embedding = new Embedding(5, 4, 1);
        assertArrayEquals(new float[4], embedding.weight.select(0, 1).toArray());
        embedding.forward(Tensor.of(new float[] {1, 1, 3}, 3)).sum().backward();
        assertArrayEquals(new float[4], embedding.weight.grad().select(0, 1).toArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, embedding.weight.grad().select(0, 3).toArray());
        assertEquals(1, embedding.paddingIdx());
        assertEquals(4, new Embedding(5, 4, -1).paddingIdx());
    }

    @Test
    void printsAndDefaultsAsPyTorch() {
        assertEquals("Embedding(10, 3)", new Embedding(10, 3).toString());
        assertEquals("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, 0).toString());
        assertArrayEquals(new int[] {2, 5, 3}, new Embedding(10, 3).forward(Tensor.zeros(2, 5)).shape());
        // N(0, 1): 10,000 draws have mean near 0 and variance near 1.
        Tensor w = new Embedding(1000, 10).weight;
        assertEquals(0, w.mean().item(), 0.05);
        assertEquals(1, w.var().item(), 0.05);
    }

    @Test
    void fromPretrainedCopiesAndFreezes() {
        Tensor vectors = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Embedding frozen = Embedding.fromPretrained(vectors, true);
        assertFalse(frozen.weight.requiresGrad());
        assertArrayEquals(new float[] {3, 4, 1, 2}, frozen.forward(Tensor.of(new float[] {1, 0}, 2)).toArray());
        vectors.fill_(0);
        assertEquals(4f, frozen.weight.toArray()[3]);
        assertTrue(Embedding.fromPretrained(vectors, false).weight.requiresGrad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"emb_pretrained_max_norm", "emb_pretrained_max_norm_p1"})
    void fromPretrainedTakesMaxNormAndNormTypeAsPyTorchDoes(String name) throws IOException {
        Map<String, Tensor> golden = GoldenText.read("embedding.txt");
        Tensor vectors = copy(golden, name + "_weight");
        boolean frozen = name.equals("emb_pretrained_max_norm");
        Embedding table = frozen ? Embedding.fromPretrained(vectors, true, 2.0, 2)
                : Embedding.fromPretrained(vectors, false, 3.0, 1);
        assertEquals(frozen ? "Embedding(6, 4, max_norm=2.0)" : "Embedding(6, 4, max_norm=3.0, norm_type=1.0)",
                table.toString());
        Tensor out = table.forward(copy(golden, name + "_x"));
        LayerGolden.assertClose(name + "_out", golden.get(name + "_out"), out);
        LayerGolden.assertClose(name + "_weight_after", golden.get(name + "_weight_after"), table.weight);
        assertArrayEquals(golden.get(name + "_weight").toArray(), vectors.toArray(), "the given tensor is copied, not scaled");
        if (frozen) {
            assertFalse(table.weight.requiresGrad());
        } else {
            out.mul(copy(golden, name + "_w")).sum().backward();
            LayerGolden.assertClose(name + "_grad_weight", golden.get(name + "_grad_weight"), table.weight.grad());
        }
        assertTrue(Double.isNaN(Embedding.fromPretrained(vectors, true).maxNorm()));
        assertEquals("Embedding: maxNorm must be > 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> Embedding.fromPretrained(vectors, true, -1, 2)).getMessage());
    }

    @Test
    void badIndicesAndArgumentsNameTheLayer() {
        Sequential net = new Sequential(new Embedding(4, 2));
        Exception e = assertThrows(IndexOutOfBoundsException.class,
                () -> net.forward(Tensor.of(new float[] {1, 4}, 2)));
        assertEquals("Embedding(4, 2) at 0: index 4.0 at flat position 1 of input (2,) is not a row of the table "
                + "(0 to 3)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> net.forward(Tensor.of(new float[] {0.5f}, 1)));
        assertEquals("Embedding: paddingIdx must be in [-4, 4), got 4",
                assertThrows(IllegalArgumentException.class, () -> new Embedding(4, 2, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 2));
    }
}
