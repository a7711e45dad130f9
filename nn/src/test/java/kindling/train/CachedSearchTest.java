package kindling.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.nn.Embedding;
import kindling.nn.KeyValueCache;
import kindling.nn.LayerNorm;
import kindling.nn.Linear;
import kindling.nn.PositionalEncoding;
import kindling.nn.TransformerDecoder;
import kindling.nn.TransformerDecoderLayer;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The searches drive a {@link CachedNextTokenModel} step by step: the parents they pass rebuild exactly the
 * prefixes they mean, and a Transformer decoder with a {@link KeyValueCache} finds the same hypotheses as the
 * same decoder rerun on the whole prefixes.
 */
class CachedSearchTest {
    private static final int BOS = 0;
    private static final int EOS = 1;
    private static final int VOCAB = 7;

    /**
     * A decoder-only toy around a {@link TransformerDecoder}: token embedding + positions → decoder over a fixed
     * random memory (1, S, E) → Linear → log-softmax. Uncached, {@link #logProbs(int[][])} reruns the prefixes;
     * cached, each step feeds the newest token and keeps the rest in a {@link KeyValueCache}, after checking that
     * the parents rebuild the prefixes the search passes. {@link #batchSizes} records the B of every cached step.
     */
    static final class TinyDecoder implements CachedNextTokenModel {
        final Embedding embedding;
        final PositionalEncoding positions = new PositionalEncoding(8, 0, 32);
        final TransformerDecoder decoder;
        final Linear output;
        final Tensor memory;
        final List<Integer> batchSizes = new ArrayList<>();
        int cachedSteps;

        TinyDecoder(boolean normFirst, int layers, long seed) {
            this(normFirst, layers, seed, 0);
        }

        /** {@code eosBias} added to the score of {@code <eos>}: a larger one ends sequences sooner. */
        TinyDecoder(boolean normFirst, int layers, long seed, float eosBias) {
            Generator.manualSeed(seed);
            embedding = new Embedding(VOCAB, 8);
            decoder = new TransformerDecoder(() -> TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).dropout(0.2)
                    .normFirst(normFirst).batchFirst(true).build(), layers, normFirst ? new LayerNorm(8) : null);
            output = new Linear(8, VOCAB);
            memory = Tensor.randn(1, 4, 8);
            decoder.eval();
            try (NoGrad ignored = NoGrad.enter()) {             // sharper than at initialisation: fewer near-ties
                output.weight.copy_(output.weight.mul(6f));
                float[] bias = output.bias.toArray();
                bias[EOS] += eosBias;
                output.bias.copy_(Tensor.wrap(bias, VOCAB));
            }
        }

        @Override
        public Tensor logProbs(int[][] prefixes) {
            int n = prefixes.length;
            int t = prefixes[0].length;
            Tensor x = positions.forward(embedding.forward(Embedding.indices(prefixes, 0)));
            Tensor y = decoder.forward(x, memory.expand(n, 4, 8), AttentionMask.causal(t), null, null, null);
            return output.forward(y.select(1, t - 1)).logSoftmax(-1);
        }

        @Override
        public Decoding startDecoding() {
            KeyValueCache cache = decoder.newCache();
            List<int[]> rebuilt = new ArrayList<>();
            return (prefixes, parentBeams) -> {
                int n = prefixes.length;
                int t = prefixes[0].length;
                if (parentBeams == null) {
                    assertEquals(0, cache.length());
                } else {
                    cache.reorder(parentBeams);
                }
                List<int[]> next = new ArrayList<>();
                for (int b = 0; b < n; b++) {                   // the parent's prefix and the new token
                    int[] parent = parentBeams == null ? new int[0] : rebuilt.get(parentBeams[b]);
                    int[] prefix = Arrays.copyOf(parent, parent.length + 1);
                    prefix[parent.length] = prefixes[b][t - 1];
                    assertArrayEquals(prefixes[b], prefix, "prefix " + b + " rebuilt from its parent");
                    next.add(prefix);
                }
                rebuilt.clear();
                rebuilt.addAll(next);
                cachedSteps++;
                batchSizes.add(n);
                Tensor x = positions.forward(embedding.forward(Embedding.indices(prefixes, t - 1)), t - 1);   // (n, 1, 8)
                Tensor y = decoder.forwardStep(x, memory.expand(n, 4, 8), null, cache);
                assertEquals(t, cache.length());
                return output.forward(y.select(1, 0)).logSoftmax(-1);
            };
        }
    }

    private static void assertSameHypotheses(List<Hypothesis> uncached, List<Hypothesis> cached, String what) {
        assertEquals(uncached.size(), cached.size(), what + ": number of hypotheses");
        for (int i = 0; i < uncached.size(); i++) {
            assertEquals(uncached.get(i).tokens(), cached.get(i).tokens(), what + ": hypothesis " + i);
            assertEquals(uncached.get(i).finished(), cached.get(i).finished(), what + ": hypothesis " + i);
            assertEquals(uncached.get(i).logProbability(), cached.get(i).logProbability(), 1e-4,
                    what + ": log-probability of hypothesis " + i);
        }
    }

    @Test
    void greedyAndBeamFindTheSameHypothesesCachedAndUncached() {
        int searches = 0;
        for (boolean normFirst : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 3; seed++) {
                TinyDecoder model = new TinyDecoder(normFirst, 3, seed);
                NextTokenModel uncached = model::logProbs;              // the same model seen without its cache
                String what = "normFirst " + normFirst + ", seed " + seed;
                Hypothesis g1 = SequenceSearch.greedy(uncached, BOS, EOS, 9);
                Hypothesis g2 = SequenceSearch.greedy(model, BOS, EOS, 9);
                assertSameHypotheses(List.of(g1), List.of(g2), what + ", greedy");
                // One cached step per generated token, one sequence each: the search went through the cache.
                assertEquals(g2.tokens().size(), model.cachedSteps, what + ", greedy's cached steps");
                assertEquals(Collections.nCopies(g2.tokens().size(), 1), model.batchSizes, what + ", greedy's batches");
                for (int width : new int[] {1, 3, 5}) {
                    model.batchSizes.clear();
                    assertSameHypotheses(SequenceSearch.beam(uncached, BOS, EOS, width, 9, 0.7),
                            SequenceSearch.beam(model, BOS, EOS, width, 9, 0.7), what + ", beam " + width);
                    List<Integer> sizes = model.batchSizes;
                    assertTrue(!sizes.isEmpty() && sizes.get(0) == 1 && Collections.max(sizes) <= width
                            && (width == 1 || Collections.max(sizes) > 1), what + ", beam " + width + "'s batches: "
                            + sizes);
                    searches++;
                }
            }
        }
        assertEquals(18, searches);
    }

    /** Some beams finish early, so the batch shrinks; the parents must still rebuild every prefix. */
    @Test
    void parentsFollowTheBeamsAsTheyFinish() {
        TinyDecoder model = new TinyDecoder(false, 2, 11, 2.5f);
        List<Hypothesis> beam = SequenceSearch.beam(model, BOS, EOS, 4, 12, 0.7);
        List<Integer> sizes = model.batchSizes;
        assertTrue(sizes.size() > 2 && sizes.get(0) == 1, "cached steps' batches: " + sizes);
        assertTrue(sizes.get(sizes.size() - 1) < 4 && sizes.contains(4), "the batch should grow to 4 beams, then "
                + "shrink as they finish: " + sizes);
        assertSameHypotheses(SequenceSearch.beam(model::logProbs, BOS, EOS, 4, 12, 0.7), beam, "beam 4");
    }
}
