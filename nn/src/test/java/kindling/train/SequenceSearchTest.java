package kindling.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Greedy and beam search on hand-made next-token tables, where the most probable sequence is known by hand.
 * Tokens: 0 = &lt;bos&gt;, 1 = &lt;eos&gt;, 2 = A, 3 = B.
 */
class SequenceSearchTest {
    private static final int BOS = 0;
    private static final int EOS = 1;
    private static final int A = 2;
    private static final int B = 3;

    /**
     * A model that looks up p(next | prefix) in {@code table} (prefix without &lt;bos&gt;, e.g. "A B"); a prefix
     * not in the table ends: p(&lt;eos&gt;) = 1. Probability 0 is log p = −∞.
     */
    private static NextTokenModel table(Map<String, double[]> table) {
        return prefixes -> {
            float[] out = new float[prefixes.length * 4];
            for (int b = 0; b < prefixes.length; b++) {
                StringBuilder key = new StringBuilder();
                for (int i = 1; i < prefixes[b].length; i++) {
                    key.append(key.length() == 0 ? "" : " ").append("..AB".charAt(prefixes[b][i]));
                }
                double[] p = table.getOrDefault(key.toString(), new double[] {0, 1, 0, 0});
                for (int v = 0; v < 4; v++) {
                    out[b * 4 + v] = (float) Math.log(p[v]);
                }
            }
            return Tensor.wrap(out, prefixes.length, 4);
        };
    }

    /**
     * p(A) = 0.5, p(B) = 0.4, p(eos) = 0.1; after A: eos 0.4, A 0.3, B 0.3; after B: eos 0.9, A 0.05, B 0.05.
     * Greedy takes A (0.5) and then eos: P = 0.5 · 0.4 = 0.20. The most probable sequence is B eos:
     * 0.4 · 0.9 = 0.36 (every other is at most 0.5 · 0.3 = 0.15, or eos alone 0.1).
     */
    private static final Map<String, double[]> GREEDY_LOSES = Map.of(
            "", new double[] {0, 0.1, 0.5, 0.4},
            "A", new double[] {0, 0.4, 0.3, 0.3},
            "B", new double[] {0, 0.9, 0.05, 0.05});

    @Test
    void greedyTakesTheLocallyBestFirstTokenAndLoses() {
        Hypothesis greedy = SequenceSearch.greedy(table(GREEDY_LOSES), BOS, EOS, 10);
        assertEquals(List.of(A, EOS), greedy.tokens());
        assertEquals(Math.log(0.5 * 0.4), greedy.logProbability(), 1e-6);
        assertTrue(greedy.finished());
        assertEquals(List.of(A), greedy.withoutEos());
    }

    @Test
    void beamOfTwoFindsTheMostProbableSequence() {
        List<Hypothesis> beam = SequenceSearch.beam(table(GREEDY_LOSES), BOS, EOS, 2, 10, 0);
        assertEquals(List.of(B, EOS), beam.get(0).tokens());
        assertEquals(Math.log(0.36), beam.get(0).logProbability(), 1e-6);
        assertEquals(List.of(A, EOS), beam.get(1).tokens());     // the second of the two kept at step 2
        assertEquals(2, beam.size());
    }

    @Test
    void widthOneIsGreedy() {
        Map<String, double[]> longer = Map.of(
                "", new double[] {0, 0.2, 0.4, 0.4},           // a tie: both take the lower token, A
                "A", new double[] {0, 0.1, 0.3, 0.6},
                "A B", new double[] {0, 0.4, 0.6, 0},
                "A B A", new double[] {0, 0.7, 0.2, 0.1});
        for (Map<String, double[]> t : List.of(GREEDY_LOSES, longer)) {
            Hypothesis greedy = SequenceSearch.greedy(table(t), BOS, EOS, 10);
            List<Hypothesis> beam = SequenceSearch.beam(table(t), BOS, EOS, 1, 10, 0.7);
            assertEquals(1, beam.size());
            assertEquals(greedy.tokens(), beam.get(0).tokens());
            assertEquals(greedy.logProbability(), beam.get(0).logProbability(), 0);
        }
        assertEquals(List.of(A, B, A, EOS), SequenceSearch.greedy(table(longer), BOS, EOS, 10).tokens());
    }

    /**
     * p(eos) = 0.4 at once, or A (0.6) then eos (0.6): P = 0.36 for two tokens. Unnormalised (α = 0) the
     * one-token sequence wins, log 0.4 = −0.916 against log 0.36 = −1.022; with α = 1 the per-token mean
     * log 0.36 / 2 = −0.511 beats −0.916; with α = 0.7, log 0.36 / 2^0.7 = −0.629, still the longer one.
     */
    @Test
    void lengthNormalisationByHand() {
        Map<String, double[]> t = Map.of(
                "", new double[] {0, 0.4, 0.6, 0},
                "A", new double[] {0, 0.6, 0.2, 0.2});
        assertEquals(List.of(EOS), SequenceSearch.beam(table(t), BOS, EOS, 2, 10, 0).get(0).tokens());
        List<Hypothesis> perToken = SequenceSearch.beam(table(t), BOS, EOS, 2, 10, 1);
        assertEquals(List.of(A, EOS), perToken.get(0).tokens());
        assertEquals(Math.log(0.36) / 2, perToken.get(0).score(), 1e-6);
        assertEquals(List.of(A, A, EOS), perToken.get(1).tokens());   // A A (0.12) survived step 2, then ended
        assertEquals(Math.log(0.12) / 3, perToken.get(1).score(), 1e-6);
        assertEquals(Math.log(0.4), perToken.get(2).score(), 1e-6);
        Hypothesis course = SequenceSearch.beam(table(t), BOS, EOS, 2, 10, 0.7).get(0);
        assertEquals(List.of(A, EOS), course.tokens());
        assertEquals(-0.6290, course.score(), 1e-4);
        assertEquals(Math.log(0.36), course.logProbability(), 1e-6);
        assertEquals(-0.6290, SequenceSearch.lengthNormalised(Math.log(0.36), 2, 0.7), 1e-4);
    }

    @Test
    void stopsAtTheMaximumLengthUnfinished() {
        NextTokenModel forever = prefixes -> {
            float[] out = new float[prefixes.length * 4];
            Arrays.fill(out, Float.NEGATIVE_INFINITY);
            for (int b = 0; b < prefixes.length; b++) {
                out[b * 4 + A] = 0;                            // always A, never <eos>
            }
            return Tensor.wrap(out, prefixes.length, 4);
        };
        Hypothesis greedy = SequenceSearch.greedy(forever, BOS, EOS, 3);
        assertEquals(List.of(A, A, A), greedy.tokens());
        assertFalse(greedy.finished());
        List<Hypothesis> beam = SequenceSearch.beam(forever, BOS, EOS, 3, 3, 0.7);
        assertEquals(1, beam.size());                          // the only extensions of probability > 0
        assertEquals(List.of(A, A, A), beam.get(0).withoutEos());
        assertFalse(beam.get(0).finished());
    }

    @Test
    void argumentsAndTheModelsShapeAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> SequenceSearch.beam(table(GREEDY_LOSES), BOS, EOS, 0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> SequenceSearch.greedy(table(GREEDY_LOSES), BOS, EOS, 0));
        NextTokenModel wrong = prefixes -> Tensor.zeros(4);
        Exception e = assertThrows(IllegalArgumentException.class, () -> SequenceSearch.greedy(wrong, BOS, EOS, 5));
        assertEquals("SequenceSearch: NextTokenModel.logProbs should return log-probabilities (B, V) with B = 1 "
                + "prefixes of length 1 but returned (4,)", e.getMessage());
        CachedNextTokenModel wrongSteps = new CachedNextTokenModel() {
            @Override
            public Tensor logProbs(int[][] prefixes) {
                return Tensor.zeros(prefixes.length, 3);
            }

            @Override
            public Decoding startDecoding() {
                return (prefixes, parentBeams) -> Tensor.zeros(2, 3);
            }
        };
        Exception cached = assertThrows(IllegalArgumentException.class,
                () -> SequenceSearch.beam(wrongSteps, BOS, EOS, 2, 5, 0.7));
        assertEquals("SequenceSearch: CachedNextTokenModel.Decoding.logProbs should return log-probabilities (B, V) "
                + "with B = 1 prefixes of length 1 but returned (2, 3)", cached.getMessage());
    }
}
