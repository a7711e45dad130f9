package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kindling.autograd.NoGrad;
import kindling.examples.models.CharLM;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CharLMExampleTest {
    @Test
    void theShapeTraceIsTheBooks() {
        Generator.manualSeed(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CharLMExample.shapeTrace(new CharLM("lstm", 16, 128), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join("\n",
                "Embedding output shape:\t(1, 8, 16)",
                "LSTM output shape:\t(1, 8, 128)",
                "Linear output shape:\t(1, 8, 27)",
                "X.shape (2, 8, 16)  (N, L, E) with batch_first",
                "Y.shape (2, 8, 128)  (N, L, H)",
                "h_n.shape (1, 2, 128)  (num_layers, N, H)",
                "c_n.shape (1, 2, 128)  (num_layers, N, H)", ""), bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void aProjectedLstmShowsPFeaturesAndStillLearns() {
        Generator.manualSeed(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CharLMExample.shapeTrace(new CharLM("lstm", 16, 128, 64), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join("\n",
                "Embedding output shape:\t(1, 8, 16)",
                "LSTM output shape:\t(1, 8, 64)",
                "Linear output shape:\t(1, 8, 27)",
                "X.shape (2, 8, 16)  (N, L, E) with batch_first",
                "Y.shape (2, 8, 64)  (N, L, P): the hidden state projected to projSize features",
                "h_n.shape (1, 2, 64)  (num_layers, N, P)",
                "c_n.shape (1, 2, 128)  (num_layers, N, H)", ""), bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        List<String> words = List.of("apple", "brown", "cider", "dune", "eagle");
        Generator.manualSeed(1);
        CharLM model = new CharLM("lstm", 8, 32, 16);
        Optimizer optimizer = Adam.builder(model.parameters()).lr(0.02f).build();
        double loss = Double.NaN;
        for (int step = 0; step < 150; step++) {
            loss = CharLMExample.trainEpoch(model, optimizer, words, 5, 1f, new Random(step), null);
        }
        assertTrue(loss < 0.35, "projected lstm: loss " + loss);
        assertEquals("CharLM: a projection (projSize 4) needs the lstm cell, got gru",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> new CharLM("gru", 8, 32, 4)).getMessage());
    }

    @Test
    void wordsAreEncodedWithStartEndAndIgnoredPadding() {
        Words.Batch batch = Words.encode(List.of("cat", "ox"));
        assertEquals("[0.0, 3.0, 1.0, 20.0, 0.0, 15.0, 24.0, 0.0]", java.util.Arrays.toString(batch.inputs().toArray()));
        assertEquals("[3.0, 1.0, 20.0, 0.0, 15.0, 24.0, 0.0, -100.0]", java.util.Arrays.toString(batch.targets().toArray()));
        assertEquals(8000, Words.load().size());
    }

    @Test
    void bothCellsOverfitAHandfulOfWords() {
        // Five words with different first letters: after '.', the first letter is a 1-in-5 guess, so the
        // loss cannot go below 5·ln 5 / 30 letters ≈ 0.27; every later letter is determined by the prefix.
        List<String> words = List.of("apple", "brown", "cider", "dune", "eagle");
        for (String cell : List.of("lstm", "gru")) {
            Generator.manualSeed(1);
            CharLM model = new CharLM(cell, 8, 32);
            Optimizer optimizer = Adam.builder(model.parameters()).lr(0.02f).build();
            double loss = Double.NaN;
            for (int step = 0; step < 150; step++) {
                loss = CharLMExample.trainEpoch(model, optimizer, words, 5, 1f, new Random(step), null);
            }
            assertTrue(loss < 0.35, cell + ": loss " + loss);
            Generator generator = new Generator(3);
            List<String> samples = new ArrayList<>();
            try (NoGrad ignored = NoGrad.enter()) {
                for (int i = 0; i < 10; i++) {
                    samples.add(model.sample(generator, 0.3, 12));
                }
            }
            assertTrue(words.containsAll(samples), cell + ": samples " + samples);
        }
    }

    @Test
    void maxNormKeepsTheLetterVectorsInUseShort() {
        List<String> words = List.of("apple", "brown", "cider", "dune", "eagle");
        Generator.manualSeed(1);
        CharLM free = new CharLM("gru", 8, 16);
        Generator.manualSeed(1);
        CharLM limited = new CharLM("gru", 8, 16, 0, 1.0);
        assertEquals("Embedding(27, 8, max_norm=1.0)", limited.embedding.toString());
        double start = CharLMExample.largestRowNorm(limited.embedding.weight);
        assertEquals(CharLMExample.largestRowNorm(free.embedding.weight), start, "the same N(0, 1) start");
        assertTrue(start > 2, "N(0, 1) rows of 8 are about √8 long: " + start);
        float[] zBefore = limited.embedding.weight.select(0, CharLM.token('z')).toArray();
        for (CharLM model : List.of(free, limited)) {
            Optimizer optimizer = Adam.builder(model.parameters()).lr(0.02f).build();
            for (int step = 0; step < 20; step++) {
                CharLMExample.trainEpoch(model, optimizer, words, 5, 1f, new Random(step), null);
            }
        }
        // No word has a 'z': its row was never picked, so never scaled down.
        assertArrayEquals(zBefore, limited.embedding.weight.select(0, CharLM.token('z')).toArray());
        float[] all = new float[CharLM.VOCAB];
        for (int token = 0; token < all.length; token++) {
            all[token] = token;
        }
        try (NoGrad ignored = NoGrad.enter()) {
            limited.forward(Tensor.of(all, 1, all.length));      // a lookup of every row scales each down to 1
        }
        assertTrue(CharLMExample.largestRowNorm(limited.embedding.weight) <= 1 + 1e-6,
                "limited: " + CharLMExample.largestRowNorm(limited.embedding.weight));
        assertTrue(CharLMExample.largestRowNorm(free.embedding.weight) > 2,
                "free: " + CharLMExample.largestRowNorm(free.embedding.weight));
    }

    @Test
    void samplingIsReproducibleWithASeed() {
        Generator.manualSeed(4);
        CharLM model = new CharLM("gru", 8, 16);
        List<String> first = new ArrayList<>();
        List<String> again = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Generator a = new Generator(11);
        Generator b = new Generator(11);
        Generator c = new Generator(12);
        for (int i = 0; i < 5; i++) {
            first.add(model.sample(a, 1.0, 10));
            again.add(model.sample(b, 1.0, 10));
            other.add(model.sample(c, 1.0, 10));
        }
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertEquals(3, CharLM.token('c'));
    }
}
