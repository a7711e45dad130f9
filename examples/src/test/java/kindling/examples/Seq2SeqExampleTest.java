package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import kindling.autograd.NoGrad;
import kindling.data.text.Vocab;
import kindling.examples.models.AttentionGruTranslator;
import kindling.examples.models.DateTransformer;
import kindling.examples.seq2seq.DateBatches;
import kindling.examples.seq2seq.Dates;
import kindling.nn.Embedding;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.CachedNextTokenModel;
import org.junit.jupiter.api.Test;

/** The date data, the shape trace, and a few training steps of both models (never a training run). */
class Seq2SeqExampleTest {

    @Test
    void datesInTheCoursesFormatsWithHeldOutDatesApart() {
        LocalDate d = LocalDate.of(2002, 3, 5);
        assertEquals("5 march 2002", Dates.format(d, 0));
        assertEquals("tuesday, march 5 2002", Dates.format(d, 1));
        assertEquals("05.03.02", Dates.format(d, 2));
        assertEquals("5/3/2002", Dates.format(d, 3));
        assertEquals("march 5th, 2002", Dates.format(d, 4));
        assertEquals("the 22nd of june 1979", Dates.format(LocalDate.of(1979, 6, 22), 12));
        assertEquals("january 11th, 2011", Dates.format(LocalDate.of(2011, 1, 11), 4));
        assertEquals("february 23rd, 2003", Dates.format(LocalDate.of(2003, 2, 23), 4));
        assertEquals("january 1st, 2001", Dates.format(LocalDate.of(2001, 1, 1), 4));
        Dates.Split split = Dates.split(42, 0.1);
        assertEquals(36525, split.train().size() + split.test().size());
        Set<LocalDate> train = new HashSet<>(split.train());
        assertTrue(split.test().stream().noneMatch(train::contains));
        assertEquals(split.test(), Dates.split(42, 0.1).test());                 // the same every run
    }

    @Test
    void batchesShiftTheTargetForTeacherForcing() {
        Vocab source = DateBatches.sourceVocab();
        Vocab target = DateBatches.targetVocab();
        DateBatches.Batch batch = DateBatches.of(List.of(new Dates.Pair("5 mar 2002", "2002-03-05", null),
                new Dates.Pair("tuesday, march 5 2002", "2002-03-05", null)), source, target);
        assertArrayEquals(new int[] {2, 21}, batch.source().tokens().shape());
        assertArrayEquals(new int[] {10, 21}, batch.source().lengths());
        float[] input = batch.decoderInput().toArray();
        float[] wanted = batch.decoderTarget().toArray();
        assertEquals(Vocab.BOS_INDEX, input[0]);
        assertEquals(Vocab.EOS_INDEX, wanted[10]);
        for (int t = 1; t <= 10; t++) {
            assertEquals(wanted[t - 1], input[t]);
        }
        for (int i : source.encodeCharacters("wednesday, september 30th 2049 the of", false, false)) {
            assertTrue(i != Vocab.UNK_INDEX);
        }
    }

    @Test
    void theDecoderLayerTraceEndsWhereTheLayerDoes() {
        Generator.manualSeed(0);
        Vocab source = DateBatches.sourceVocab();
        Vocab target = DateBatches.targetVocab();
        DateTransformer model = new DateTransformer(source.size(), target.size(), 16, 2, 1, 32);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tensor difference = Seq2SeqExample.traceDecoderLayer(new PrintStream(bytes, true, StandardCharsets.UTF_8), model,
                DateBatches.of(List.of(new Dates.Pair("5 mar 2002", "2002-03-05", null),
                        new Dates.Pair("march 5th, 2002", "2002-03-05", null)), source, target));
        assertTrue(difference.item() < 1e-5f, "the step-by-step layer differs from the layer by " + difference.item());
        // Two dates of 10 and 15 characters: S = 15, T = 11 (<bos> and 10 characters), d = 16, 2 heads of 8.
        assertEquals("""
                  source characters                            (2, 15)
                  target input <bos> y1..y10                   (2, 11)
                  memory = encoder(source)                     (2, 15, 16)
                  x = embedding + positions                    (2, 11, 16)
                  causal mask                                  (11, 11)
                  self-attention: Q from the target            (2, 11, 16)
                  self-attention: K, V from the target         (2, 11, 16)
                  self-attention: Q, K split into 2 heads      (2, 2, 11, 8)
                  self-attention: scores QKᵀ/√8 + mask         (2, 2, 11, 11)
                  self-attention: weights                      (2, 2, 11, 11)
                  self-attention: heads concatenated           (2, 11, 16)
                  self-attention: output projection            (2, 11, 16)
                  x = norm1(x + self-attention)                (2, 11, 16)
                  memory padding mask                          (2, 15)
                  cross-attention: Q from the target           (2, 11, 16)
                  cross-attention: K, V from the memory        (2, 15, 16)
                  cross-attention: Q, K split into 2 heads     (2, 2, 11, 8)
                  cross-attention: scores QKᵀ/√8 + mask        (2, 2, 11, 15)
                  cross-attention: weights                     (2, 2, 11, 15)
                  cross-attention: heads concatenated          (2, 11, 16)
                  cross-attention: output projection           (2, 11, 16)
                  x = norm2(x + cross-attention)               (2, 11, 16)
                  linear1(x)                                   (2, 11, 32)
                  linear2(relu(...))                           (2, 11, 16)
                  x = norm3(x + feed-forward)                  (2, 11, 16)
                  decoder layer(x, memory), at once            (2, 11, 16)
                """, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void bothModelsLearnAndDecodeThroughTheSameSearch() {
        Generator.manualSeed(1);
        Vocab source = DateBatches.sourceVocab();
        Vocab target = DateBatches.targetVocab();
        Dates.Split split = Dates.split(42, 0.1);
        List<Dates.Pair> heldOut = Dates.sample(new Random(2), split.test(), 3);
        DateTransformer transformer = new DateTransformer(source.size(), target.size(), 16, 2, 1, 32);
        AttentionGruTranslator rnn = new AttentionGruTranslator(source.size(), target.size(), 8, 16);
        double[] t = Seq2SeqExample.train(transformer, transformer, 40, 16, 0.005f, split.train(), source, target,
                new Random(1), null);
        double[] r = Seq2SeqExample.train(rnn, rnn, 20, 16, 0.01f, split.train(), source, target, new Random(1), null);
        assertEquals(2, t.length);
        assertTrue(t[1] < t[0] && t[1] < Math.log(target.size()), "Transformer loss " + t[0] + " then " + t[1]);
        assertTrue(r[0] < Math.log(target.size()) + 0.1, "GRU loss " + r[0]);
        for (Map<String, Double> accuracy : List.of(
                Seq2SeqExample.evaluate(transformer, transformer, source, target, heldOut, 0.7),
                Seq2SeqExample.evaluate(rnn, rnn, source, target, heldOut, 0.7))) {
            assertEquals(List.of("greedy", "beam 1", "beam 3", "beam 5"), List.copyOf(accuracy.keySet()));
            assertEquals(accuracy.get("greedy"), accuracy.get("beam 1"));         // width 1 is greedy
        }
    }

    /**
     * The GRU's {@code decodeStep}, threaded by hand from s_0 = 0, gives {@code decode}'s scores and attention
     * weights at every position; its cached decoding may start with several prefixes and follows the parents.
     */
    @Test
    void theGruStepIsTheDecoderLoopsStep() {
        Generator.manualSeed(3);
        AttentionGruTranslator rnn = new AttentionGruTranslator(12, 9, 8, 16);
        rnn.eval();
        Tensor src = Embedding.indices(new int[][] {{3, 4, 5, 6, 0}, {7, 8, 2, 0, 0}}, 0);
        AttentionMask padding = AttentionMask.padding(new int[] {4, 3}, 5);
        Tensor tgt = Embedding.indices(new int[][] {{1, 2, 3}, {1, 5, 4}}, 0);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor encoded = rnn.encode(src);
            AttentionGruTranslator.Decoded all = rnn.decode(tgt, encoded, padding);
            Tensor state = Tensor.zeros(2, 16);
            for (int t = 0; t < 3; t++) {
                AttentionGruTranslator.Step step = rnn.decodeStep(tgt.select(1, t), state, encoded, padding);
                assertClose(all.scores().select(1, t), step.scores(), "scores at " + t);
                assertClose(all.weights().select(1, t), step.weights(), "weights at " + t);
                state = step.state();
            }

            CachedNextTokenModel model = rnn.nextTokenModel(src.narrow(0, 0, 1));
            CachedNextTokenModel.Decoding decoding = model.startDecoding();
            int[][] first = {{1}, {1}};                                 // two prefixes at the first call
            assertClose(model.logProbs(first), decoding.logProbs(first, null), "two first prefixes");
            int[][] second = {{1, 3}, {1, 5}, {1, 6}};
            assertClose(model.logProbs(second), decoding.logProbs(second, new int[] {1, 0, 0}), "three children");
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float diff = expected.sub(actual).abs().max().item();
        assertTrue(diff <= 1e-5f, what + ": differ by " + diff);
    }

    /**
     * Both models decode step by step (the Transformer's key/value cache, the GRU's kept state) and find the
     * hypotheses of the uncached searches; the cache's shapes at each step of a beam of 3 are the ones written
     * here. No timing is checked, only that the comparison ran.
     */
    @Test
    void cachedDecodingFindsTheUncachedHypotheses() {
        Generator.manualSeed(2);
        Vocab source = DateBatches.sourceVocab();
        Vocab target = DateBatches.targetVocab();
        Dates.Split split = Dates.split(42, 0.1);
        List<Dates.Pair> dates = Dates.sample(new Random(2), split.test(), 2);
        DateTransformer transformer = new DateTransformer(source.size(), target.size(), 16, 2, 2, 32);
        AttentionGruTranslator rnn = new AttentionGruTranslator(source.size(), target.size(), 8, 16);
        Seq2SeqExample.train(transformer, transformer, 20, 16, 0.005f, split.train(), source, target, new Random(1), null);
        Seq2SeqExample.train(rnn, rnn, 10, 16, 0.01f, split.train(), source, target, new Random(1), null);
        for (Seq2SeqExample.DecodeTiming timing : List.of(
                Seq2SeqExample.timeDecoding(transformer, transformer, source, dates, 0.7, 1),
                Seq2SeqExample.timeDecoding(rnn, rnn, source, dates, 0.7, 1))) {
            assertTrue(timing.sameHypotheses());
            assertEquals(1, timing.cachedSeconds().length);
            assertTrue(timing.cachedSeconds()[0] > 0 && timing.uncachedSeconds()[0] > 0);
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Seq2SeqExample.traceCache(new PrintStream(bytes, true, StandardCharsets.UTF_8), transformer,
                Seq2SeqExample.encode(source, "5 mar 2002"), 0.7);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        // "5 mar 2002": S = 10 characters; 2 heads of 8. Step 0 feeds <bos> alone, then three beams.
        assertEquals("  step 0  parents -          new tokens (1, 1)   self-attention K, V (1, 2, 1, 8)    "
                + "cross-attention K, V (1, 2, 10, 8)   scores (1, 1, 15)", lines[0]);
        assertTrue(lines[1].matches("  step 1  parents \\[0,0,0\\] +new tokens \\(3, 1\\) +self-attention K, V "
                + "\\(3, 2, 2, 8\\) +cross-attention K, V \\(3, 2, 10, 8\\) +scores \\(3, 1, 15\\)"), lines[1]);
        assertTrue(lines[2].contains("self-attention K, V (3, 2, 3, 8)"), lines[2]);
    }
}
