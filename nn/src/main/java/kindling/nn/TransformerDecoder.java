package kindling.nn;

import java.util.function.Supplier;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * A stack of {@link TransformerDecoderLayer}s, optionally followed by a final normalisation, as
 * PyTorch's {@code nn.TransformerDecoder}. Every layer reads the same memory (the encoder's output).
 * <pre>
 *   x = layers.0(x, memory) → layers.1(x, memory) → ... → layers.(numLayers−1)(x, memory) → norm(x)   (norm if given)
 * </pre>
 * Built from one layer, as PyTorch does, the stack holds {@code numLayers} copies of it (same options,
 * same initial parameters, PyTorch's {@code copy.deepcopy}); built from a factory, each layer is drawn afresh.
 *
 * <p><b>Shape</b>: as the layers', tgt (T, N, E) and memory (S, N, E), (N, T, E) and (N, S, E) with
 * batchFirst, or unbatched (T, E) and (S, E); output like tgt.
 * <p><b>Children</b>: {@code layers} ({@link ModuleList} with {@code layers.0}, {@code layers.1}, ...)
 * and {@code norm} when given.
 */
public class TransformerDecoder extends Module {
    public final ModuleList layers;
    /** The final normalisation, or null. */
    public final Module norm;

    /** {@code numLayers} copies of {@code decoderLayer}, no final norm. */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers) {
        this(decoderLayer, numLayers, null);
    }

    /** {@code numLayers} copies of {@code decoderLayer}, then {@code norm} (may be null). */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module norm) {
        this(decoderLayer::copy, numLayers, norm);
    }

    /** {@code numLayers} layers made by {@code layerFactory}, then {@code norm} (may be null). */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layerFactory, int numLayers, Module norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be >= 1, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layerFactory.get());
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** A decoder needs the memory too: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException(describe() + ": a decoder needs the encoder's memory too; call "
                + "forward(tgt, memory) or forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, "
                + "memoryKeyPaddingMask)");
    }

    /** The stack on {@code tgt} attending to {@code memory}, without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null);
    }

    /**
     * Each layer with the same masks (any may be null), then norm; PyTorch's {@code decoder(tgt, memory,
     * tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)}.
     */
    public Tensor forward(Tensor tgt, Tensor memory, AttentionMask tgtMask, AttentionMask memoryMask,
            AttentionMask tgtKeyPaddingMask, AttentionMask memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (Module layer : layers) {
            x = ((TransformerDecoderLayer) layer).forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask,
                    memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    /** An empty {@link KeyValueCache} for {@link #forwardStep}, one {@link KeyValueCache.LayerCache} per layer. */
    public KeyValueCache newCache() {
        return new KeyValueCache(numLayers());
    }

    /**
     * One step of incremental decoding: the stack (then norm) on the L new target positions {@code tgt}
     * (usually L = 1) after the t positions {@code cache} holds, each layer with its own
     * {@link KeyValueCache.LayerCache}; see {@link TransformerDecoderLayer#forwardStep}. Equal to the last L
     * positions of {@code forward(all t + L positions, memory, causal mask, null, null, memoryKeyPaddingMask)}
     * in eval mode, to float rounding. Per layer and step the projections and the feed-forward network work on
     * the L new positions instead of t + L; the attention still reads all t + L cached keys and values (O(t)
     * per step, not O(1)), but appending copies only the L new ones into the cache's free room (its buffer
     * doubles when full; {@link KeyValueCache#reorder} in beam search copies the whole cache). If any layer
     * fails, every layer's cache is put back as it was before the step, and the exception is rethrown.
     * <pre>
     *   TransformerDecoder decoder = new TransformerDecoder(
     *           TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build(), 2);
     *   decoder.eval();
     *   Tensor memory = Tensor.randn(1, 5, 8);                      // (N, S, E)
     *   Tensor tgt = Tensor.randn(1, 4, 8);                         // (N, T, E)
     *   Tensor all = decoder.forward(tgt, memory, AttentionMask.causal(4), null, null, null);   // (1, 4, 8)
     *   KeyValueCache cache = decoder.newCache();
     *   for (int t = 0; t &lt; 4; t++) {
     *       Tensor yt = decoder.forwardStep(tgt.narrow(1, t, 1), memory, null, cache);        // = all[:, t]
     *   }
     * </pre>
     */
    public Tensor forwardStep(Tensor tgt, Tensor memory, AttentionMask memoryKeyPaddingMask, KeyValueCache cache) {
        return forwardStep(tgt, memory, null, memoryKeyPaddingMask, cache);
    }

    /**
     * {@link #forwardStep(Tensor, Tensor, AttentionMask, KeyValueCache)} with the target's key padding mask
     * (N, t + L): the full pass's {@code tgtKeyPaddingMask} cut to the t + L positions so far, so that decoding a
     * padded batch step by step gives {@code forward(tgt, memory, causal(T), null, tgtKeyPaddingMask,
     * memoryKeyPaddingMask)} at every position; see {@link TransformerDecoderLayer#forwardStep(Tensor, Tensor,
     * AttentionMask, AttentionMask, KeyValueCache.LayerCache)}.
     * <pre>
     *   TransformerDecoder decoder = new TransformerDecoder(
     *           TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).batchFirst(true).build(), 2);
     *   decoder.eval();
     *   Tensor memory = Tensor.randn(2, 5, 8);                      // (N, S, E)
     *   Tensor tgt = Tensor.randn(2, 4, 8);                         // (N, T, E): the second target is 2 long
     *   AttentionMask padding = AttentionMask.padding(new int[] {4, 2}, 4);          // (N, T), as for forward
     *   Tensor all = decoder.forward(tgt, memory, AttentionMask.causal(4), null, padding, null);
     *   KeyValueCache cache = decoder.newCache();
     *   for (int t = 0; t &lt; 4; t++) {
     *       AttentionMask soFar = AttentionMask.additive(padding.additive().narrow(1, 0, t + 1));   // (N, t + 1)
     *       Tensor yt = decoder.forwardStep(tgt.narrow(1, t, 1), memory, soFar, null, cache);    // = all[:, t]
     *   }
     * </pre>
     */
    public Tensor forwardStep(Tensor tgt, Tensor memory, AttentionMask tgtKeyPaddingMask,
            AttentionMask memoryKeyPaddingMask, KeyValueCache cache) {
        if (cache == null || cache.numLayers() != numLayers()) {
            throw new IllegalArgumentException(describe() + ": forwardStep needs a KeyValueCache of " + numLayers()
                    + " layers (newCache()), got " + cache);
        }
        KeyValueCache.LayerCache.Saved[] saved = new KeyValueCache.LayerCache.Saved[numLayers()];
        for (int i = 0; i < numLayers(); i++) {
            saved[i] = cache.layer(i).save();
        }
        try {
            Tensor x = tgt;
            for (int i = 0; i < numLayers(); i++) {
                x = layer(i).forwardStep(x, memory, tgtKeyPaddingMask, memoryKeyPaddingMask, cache.layer(i));
            }
            return norm == null ? x : norm.forward(x);
        } catch (Throwable e) {          // a step refused by layer 2 must not leave layers 0 and 1 one step ahead
            for (int i = 0; i < numLayers(); i++) {
                cache.layer(i).restore(saved[i]);
            }
            throw e;
        }
    }

    /** The layer {@code i}. */
    public TransformerDecoderLayer layer(int i) {
        return (TransformerDecoderLayer) layers.get(i);
    }

    /** The number of layers. */
    public int numLayers() {
        return layers.size();
    }
}
