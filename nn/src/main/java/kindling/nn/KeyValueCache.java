package kindling.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kindling.autograd.GradMode;
import kindling.tensor.Tensor;

/**
 * The keys and values a {@link TransformerDecoder} keeps from earlier decoding steps, so that each step of
 * generation projects only the new position, as Hugging Face's {@code past_key_values}. (d2l's
 * {@code TransformerDecoderBlock}, section 11.7, keeps something else in {@code state[2][self.i]}: the block's
 * inputs X of the earlier positions, from which it re-projects the keys and values of all of them, and of the
 * memory, at every step.) One {@link LayerCache} per decoder layer holds
 * <pre>
 *   self-attention   K, V  (N, h, t, d)    the projected keys and values of the t target positions decoded so far,
 *                                           each step appends its new position: t → t + 1
 *   cross-attention  K, V  (N, h, S, d)    the projected keys and values of the memory (the encoder's output),
 *                                           computed at the first step and reused at every later one
 * </pre>
 * (N sequences, h heads of d = E / h features, S source positions). Step t then projects and feeds forward one
 * position per layer instead of rerunning all t + 1; its one query still reads the t + 1 keys and values, so a
 * step costs O(t) with a small constant. Appending copies only the new position: the self-attention keys and
 * values live in a buffer with room to spare, whose capacity doubles when it is full, and the t filled
 * positions are a view of it ({@link LayerCache#selfAttention()}). It gives the same numbers:
 * under the causal mask position i never reads a later position, so the keys, values and outputs of positions
 * 0..t−1 do not change when position t is added; the cache keeps them instead of recomputing them.
 *
 * <p>Beam search changes the batch between steps: the k live sequences of the next step are extensions of
 * some of this step's sequences, a parent may have several children or none, and finished sequences leave.
 * {@link #reorder(int[])} (Hugging Face's {@code reorder_cache}) takes row {@code parentBeams[b]} of every
 * cached tensor as the new row b, so the cache follows the beams; the number of rows may shrink or grow.
 * <pre>
 *   TransformerDecoder decoder = new TransformerDecoder(
 *           TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build(), 2);
 *   decoder.eval();
 *   Tensor memory = Tensor.randn(1, 5, 8);                     // (N, S, E): the encoder's output for one source
 *   KeyValueCache cache = decoder.newCache();                  // empty: length 0
 *   Tensor y0 = decoder.forwardStep(Tensor.randn(1, 1, 8), memory, null, cache);   // position 0 → length 1
 *   cache.reorder(new int[] {0, 0, 0});                        // three beams, all children of sequence 0
 *   Tensor y1 = decoder.forwardStep(Tensor.randn(3, 1, 8), memory.expand(3, 5, 8), null, cache); // length 2
 *   cache.reorder(new int[] {2, 0});                           // two beams left: children of 2 and of 0
 * </pre>
 * For inference (eval mode, under {@code NoGrad}): with dropout active the steps would draw other masks than a
 * full forward pass.
 */
public final class KeyValueCache {

    /** One decoder layer's keys and values, each (N, h, positions, d), or null before the first step. */
    public static final class LayerCache {
        /** Positions a buffer holds when it is first made; each later buffer holds at least twice the last. */
        static final int MIN_CAPACITY = 8;

        /** The t filled positions: a view of the first t of {@link #selfBuffer}. */
        MultiheadAttention.KeyValue selfAttention;
        /** (N, h, capacity, d): positions 0 .. t − 1 filled, the rest free for the next steps. */
        MultiheadAttention.KeyValue selfBuffer;
        MultiheadAttention.KeyValue crossAttention;

        /** The self-attention's keys and values of the t positions decoded so far, (N, h, t, d); null when empty. */
        public MultiheadAttention.KeyValue selfAttention() {
            return selfAttention;
        }

        /** The cross-attention's keys and values of the memory, (N, h, S, d); null before the first step. */
        public MultiheadAttention.KeyValue crossAttention() {
            return crossAttention;
        }

        /** t, the number of target positions cached (0 when empty). */
        public int length() {
            return selfAttention == null ? 0 : selfAttention.length();
        }

        /** N, the number of sequences (0 when empty). */
        public int batchSize() {
            return selfAttention == null ? 0 : selfAttention.batchSize();
        }

        /** The buffer's capacity in positions (0 when empty). */
        int capacity() {
            return selfBuffer == null ? 0 : selfBuffer.length();
        }

        /**
         * The entries as they are now: immutable records, so keeping them is enough to undo a step. (A step
         * writes into the buffer only past the t filled positions, which the saved view does not show.)
         */
        record Saved(MultiheadAttention.KeyValue selfAttention, MultiheadAttention.KeyValue selfBuffer,
                MultiheadAttention.KeyValue crossAttention) {
        }

        Saved save() {
            return new Saved(selfAttention, selfBuffer, crossAttention);
        }

        /** Back to {@code saved}, after a step that failed part way. */
        void restore(Saved saved) {
            selfAttention = saved.selfAttention();
            selfBuffer = saved.selfBuffer();
            crossAttention = saved.crossAttention();
        }

        /**
         * Appends the L new positions' keys and values {@code added} (N, h, L, d) after the t cached ones and
         * returns all t + L, the same numbers {@code selfAttention.append(added)} gives. They are copied into
         * the free positions of the buffer, and the t + L filled ones are a view of it ({@code narrow}), so a
         * step copies L positions, not t + L. A full buffer is replaced by one of twice the capacity (at
         * least t + L), into which the t filled positions are copied once: over T steps the copies add up to
         * fewer than 2T positions (1 + 2 + 4 + ... &lt; 2T), where a {@code cat} every step copies
         * 1 + 2 + ... + T = T(T + 1)/2.
         *
         * <p>While autograd records (not under {@code NoGrad}) this is {@code cat}, as before: a write in place
         * would change a tensor the graph keeps for the backward pass.
         */
        MultiheadAttention.KeyValue append(MultiheadAttention.KeyValue added) {
            int t = length();
            int l = added.length();
            if (GradMode.isEnabled()) {
                selfAttention = t == 0 ? added : selfAttention.append(added);
                selfBuffer = selfAttention;                    // full: the next step without recording regrows it
                return selfAttention;
            }
            if (t + l > capacity()) {
                int[] shape = added.keys().shape();           // (N, h, L, d)
                int grown = Math.max(t + l, Math.max(2 * capacity(), MIN_CAPACITY));
                MultiheadAttention.KeyValue bigger = new MultiheadAttention.KeyValue(
                        Tensor.zeros(shape[0], shape[1], grown, shape[3]), Tensor.zeros(shape[0], shape[1], grown, shape[3]));
                if (t > 0) {
                    bigger.keys().narrow(2, 0, t).copy_(selfAttention.keys());
                    bigger.values().narrow(2, 0, t).copy_(selfAttention.values());
                }
                selfBuffer = bigger;
            }
            selfBuffer.keys().narrow(2, t, l).copy_(added.keys());
            selfBuffer.values().narrow(2, t, l).copy_(added.values());
            selfAttention = new MultiheadAttention.KeyValue(selfBuffer.keys().narrow(2, 0, t + l),
                    selfBuffer.values().narrow(2, 0, t + l));
            return selfAttention;
        }

        void reorder(Tensor index) {
            if (selfAttention != null) {
                // The rows of the whole buffer, so the capacity stays; the filled part is again a view of it.
                int t = length();
                selfBuffer = selfBuffer.indexSelect(index);
                selfAttention = new MultiheadAttention.KeyValue(selfBuffer.keys().narrow(2, 0, t),
                        selfBuffer.values().narrow(2, 0, t));
            }
            if (crossAttention != null) {
                crossAttention = crossAttention.indexSelect(index);
            }
        }
    }

    private final List<LayerCache> layers = new ArrayList<>();

    /** An empty cache for a decoder of {@code numLayers} layers ({@link TransformerDecoder#newCache()}). */
    public KeyValueCache(int numLayers) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("KeyValueCache: numLayers must be >= 1, got " + numLayers);
        }
        for (int i = 0; i < numLayers; i++) {
            layers.add(new LayerCache());
        }
    }

    /** Layer {@code i}'s keys and values. */
    public LayerCache layer(int i) {
        return layers.get(i);
    }

    public int numLayers() {
        return layers.size();
    }

    /** t, the number of target positions decoded so far (0 for a new cache). */
    public int length() {
        return layers.get(0).length();
    }

    /** N, the number of sequences the cache holds (0 for a new cache). */
    public int batchSize() {
        return layers.get(0).batchSize();
    }

    /**
     * Follows the beams: new sequence b continues old sequence {@code parentBeams[b]}, in every layer's self- and
     * cross-attention keys and values ({@code indexSelect} along the batch). Indices may repeat (a beam with
     * several children) or be left out (a beam with none, or one that finished), so the batch becomes
     * {@code parentBeams.length}. On an empty cache there is nothing to reorder and this does nothing; when
     * {@code parentBeams} is 0, 1, .., n − 1 (every sequence continues itself, as in greedy search) nothing is
     * copied. Otherwise every cached tensor is copied: O(t) per sequence and layer.
     */
    public void reorder(int[] parentBeams) {
        if (parentBeams == null) {
            throw new IllegalArgumentException("KeyValueCache.reorder: parentBeams is null; pass the index of the "
                    + "previous step's sequence that each new one continues (new int[] {0} for a single sequence)");
        }
        int n = batchSize();
        if (n == 0) {
            return;
        }
        if (parentBeams.length == 0) {
            throw new IllegalArgumentException("KeyValueCache.reorder: no sequences left (parentBeams is empty); "
                    + "the cache holds " + n + " sequences of " + length() + " positions");
        }
        boolean unchanged = parentBeams.length == n;
        for (int b = 0; b < parentBeams.length; b++) {
            if (parentBeams[b] < 0 || parentBeams[b] >= n) {
                throw new IndexOutOfBoundsException("KeyValueCache.reorder: parentBeams " + Arrays.toString(parentBeams)
                        + " holds " + parentBeams[b] + " but the cache holds " + n + " sequences (0.." + (n - 1) + ")");
            }
            unchanged &= parentBeams[b] == b;
        }
        if (unchanged) {              // 0, 1, .., n − 1 (greedy search's {0} every step): nothing to copy
            return;
        }
        Tensor rows = Embedding.indices(parentBeams);
        for (LayerCache layer : layers) {
            layer.reorder(rows);
        }
    }

    /** "KeyValueCache(layers=2, batch=3, length=4)". */
    @Override
    public String toString() {
        return "KeyValueCache(layers=" + numLayers() + ", batch=" + batchSize() + ", length=" + length() + ")";
    }
}
