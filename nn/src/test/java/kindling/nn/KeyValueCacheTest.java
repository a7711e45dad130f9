package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Step-by-step decoding with a {@link KeyValueCache} gives the full causal forward pass's outputs, position by
 * position, in both norm placements, both layouts, with several layers, padding, and beams reordered.
 */
class KeyValueCacheTest {
    private static final float TOLERANCE = 2e-5f;

    private static TransformerDecoder decoder(boolean normFirst, boolean batchFirst, int layers, long seed) {
        Generator.manualSeed(seed);
        TransformerDecoderLayer layer = TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).dropout(0.1)
                .normFirst(normFirst).batchFirst(batchFirst).activation(normFirst ? "gelu" : "relu").build();
        TransformerDecoder decoder = new TransformerDecoder(() -> layer.copy(), layers, normFirst ? new LayerNorm(8) : null);
        for (Tensor p : decoder.parameters()) {                 // LayerNorms and biases away from 1 and 0 too
            try (NoGrad ignored = NoGrad.enter()) {
                p.copy_(p.add(Tensor.randn(p.shape()).mul(0.3f)));
            }
        }
        decoder.eval();                                          // no dropout: the steps equal the full pass
        return decoder;
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float diff = expected.sub(actual).abs().max().item();
        assertTrue(diff <= TOLERANCE, what + ": cached and uncached differ by " + diff);
    }

    /** Positions {@code start} .. start + length − 1 of a (N, T, E) or (T, N, E) tensor. */
    private static Tensor positions(Tensor x, boolean batchFirst, int start, int length) {
        return x.narrow(batchFirst ? 1 : 0, start, length);
    }

    @Test
    void oneStepAtATimeEqualsTheFullCausalPass() {
        for (boolean normFirst : new boolean[] {false, true}) {
            for (boolean batchFirst : new boolean[] {true, false}) {
                TransformerDecoder decoder = decoder(normFirst, batchFirst, 3, normFirst ? 1 : 2);
                int n = 2;
                int t = 6;
                int s = 5;
                Tensor tgt = batchFirst ? Tensor.randn(n, t, 8) : Tensor.randn(t, n, 8);
                Tensor memory = batchFirst ? Tensor.randn(n, s, 8) : Tensor.randn(s, n, 8);
                AttentionMask padding = AttentionMask.padding(new int[] {5, 3}, s);   // the second source is shorter
                String what = "normFirst " + normFirst + ", batchFirst " + batchFirst;
                try (NoGrad ignored = NoGrad.enter()) {
                    Tensor full = decoder.forward(tgt, memory, AttentionMask.causal(t), null, null, padding);
                    KeyValueCache cache = decoder.newCache();
                    for (int i = 0; i < t; i++) {
                        Tensor step = decoder.forwardStep(positions(tgt, batchFirst, i, 1), memory, padding, cache);
                        assertClose(positions(full, batchFirst, i, 1), step, what + ", position " + i);
                        assertEquals(i + 1, cache.length());
                        assertEquals(n, cache.batchSize());
                    }
                    // What the cache holds: (N, h, t, d) target keys per layer, (N, h, S, d) memory keys.
                    assertArrayEquals(new int[] {n, 2, t, 4}, cache.layer(2).selfAttention().keys().shape());
                    assertArrayEquals(new int[] {n, 2, s, 4}, cache.layer(2).crossAttention().values().shape());

                    // Several positions per step (a prompt, then single tokens): the last rows of the causal mask.
                    KeyValueCache chunked = decoder.newCache();
                    int start = 0;
                    for (int length : new int[] {3, 1, 2}) {
                        Tensor step = decoder.forwardStep(positions(tgt, batchFirst, start, length), memory, padding,
                                chunked);
                        assertClose(positions(full, batchFirst, start, length), step, what + ", positions " + start
                                + ".." + (start + length - 1));
                        start += length;
                    }
                }
            }
        }
    }

    /**
     * A batch of targets of different lengths (padded at the end) decoded step by step with the target's key
     * padding mask cut to the positions so far gives the full pass with the same mask at every position, the
     * padded ones included; one position at a time and in chunks, both norm placements and both layouts.
     */
    @Test
    void stepsWithTheTargetPaddingMaskEqualTheFullMaskedPassAtEveryPosition() {
        int[] lengths = {7, 4, 2};
        for (boolean normFirst : new boolean[] {false, true}) {
            for (boolean batchFirst : new boolean[] {true, false}) {
                TransformerDecoder decoder = decoder(normFirst, batchFirst, 2, normFirst ? 11 : 12);
                int n = 3;
                int t = 7;
                Tensor tgt = batchFirst ? Tensor.randn(n, t, 8) : Tensor.randn(t, n, 8);
                Tensor memory = batchFirst ? Tensor.randn(n, 5, 8) : Tensor.randn(5, n, 8);
                AttentionMask memoryPadding = AttentionMask.padding(new int[] {5, 3, 4}, 5);
                String what = "normFirst " + normFirst + ", batchFirst " + batchFirst;
                try (NoGrad ignored = NoGrad.enter()) {
                    AttentionMask padding = AttentionMask.padding(lengths, t);
                    Tensor full = decoder.forward(tgt, memory, AttentionMask.causal(t), null, padding, memoryPadding);
                    Tensor unpadded = decoder.forward(tgt, memory, AttentionMask.causal(t), null, null, memoryPadding);
                    assertTrue(full.sub(unpadded).abs().max().item() > 1e-3f, "the padding changes the full pass");
                    KeyValueCache cache = decoder.newCache();
                    for (int i = 0; i < t; i++) {
                        Tensor step = decoder.forwardStep(positions(tgt, batchFirst, i, 1), memory,
                                firstKeys(padding, i + 1), memoryPadding, cache);
                        assertClose(positions(full, batchFirst, i, 1), step, what + ", position " + i);
                    }
                    KeyValueCache chunked = decoder.newCache();
                    int start = 0;
                    for (int length : new int[] {3, 1, 3}) {
                        Tensor step = decoder.forwardStep(positions(tgt, batchFirst, start, length), memory,
                                firstKeys(padding, start + length), memoryPadding, chunked);
                        assertClose(positions(full, batchFirst, start, length), step, what + ", positions " + start
                                + ".." + (start + length - 1));
                        start += length;
                    }
                }
            }
        }
    }

    /** The (N, T) key padding mask's first {@code keys} columns: the positions decoded so far. */
    private static AttentionMask firstKeys(AttentionMask padding, int keys) {
        return AttentionMask.additive(padding.additive().narrow(1, 0, keys));
    }

    @Test
    void transformerDecodeStepTakesTheTargetPaddingMaskToo() {
        Generator.manualSeed(9);
        Transformer model = Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(2)
                .dimFeedforward(16).build();                                         // sequence first
        model.eval();
        Tensor src = Tensor.randn(5, 2, 8);
        Tensor tgt = Tensor.randn(4, 2, 8);
        int[] lengths = {4, 2};
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor memory = model.encode(src, null, null);
            AttentionMask padding = AttentionMask.padding(lengths, 4);
            Tensor full = model.decode(tgt, memory, AttentionMask.causal(4), null, padding, null);
            KeyValueCache cache = model.decoder.newCache();
            for (int i = 0; i < 4; i++) {
                assertClose(full.narrow(0, i, 1), model.decodeStep(tgt.narrow(0, i, 1), memory,
                        firstKeys(padding, i + 1), null, cache), "Transformer.decodeStep, position " + i);
            }
            // Unbatched: a mask of the t + L positions.
            TransformerDecoder decoder = decoder(true, true, 2, 13);
            Tensor one = Tensor.randn(5, 8);
            Tensor mem = Tensor.randn(3, 8);
            AttentionMask pad = AttentionMask.additive(AttentionMask.padding(new int[] {3}, 5).additive().reshape(5));
            Tensor whole = decoder.forward(one, mem, AttentionMask.causal(5), null, pad, null);
            KeyValueCache unbatched = decoder.newCache();
            for (int i = 0; i < 5; i++) {
                AttentionMask sofar = AttentionMask.additive(pad.additive().narrow(0, 0, i + 1));
                assertClose(whole.narrow(0, i, 1), decoder.forwardStep(one.narrow(0, i, 1), mem, sofar, null, unbatched),
                        "unbatched position " + i);
            }
            ShapeException e = assertThrows(ShapeException.class, () -> decoder.forwardStep(one.narrow(0, 0, 1), mem,
                    AttentionMask.additive(pad.additive().narrow(0, 0, 5)), null, unbatched));
            assertEquals("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at layers.0: forwardStep expected "
                    + "tgtKeyPaddingMask (t + L) = (6,) (the t = 5 cached positions and the L = 1 new ones of tgt (1, 8)) "
                    + "but got (5,)", e.getMessage());
            assertEquals(5, unbatched.length(), "a refused step leaves the cache as it was");
        }
    }

    /**
     * The self-attention cache grows into a buffer of doubling capacity, its t filled positions a view of it,
     * holding exactly what appending with {@code cat} holds; while autograd records it appends with
     * {@code cat}, so gradients flow back through the cached keys.
     */
    @Test
    void theCacheGrowsIntoADoublingBufferAndHoldsWhatCatWouldHold() {
        Generator.manualSeed(14);
        KeyValueCache.LayerCache cache = new KeyValueCache(1).layer(0);
        MultiheadAttention.KeyValue concatenated = null;
        int[] steps = {1, 1, 3, 1, 1, 1, 1, 1, 5, 1, 1, 1};
        int[] capacities = {8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 32, 32};   // t = 1 2 5 6 7 8 9 10 15 16 17 18
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < steps.length; i++) {
                MultiheadAttention.KeyValue added = new MultiheadAttention.KeyValue(Tensor.randn(2, 3, steps[i], 4),
                        Tensor.randn(2, 3, steps[i], 4));
                concatenated = concatenated == null ? added : concatenated.append(added);
                MultiheadAttention.KeyValue all = cache.append(added);
                assertSame(all, cache.selfAttention());
                assertArrayEquals(concatenated.keys().shape(), all.keys().shape());
                assertArrayEquals(concatenated.keys().toArray(), all.keys().toArray(), "keys after step " + i);
                assertArrayEquals(concatenated.values().toArray(), all.values().toArray(), "values after step " + i);
                assertEquals(capacities[i], cache.capacity(), "capacity after step " + i);
                if (all.length() < cache.capacity()) {
                    assertFalse(all.keys().isContiguous(), "a view of the first t of the buffer's positions");
                }
            }
            cache.reorder(Embedding.indices(new int[] {1, 1, 0}));
            assertEquals(32, cache.capacity(), "a reorder keeps the capacity");
            MultiheadAttention.KeyValue reordered = concatenated.indexSelect(Embedding.indices(new int[] {1, 1, 0}));
            assertArrayEquals(reordered.keys().toArray(), cache.selfAttention().keys().toArray());
            assertArrayEquals(reordered.values().toArray(), cache.selfAttention().values().toArray());
        }

        // Recording: cat, and the gradient reaches the keys of the first step.
        KeyValueCache.LayerCache recorded = new KeyValueCache(1).layer(0);
        Tensor first = Tensor.randn(1, 1, 1, 2).requiresGrad_();
        recorded.append(new MultiheadAttention.KeyValue(first, first));
        recorded.append(new MultiheadAttention.KeyValue(Tensor.randn(1, 1, 1, 2), Tensor.randn(1, 1, 1, 2)));
        assertTrue(recorded.selfAttention().keys().isContiguous());
        recorded.selfAttention().keys().sum().backward();
        assertNotNull(first.grad());
        assertArrayEquals(new float[] {1, 1}, first.grad().toArray());
    }

    /**
     * A view the cache handed out keeps its numbers: a later step writes only past it, a full buffer is replaced
     * (its filled part copied out, not moved), and a reorder makes a new buffer. A cache that wrote over its
     * filled positions, or reordered the rows in place, would change a view a caller (or a saved step) holds.
     */
    @Test
    void aViewHandedOutKeepsItsNumbersWhileTheCacheGrowsAndReorders() {
        Generator.manualSeed(16);
        KeyValueCache.LayerCache cache = new KeyValueCache(1).layer(0);
        List<MultiheadAttention.KeyValue> handedOut = new ArrayList<>();
        List<float[]> keysThen = new ArrayList<>();
        List<float[]> valuesThen = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int step = 0; step < 20; step++) {                  // through capacities 8, 16 and 32
                MultiheadAttention.KeyValue all = cache.append(new MultiheadAttention.KeyValue(
                        Tensor.randn(2, 3, 1, 4), Tensor.randn(2, 3, 1, 4)));
                handedOut.add(all);
                keysThen.add(all.keys().toArray());
                valuesThen.add(all.values().toArray());
                if (step == 5 || step == 12) {
                    cache.reorder(Embedding.indices(new int[] {1, 0}));
                }
            }
        }
        assertEquals(32, cache.capacity());
        for (int step = 0; step < handedOut.size(); step++) {
            assertArrayEquals(keysThen.get(step), handedOut.get(step).keys().toArray(), "keys of step " + step);
            assertArrayEquals(valuesThen.get(step), handedOut.get(step).values().toArray(), "values of step " + step);
        }
    }

    /** A cache filled by a decoder of another width is refused before anything changes, naming the layer and shapes. */
    @Test
    void aCacheOfAnotherWidthIsRefusedWithTheLayerAndTheShapes() {
        TransformerDecoder narrow = decoder(false, true, 1, 17);                              // E = 8, 2 heads
        Generator.manualSeed(17);
        TransformerDecoder wide = new TransformerDecoder(TransformerDecoderLayer.builder(12, 2).dimFeedforward(16)
                .batchFirst(true).build(), 1);
        wide.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            KeyValueCache cache = narrow.newCache();
            narrow.forwardStep(Tensor.randn(1, 1, 8), Tensor.randn(1, 3, 8), null, cache);
            MultiheadAttention.KeyValue before = cache.layer(0).selfAttention();
            ShapeException e = assertThrows(ShapeException.class,
                    () -> wide.forwardStep(Tensor.randn(1, 1, 12), Tensor.randn(1, 3, 12), null, cache));
            assertEquals("TransformerDecoderLayer(d_model=12, nhead=2, batch_first=True) at layers.0: forwardStep got "
                    + "a cache of keys (1, 2, 1, 4) (N, h, t, d) but this layer's have h = 2 heads of d = 6 features: "
                    + "the cache was filled by another decoder; give each decoder its own (newCache())", e.getMessage());
            assertSame(before, cache.layer(0).selfAttention());
        }
    }

    /** Attention over a view of a larger buffer gives the very bits of attention over a contiguous copy. */
    @Test
    void attentionOverTheBuffersViewIsBitForBitAttentionOverACopy() {
        Generator.manualSeed(15);
        MultiheadAttention mha = MultiheadAttention.builder(16, 4).batchFirst(true).build();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int t : new int[] {1, 5, 9, 16}) {
                MultiheadAttention.KeyValue buffer = new MultiheadAttention.KeyValue(Tensor.randn(3, 4, 32, 4),
                        Tensor.randn(3, 4, 32, 4));
                MultiheadAttention.KeyValue view = new MultiheadAttention.KeyValue(buffer.keys().narrow(2, 0, t),
                        buffer.values().narrow(2, 0, t));
                MultiheadAttention.KeyValue copy = new MultiheadAttention.KeyValue(view.keys().copy(), view.values().copy());
                Tensor query = Tensor.randn(3, 1, 16);
                AttentionMask padding = AttentionMask.padding(new int[] {t, Math.max(1, t - 1), 1}, t);
                MultiheadAttention.Output a = mha.forward(query, view, padding, null, true, false);
                MultiheadAttention.Output b = mha.forward(query, copy, padding, null, true, false);
                assertArrayEquals(b.output().toArray(), a.output().toArray(), "t = " + t);
                assertArrayEquals(b.weights().toArray(), a.weights().toArray(), "t = " + t);
            }
        }
    }

    @Test
    void transformerDecodeStepIsDecodeOnTheWholePrefix() {
        Generator.manualSeed(7);
        Transformer model = Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(2)
                .dimFeedforward(16).normFirst(true).build();                       // sequence first, final norms
        model.eval();
        Tensor src = Tensor.randn(5, 2, 8);
        Tensor tgt = Tensor.randn(4, 2, 8);
        AttentionMask padding = AttentionMask.padding(new int[] {5, 2}, 5);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor memory = model.encode(src, null, padding);
            Tensor full = model.decode(tgt, memory, AttentionMask.causal(4), null, null, padding);
            assertClose(model.forward(src, tgt, null, AttentionMask.causal(4), null, padding, null, padding), full,
                    "forward = encode, decode");
            KeyValueCache cache = model.decoder.newCache();
            for (int i = 0; i < 4; i++) {
                assertClose(full.narrow(0, i, 1), model.decodeStep(tgt.narrow(0, i, 1), memory, padding, cache),
                        "Transformer.decodeStep, position " + i);
            }
            assertEquals("KeyValueCache(layers=2, batch=2, length=4)", cache.toString());
        }
    }

    @Test
    void unbatchedStepsToo() {
        TransformerDecoder decoder = decoder(true, true, 2, 3);
        Tensor tgt = Tensor.randn(4, 8);
        Tensor memory = Tensor.randn(3, 8);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor full = decoder.forward(tgt, memory, AttentionMask.causal(4), null, null, null);
            KeyValueCache cache = decoder.newCache();
            for (int i = 0; i < 4; i++) {
                assertClose(full.narrow(0, i, 1), decoder.forwardStep(tgt.narrow(0, i, 1), memory, null, cache),
                        "unbatched position " + i);
            }
            assertEquals(1, cache.batchSize());

            KeyValueCache chunked = decoder.newCache();             // several positions per step, unbatched too
            assertClose(full.narrow(0, 0, 3), decoder.forwardStep(tgt.narrow(0, 0, 3), memory, null, chunked),
                    "unbatched positions 0..2");
            assertClose(full.narrow(0, 3, 1), decoder.forwardStep(tgt.narrow(0, 3, 1), memory, null, chunked),
                    "unbatched position 3 after three");
            assertEquals(4, chunked.length());
        }
    }

    /**
     * A step that fails in the second layer leaves the first layer's cache as it was. Layer 1 reads (T, N, E)
     * where layer 0 reads (N, T, E): for one sequence and a memory of one position both accept one new
     * position, but two new positions (1, 2, 8) pass layer 0 (N = 1, L = 2) and fail layer 1's input check
     * (it sees N = 2 targets against N = 1 memory).
     */
    @Test
    void aStepThatFailsPartWayLeavesTheCacheAsItWas() {
        Generator.manualSeed(8);
        boolean[] batchFirst = {true, false};
        int[] made = {0};
        TransformerDecoder decoder = new TransformerDecoder(() -> TransformerDecoderLayer.builder(8, 2)
                .dimFeedforward(16).batchFirst(batchFirst[made[0]++]).build(), 2, null);
        decoder.eval();
        Tensor memory = Tensor.randn(1, 1, 8);
        try (NoGrad ignored = NoGrad.enter()) {
            KeyValueCache cache = decoder.newCache();
            ShapeException first = assertThrows(ShapeException.class,
                    () -> decoder.forwardStep(Tensor.randn(1, 2, 8), memory, null, cache));
            assertTrue(first.getMessage().contains("at layers.1"), first.getMessage());
            assertNull(cache.layer(0).selfAttention());
            assertNull(cache.layer(0).crossAttention());

            Tensor x0 = Tensor.randn(1, 1, 8);
            decoder.forwardStep(x0, memory, null, cache);
            MultiheadAttention.KeyValue self = cache.layer(0).selfAttention();
            MultiheadAttention.KeyValue cross = cache.layer(0).crossAttention();
            ShapeException later = assertThrows(ShapeException.class,
                    () -> decoder.forwardStep(Tensor.randn(1, 2, 8), memory, null, cache));
            assertTrue(later.getMessage().contains("at layers.1"), later.getMessage());
            assertSame(self, cache.layer(0).selfAttention());
            assertSame(cross, cache.layer(0).crossAttention());
            assertEquals(1, cache.length());

            // The refused step wrote its keys into layer 0's free room; the next steps overwrite them and give
            // what a cache that never saw the refused step gives.
            KeyValueCache clean = decoder.newCache();
            decoder.forwardStep(x0, memory, null, clean);
            for (int i = 0; i < 3; i++) {
                Tensor x = Tensor.randn(1, 1, 8);
                assertArrayEquals(decoder.forwardStep(x, memory, null, clean).toArray(),
                        decoder.forwardStep(x, memory, null, cache).toArray(), "step " + (i + 1) + " after the refused one");
            }
            assertArrayEquals(clean.layer(0).selfAttention().keys().toArray(), cache.layer(0).selfAttention().keys().toArray());
        }
    }

    @Test
    void positionalEncodingRefusesANegativeStart() {
        PositionalEncoding positions = new PositionalEncoding(8, 0, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> positions.forward(Tensor.randn(1, 1, 8), -1));
        assertEquals("PositionalEncoding(numHiddens=8, maxLen=16): expected start >= 0 (the number of positions "
                + "already encoded) but got -1", e.getMessage());
        Tensor x = Tensor.randn(2, 3, 8);
        assertClose(positions.forward(x).narrow(1, 1, 2), positions.forward(x.narrow(1, 1, 2), 1), "start 1");
    }

    /**
     * Beam search's bookkeeping: after two steps of three sequences, continue sequences 2, 0, 0 (one dropped,
     * one repeated) with two new positions each, then 1 and 0 of those, then 0, 0, 1, 1; each step must equal
     * the full pass over the reordered prefixes. Every sequence reads its own memory and source padding, so the
     * cached cross-attention keys and values must follow the beams as well as the self-attention ones.
     */
    @Test
    void reorderFollowsTheBeams() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerDecoder decoder = decoder(normFirst, true, 2, 4);
            Tensor memories = Tensor.randn(3, 5, 8);              // a different source for each first sequence
            int[] sourceLengths = {5, 2, 4};
            int[] roots = {0, 1, 2};                               // which source each beam translates
            List<Tensor> prefixes = new ArrayList<>();            // each beam's inputs so far, (1, t, 8)
            for (int b = 0; b < 3; b++) {
                prefixes.add(Tensor.randn(1, 1, 8));
            }
            int[][] orders = {null, null, {2, 0, 0}, {1, 0}, {0, 0, 1, 1}};
            int[] added = {1, 1, 2, 1, 1};                         // positions fed per step: 2 right after a reorder
            int t = 0;
            try (NoGrad ignored = NoGrad.enter()) {
                KeyValueCache cache = decoder.newCache();
                for (int step = 0; step < orders.length; step++) {
                    int l = added[step];
                    if (orders[step] != null) {
                        cache.reorder(orders[step]);
                        List<Tensor> kept = new ArrayList<>();
                        int[] keptRoots = new int[orders[step].length];
                        for (int b = 0; b < orders[step].length; b++) {
                            int parent = orders[step][b];
                            kept.add(Tensor.cat(1, prefixes.get(parent), Tensor.randn(1, l, 8)));   // new tokens each
                            keptRoots[b] = roots[parent];
                        }
                        prefixes = kept;
                        roots = keptRoots;
                    } else if (step > 0) {
                        prefixes.replaceAll(p -> Tensor.cat(1, p, Tensor.randn(1, l, 8)));
                    }
                    t += l;
                    int n = prefixes.size();
                    Tensor all = Tensor.cat(prefixes, 0);              // (n, t, 8)
                    Tensor memory = memories.indexSelect(0, Embedding.indices(roots));   // (n, 5, 8)
                    int[] lengths = new int[n];
                    for (int b = 0; b < n; b++) {
                        lengths[b] = sourceLengths[roots[b]];
                    }
                    AttentionMask padding = AttentionMask.padding(lengths, 5);
                    Tensor full = decoder.forward(all, memory, AttentionMask.causal(t), null, null, padding);
                    Tensor stepOut = decoder.forwardStep(all.narrow(1, t - l, l), memory, padding, cache);
                    assertClose(full.narrow(1, t - l, l), stepOut, "normFirst " + normFirst + ", step " + step);
                    assertEquals(n, cache.batchSize());
                    assertEquals(t, cache.length());
                }
            }
        }
    }

    @Test
    void misuseIsExplainedWithTheModuleAndTheShapes() {
        TransformerDecoder decoder = decoder(false, true, 2, 5);
        KeyValueCache cache = decoder.newCache();
        try (NoGrad ignored = NoGrad.enter()) {
            decoder.forwardStep(Tensor.randn(3, 1, 8), Tensor.randn(3, 5, 8), null, cache);
            ShapeException batch = assertThrows(ShapeException.class,
                    () -> decoder.forwardStep(Tensor.randn(2, 1, 8), Tensor.randn(2, 5, 8), null, cache));
            assertEquals("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at layers.0: forwardStep got "
                    + "tgt (2, 1, 8) and memory (2, 5, 8) (N = 2 sequences, S = 5) but the cache holds N = 3 sequences "
                    + "of t = 1 positions, memory keys (3, 2, 5, 4) (N, h, S, d); after beam search keeps, repeats or "
                    + "drops sequences, call KeyValueCache.reorder(parentBeams) before the next step",
                    batch.getMessage());
            ShapeException source = assertThrows(ShapeException.class,
                    () -> decoder.forwardStep(Tensor.randn(3, 1, 8), Tensor.randn(3, 6, 8), null, cache));
            assertTrue(source.getMessage().contains("memory (3, 6, 8) (N = 3 sequences, S = 6)"), source.getMessage());
            ShapeException padding = assertThrows(ShapeException.class, () -> decoder.forwardStep(Tensor.randn(3, 1, 8),
                    Tensor.randn(3, 5, 8), AttentionMask.padding(new int[] {5, 4}, 5), cache));
            assertEquals("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at layers.0: forwardStep "
                    + "expected memoryKeyPaddingMask (N, S) = (3, 5) for tgt (3, 1, 8) and memory (3, 5, 8) but got "
                    + "(2, 5)", padding.getMessage());
            assertEquals(1, cache.length(), "a refused step leaves the cache as it was");
            ShapeException width = assertThrows(ShapeException.class,
                    () -> decoder.forwardStep(Tensor.randn(3, 1, 6), Tensor.randn(3, 5, 8), null, cache));
            assertTrue(width.getMessage().startsWith("TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at "
                    + "layers.0: expected tgt (N, T, 8)"), width.getMessage());

            IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                    () -> decoder.forwardStep(Tensor.randn(3, 1, 8), Tensor.randn(3, 5, 8), null, new KeyValueCache(3)));
            assertEquals("TransformerDecoder(): forwardStep needs a KeyValueCache of 2 layers (newCache()), got "
                    + "KeyValueCache(layers=3, batch=0, length=0)", layers.getMessage());
            IndexOutOfBoundsException index = assertThrows(IndexOutOfBoundsException.class,
                    () -> cache.reorder(new int[] {0, 3}));
            assertEquals("KeyValueCache.reorder: parentBeams [0, 3] holds 3 but the cache holds 3 sequences (0..2)",
                    index.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cache.reorder(new int[0]));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> cache.reorder(null));
            assertTrue(none.getMessage().startsWith("KeyValueCache.reorder: parentBeams is null"), none.getMessage());
            MultiheadAttention.KeyValue before = cache.layer(1).crossAttention();
            cache.reorder(new int[] {0, 1, 2});                   // every sequence continues itself: no copy
            assertSame(before, cache.layer(1).crossAttention());

            MultiheadAttention mha = decoder.layer(1).selfAttn;
            MultiheadAttention.KeyValue kv = cache.layer(1).selfAttention();
            ShapeException heads = assertThrows(ShapeException.class,
                    () -> mha.forward(Tensor.randn(2, 1, 8), kv, null, null, false, true));
            assertEquals("MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True) at layers.1.self_attn: expected "
                    + "query (N, L, 8) (or unbatched (L, 8), N = 1) and keys and values (N, numHeads, S, headDim) = (N, 2, "
                    + "S, 4) with the same N but got query (2, 1, 8), keys (3, 2, 1, 4), values (3, 2, 1, 4)",
                    heads.getMessage());
        }
    }

    @Test
    void multiheadAttentionOnProjectedKeysIsItsForward() {
        Generator.manualSeed(6);
        MultiheadAttention mha = MultiheadAttention.builder(8, 4).build();   // sequence first
        Tensor query = Tensor.randn(3, 2, 8);
        Tensor key = Tensor.randn(5, 2, 8);
        Tensor value = Tensor.randn(5, 2, 8);
        AttentionMask padding = AttentionMask.padding(new int[] {5, 2}, 5);
        MultiheadAttention.Output direct = mha.forward(query, key, value, padding, null, true, false);
        MultiheadAttention.KeyValue kv = mha.projectKeyValue(key, value);
        assertArrayEquals(new int[] {2, 4, 5, 2}, kv.keys().shape());
        MultiheadAttention.Output viaCache = mha.forward(query, kv, padding, null, true, false);
        assertEquals(direct.output().toString(), viaCache.output().toString());
        assertEquals(direct.weights().toString(), viaCache.weights().toString());
        MultiheadAttention.KeyValue split = mha.projectKeyValue(key.narrow(0, 0, 2), value.narrow(0, 0, 2))
                .append(mha.projectKeyValue(key.narrow(0, 2, 3), value.narrow(0, 2, 3)));
        assertClose(kv.keys(), split.keys(), "keys projected in two parts");
        assertClose(kv.values(), split.values(), "values projected in two parts");
    }
}
