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
    void maxNormKeepsTheLetterVectorsInUseShortAndLeavesUnusedOnesAlone() {
        List<String> words = List.of("apple", "brown", "cider", "dune", "eagle");
        float lr = 0.02f;
        Generator.manualSeed(1);
        CharLM free = new CharLM("gru", 8, 16);
        Generator.manualSeed(1);
        CharLM limited = new CharLM("gru", 8, 16, 0, 1.0);
        assertEquals("Embedding(27, 8, max_norm=1.0)", limited.embedding.toString());
        assertArrayEquals(free.embedding.weight.toArray(), limited.embedding.weight.toArray(), "the same N(0, 1) start");
        double start = CharLMExample.largestRowNorm(limited.embedding.weight);
        assertTrue(start > 2, "N(0, 1) rows of 8 are about √8 long: " + start);
        // Each step looks the rows up (the lookup scales every picked row down to at most 1), then Adam
        // moves them. All five words are in every batch, so after the last step each used row is at most
        // 1 plus one Adam step, which is at most lr·(1 − β1)/√(1 − β2) per element (Kingma and Ba,
        // section 2.1; PyTorch's betas 0.9 and 0.999), times √8 for a row of 8.
        double bound = 1 + Math.sqrt(8) * lr * (1 - 0.9) / Math.sqrt(1 - 0.999);
        int[] used = words.stream().flatMapToInt(String::chars).distinct().map(c -> CharLM.token((char) c)).toArray();
        double longestUsedAtStart = 0;
        for (int token : used) {
            longestUsedAtStart = Math.max(longestUsedAtStart, rowNorm(limited.embedding.weight, token));
        }
        assertTrue(longestUsedAtStart > bound, "a used row starts longer than the bound: " + longestUsedAtStart);
        float[] zBefore = limited.embedding.weight.select(0, CharLM.token('z')).toArray();
        double zNorm = rowNorm(limited.embedding.weight, CharLM.token('z'));
        assertTrue(zNorm > 1, "'z' starts longer than the limit: " + zNorm);
        for (CharLM model : List.of(free, limited)) {
            Optimizer optimizer = Adam.builder(model.parameters()).lr(lr).build();
            for (int step = 0; step < 20; step++) {
                CharLMExample.trainEpoch(model, optimizer, words, 5, 1f, new Random(step), null);
            }
        }
        double longestFree = 0;
        for (int token : used) {
            double limitedNorm = rowNorm(limited.embedding.weight, token);
            assertTrue(limitedNorm <= bound, "limited: '" + CharLM.ALPHABET.charAt(token) + "' is " + limitedNorm + " long");
            longestFree = Math.max(longestFree, rowNorm(free.embedding.weight, token));
        }
        assertTrue(longestFree > bound, "free: the longest used row is only " + longestFree + " long");
        // No word has a 'z': its row was never picked, so never scaled down, and Adam, with no gradient
        // for it ever, never moved it.
        assertArrayEquals(zBefore, limited.embedding.weight.select(0, CharLM.token('z')).toArray());
        // Last, a lookup of every row, 'z' too, scales each down to at most 1.
        float[] all = new float[CharLM.VOCAB];
        for (int token = 0; token < all.length; token++) {
            all[token] = token;
        }
        try (NoGrad ignored = NoGrad.enter()) {
            limited.forward(Tensor.of(all, 1, all.length));
        }
        assertTrue(CharLMExample.largestRowNorm(limited.embedding.weight) <= 1 + 1e-6,
                "limited after a lookup of every row: " + CharLMExample.largestRowNorm(limited.embedding.weight));
    }

    /** The length (2-norm) of one row of an embedding table. */
    private static double rowNorm(Tensor table, int row) {
        double squares = 0;
        for (float value : table.select(0, row).toArray()) {
            squares += (double) value * value;
        }
        return Math.sqrt(squares);
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
