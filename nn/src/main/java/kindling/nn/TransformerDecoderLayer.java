package kindling.nn;

import java.util.function.UnaryOperator;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * One Transformer decoder block (Vaswani et al. 2017, section 3.1), as PyTorch's
 * {@code nn.TransformerDecoderLayer}: masked self-attention over the target so far, cross-attention
 * from the target to the encoder's output (the memory), then a position-wise feed-forward network,
 * each inside a residual connection with layer normalisation.
 * <pre>
 *   SA(x)    = dropout1(self_attn(x, x, x; tgtMask, tgtKeyPaddingMask))
 *   CA(x, m) = dropout2(multihead_attn(x, m, m; memoryMask, memoryKeyPaddingMask))   queries from the target,
 *                                                                                     keys and values from the memory
 *   FF(x)    = dropout3(linear2(dropout(activation(linear1(x)))))
 *
 *   post-norm (normFirst = false, the paper and PyTorch's default):
 *       x = norm1(x + SA(x))
 *       x = norm2(x + CA(x, memory))
 *       x = norm3(x + FF(x))
 *   pre-norm (normFirst = true):
 *       x = x + SA(norm1(x))
 *       x = x + CA(norm2(x), memory)
 *       x = x + FF(norm3(x))
 * </pre>
 * The target mask is usually causal ({@link Transformer#generateSquareSubsequentMask}): position t of the
 * target sees positions 0..t only, so one forward pass trains all positions at once (teacher forcing)
 * without letting any position peek at the token it has to predict. The memory is not masked causally:
 * every target position may read the whole source, except its padding ({@code memoryKeyPaddingMask}).
 *
 * <p><b>Shape</b> (T target positions, S source positions, N batch, E = dModel): tgt (T, N, E) and
 * memory (S, N, E), or (N, T, E) and (N, S, E) with {@code batchFirst}, or unbatched (T, E) and (S, E);
 * output like tgt. tgtMask (T, T), memoryMask (T, S), tgtKeyPaddingMask (N, T), memoryKeyPaddingMask (N, S).
 * <p><b>Children</b> (PyTorch's names, so state dicts load both ways): {@code self_attn} and
 * {@code multihead_attn} ({@link MultiheadAttention}(E, nhead, dropout)), {@code linear1}
 * (E → dimFeedforward), {@code dropout}, {@code linear2} (dimFeedforward → E), {@code norm1},
 * {@code norm2}, {@code norm3} ({@link LayerNorm}(E, eps)), {@code dropout1}, {@code dropout2},
 * {@code dropout3}; each initialised as its own class.
 * <p>PyTorch's defaults: dimFeedforward 2048, dropout 0.1, activation relu (or "gelu"), layerNormEps
 * 1e-5, batchFirst false, normFirst false.
 */
public class TransformerDecoderLayer extends Module {
    private final Builder options;
    public final MultiheadAttention selfAttn;
    public final MultiheadAttention multiheadAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final LayerNorm norm3;
    public final Dropout dropout1;
    public final Dropout dropout2;
    public final Dropout dropout3;

    /** PyTorch's defaults: dimFeedforward 2048, dropout 0.1, relu, post-norm, sequence first. */
    public TransformerDecoderLayer(int dModel, int nhead) {
        this(builder(dModel, nhead));
    }

    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
        this(builder(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout));
    }

    /** The options for a layer of width {@code dModel} with {@code nhead} attention heads. */
    public static Builder builder(int dModel, int nhead) {
        return new Builder(dModel, nhead);
    }

    private TransformerDecoderLayer(Builder b) {
        b.check("TransformerDecoderLayer");
        this.options = b.copyTo(new Builder(b.dModel, b.nhead));
        this.selfAttn = registerModule("self_attn", b.newAttention());
        this.multiheadAttn = registerModule("multihead_attn", b.newAttention());
        this.linear1 = registerModule("linear1", new Linear(b.dModel, b.dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(b.dropout));
        this.linear2 = registerModule("linear2", new Linear(b.dimFeedforward, b.dModel));
        this.norm1 = registerModule("norm1", b.newLayerNorm());
        this.norm2 = registerModule("norm2", b.newLayerNorm());
        this.norm3 = registerModule("norm3", b.newLayerNorm());
        this.dropout1 = registerModule("dropout1", new Dropout(b.dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(b.dropout));
        this.dropout3 = registerModule("dropout3", new Dropout(b.dropout));
    }

    /** A new layer with the same options and a copy of this one's parameters (PyTorch's deepcopy). */
    public TransformerDecoderLayer copy() {
        TransformerDecoderLayer twin = new TransformerDecoderLayer(options);
        twin.loadStateDict(stateDict());
        twin.train(isTraining());
        return twin;
    }

    /** A decoder layer needs the memory too: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException(describe() + ": a decoder layer needs the encoder's memory too; "
                + "call forward(tgt, memory) or forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, "
                + "memoryKeyPaddingMask)");
    }

    /** The block on {@code tgt} attending to {@code memory}, without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null);
    }

    /**
     * The block, as PyTorch's {@code layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
     * memory_key_padding_mask)}; any mask may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, AttentionMask tgtMask, AttentionMask memoryMask,
            AttentionMask tgtKeyPaddingMask, AttentionMask memoryKeyPaddingMask) {
        checkInputs(tgt, memory);
        return block(tgt, x -> selfAttentionBlock(x, tgtMask, tgtKeyPaddingMask),
                x -> crossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask));
    }

    /**
     * The three sub-layers with their residual connections and norms, around the given self-attention SA and
     * cross-attention CA (the whole target's, or the cached step's):
     * <pre>
     *   normFirst:  x = x + SA(norm1(x));   x = x + CA(norm2(x));   x = x + FF(norm3(x))
     *   post-norm:  x = norm1(x + SA(x));   x = norm2(x + CA(x));   x = norm3(x + FF(x))
     * </pre>
     */
    private Tensor block(Tensor tgt, UnaryOperator<Tensor> selfAttention, UnaryOperator<Tensor> crossAttention) {
        Tensor x = tgt;
        if (options.normFirst) {
            x = x.add(selfAttention.apply(norm1.forward(x)));
            x = x.add(crossAttention.apply(norm2.forward(x)));
            x = x.add(feedForwardBlock(norm3.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttention.apply(x)));
            x = norm2.forward(x.add(crossAttention.apply(x)));
            x = norm3.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    /**
     * One step of incremental decoding (the step d2l's {@code TransformerDecoderBlock.forward(X, state)} takes in
     * prediction, except that d2l keeps the earlier inputs and re-projects them, where this keeps their keys and
     * values):
     * the block on the L new target positions {@code tgt} (usually L = 1) that follow the t positions whose
     * keys and values {@code cache} holds, giving the same output for them as {@link #forward} on the whole
     * target with the causal mask (eval mode; to float rounding).
     * <pre>
     *   self-attention:  K, V = cache.selfAttention ++ project(x_new)     (N, h, t + L, d)   the new positions appended
     *                    query i of the L new ones (position t + i) reads keys 0 .. t + i
     *   cross-attention: K, V = cache.crossAttention                      (N, h, S, d)       projected from memory at
     *                                                                                          the first step only
     *   feed-forward:    on the L new positions
     * </pre>
     * tgt (N, L, E) with batchFirst, (L, N, E) without, or unbatched (L, E); memory and
     * {@code memoryKeyPaddingMask} (may be null) as in {@link #forward}, for the same N sequences as the
     * cache. No target attention mask: the causal one is implied. Generated targets have no padding; for
     * targets that do (a batch of sequences of different lengths decoded step by step) see
     * {@link #forwardStep(Tensor, Tensor, AttentionMask, AttentionMask, KeyValueCache.LayerCache)}.
     * {@code memory} is read at the first step only, to fill the cross-attention cache; at later steps only its
     * shape is checked (its N and S against the cache), so pass the same memory, reordered with the beams,
     * every step. The padding mask is read at every step. If the step fails, the cache is left as it was.
     * The keys and values of the new positions are written into free room of the cache (see
     * {@link KeyValueCache}), so a step copies only them.
     */
    public Tensor forwardStep(Tensor tgt, Tensor memory, AttentionMask memoryKeyPaddingMask,
            KeyValueCache.LayerCache cache) {
        return forwardStep(tgt, memory, null, memoryKeyPaddingMask, cache);
    }

    /**
     * {@link #forwardStep(Tensor, Tensor, AttentionMask, KeyValueCache.LayerCache)} with the target's key
     * padding mask, as {@link #forward}'s {@code tgtKeyPaddingMask}: (N, t + L) (unbatched (t + L)), one
     * column for each target position so far, the t cached and the L new ones, true (or −∞) where the
     * position is padding, which no position then reads. It is the full pass's (N, T) mask cut to its first
     * t + L columns ({@code AttentionMask.additive(padding.additive().narrow(1, 0, t + L))}), so step by step the outputs are those of
     * {@code forward(tgt, memory, causal(T), null, tgtKeyPaddingMask, memoryKeyPaddingMask)} at every position,
     * to float rounding. Null: no target padding. (Pad at the end, as {@code AttentionMask.padding} does: a
     * position whose keys 0 .. i were all padding would have nothing to read.)
     */
    public Tensor forwardStep(Tensor tgt, Tensor memory, AttentionMask tgtKeyPaddingMask,
            AttentionMask memoryKeyPaddingMask, KeyValueCache.LayerCache cache) {
        checkInputs(tgt, memory);
        checkCache(tgt, memory, tgtKeyPaddingMask, memoryKeyPaddingMask, cache);
        KeyValueCache.LayerCache.Saved saved = cache.save();
        try {
            return block(tgt, x -> cachedSelfAttentionBlock(x, tgtKeyPaddingMask, cache),
                    x -> cachedCrossAttentionBlock(x, memory, memoryKeyPaddingMask, cache));
        } catch (Throwable e) {                  // not half a step: the cache as before, then the error
            cache.restore(saved);
            throw e;
        }
    }

    /**
     * SA(x) on the L new positions: their keys and values appended to the cache's t, then attention over all
     * t + L. A new position t + i may read keys 0 .. t + i: the last L rows of the causal mask of t + L
     * positions (no mask for L = 1, which may read them all), and of those only the ones the key padding
     * mask (N, t + L) leaves, as in the full pass.
     */
    private Tensor cachedSelfAttentionBlock(Tensor x, AttentionMask keyPaddingMask, KeyValueCache.LayerCache cache) {
        int past = cache.length();
        MultiheadAttention.KeyValue added = selfAttn.projectKeyValue(x, x);                 // (N, h, L, d)
        cache.append(added);                                                              // (N, h, t + L, d)
        int l = added.length();
        AttentionMask mask = l == 1 ? null
                : AttentionMask.additive(AttentionMask.causal(past + l).additive().narrow(0, past, l));
        return dropout1.forward(selfAttn.forward(x, cache.selfAttention, keyPaddingMask, mask, false, true).output());
    }

    /** CA(x, m) with the memory's keys and values projected once, at the first step, and kept in the cache. */
    private Tensor cachedCrossAttentionBlock(Tensor x, Tensor memory, AttentionMask keyPaddingMask,
            KeyValueCache.LayerCache cache) {
        if (cache.crossAttention == null) {
            cache.crossAttention = multiheadAttn.projectKeyValue(memory, memory);          // (N, h, S, d)
        }
        return dropout2.forward(multiheadAttn.forward(x, cache.crossAttention, keyPaddingMask, null, false, true)
                .output());
    }

    /**
     * Checked before the cache changes: the padding mask fits, and the cache, if filled, was filled by a layer
     * of this width (h heads of d features, which the keys of the new positions must match to be appended),
     * holds the same N sequences as tgt and the keys of a memory as long as this one.
     */
    private void checkCache(Tensor tgt, Tensor memory, AttentionMask tgtKeyPaddingMask,
            AttentionMask memoryKeyPaddingMask, KeyValueCache.LayerCache cache) {
        if (cache == null) {
            throw new IllegalArgumentException(describe() + ": forwardStep needs a KeyValueCache.LayerCache "
                    + "(TransformerDecoder.newCache().layer(i) or new KeyValueCache(1).layer(0)), got null");
        }
        int rank = tgt.dim();
        int n = rank == 2 ? 1 : tgt.size(options.batchFirst ? 0 : 1);
        int l = tgt.size(rank == 2 || !options.batchFirst ? 0 : 1);
        int t = cache.length();
        int[] expectedTgtPadding = rank == 2 ? new int[] {t + l} : new int[] {n, t + l};
        if (tgtKeyPaddingMask != null && !java.util.Arrays.equals(tgtKeyPaddingMask.shape(), expectedTgtPadding)) {
            throw new ShapeException(describe() + ": forwardStep expected tgtKeyPaddingMask "
                    + (rank == 2 ? "(t + L)" : "(N, t + L)") + " = " + Shape.format(expectedTgtPadding)
                    + " (the t = " + t + " cached positions and the L = " + l + " new ones of tgt "
                    + Shape.format(tgt.shape()) + ") but got " + Shape.format(tgtKeyPaddingMask.shape()));
        }
        int s = memory.size(rank == 2 || options.batchFirst ? -2 : 0);
        int[] expectedPadding = rank == 2 ? new int[] {s} : new int[] {n, s};
        if (memoryKeyPaddingMask != null && !java.util.Arrays.equals(memoryKeyPaddingMask.shape(), expectedPadding)) {
            throw new ShapeException(describe() + ": forwardStep expected memoryKeyPaddingMask "
                    + (rank == 2 ? "(S)" : "(N, S)") + " = " + Shape.format(expectedPadding) + " for tgt "
                    + Shape.format(tgt.shape()) + " and memory " + Shape.format(memory.shape()) + " but got "
                    + Shape.format(memoryKeyPaddingMask.shape()));
        }
        if (cache.length() == 0) {
            return;
        }
        int[] cached = cache.selfAttention.keys().shape();                                // (N, h, t, d)
        if (cached[1] != options.nhead || cached[3] != options.dModel / options.nhead) {
            throw new ShapeException(describe() + ": forwardStep got a cache of keys " + Shape.format(cached)
                    + " (N, h, t, d) but this layer's have h = " + options.nhead + " heads of d = "
                    + options.dModel / options.nhead + " features: the cache was filled by another decoder; "
                    + "give each decoder its own (newCache())");
        }
        if (n != cache.batchSize() || s != cache.crossAttention.length()) {
            throw new ShapeException(describe() + ": forwardStep got tgt " + Shape.format(tgt.shape()) + " and memory "
                    + Shape.format(memory.shape()) + " (N = " + n + " sequences, S = " + s + ") but the cache holds N = "
                    + cache.batchSize() + " sequences of t = " + cache.length() + " positions, memory keys "
                    + Shape.format(cache.crossAttention.keys().shape()) + " (N, h, S, d); after beam search keeps, "
                    + "repeats or drops sequences, call KeyValueCache.reorder(parentBeams) before the next step");
        }
    }

    /**
     * The cross-attention weights per head, (N, nhead, T, S) (unbatched (nhead, T, S)): how much each target
     * position reads each source position in this layer, for heat maps. The same computation as
     * {@link #forward} up to the cross-attention, which is then asked for its weights.
     */
    public Tensor crossAttentionWeights(Tensor tgt, Tensor memory, AttentionMask tgtMask, AttentionMask memoryMask,
            AttentionMask tgtKeyPaddingMask, AttentionMask memoryKeyPaddingMask) {
        checkInputs(tgt, memory);
        Tensor query;
        if (options.normFirst) {
            Tensor x = tgt.add(selfAttentionBlock(norm1.forward(tgt), tgtMask, tgtKeyPaddingMask));
            query = norm2.forward(x);
        } else {
            query = norm1.forward(tgt.add(selfAttentionBlock(tgt, tgtMask, tgtKeyPaddingMask)));
        }
        return multiheadAttn.forward(query, memory, memory, memoryKeyPaddingMask, memoryMask, true, false).weights();
    }

    /** SA(x) = dropout1(self_attn(x, x, x)), weights not needed. */
    private Tensor selfAttentionBlock(Tensor x, AttentionMask attnMask, AttentionMask keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, attnMask, false, true).output());
    }

    /** CA(x, m) = dropout2(multihead_attn(x, m, m)): queries from the target, keys and values from the memory. */
    private Tensor crossAttentionBlock(Tensor x, Tensor memory, AttentionMask attnMask, AttentionMask keyPaddingMask) {
        return dropout2.forward(multiheadAttn.forward(x, memory, memory, keyPaddingMask, attnMask, false, true).output());
    }

    /** FF(x) = dropout3(linear2(dropout(activation(linear1(x))))). */
    private Tensor feedForwardBlock(Tensor x) {
        Tensor hidden = linear1.forward(x);
        hidden = options.activation.equals("relu") ? hidden.relu() : hidden.gelu();
        return dropout3.forward(linear2.forward(dropout.forward(hidden)));
    }

    /** tgt and memory: same rank (2 or 3), the same batch size, E features each. */
    private void checkInputs(Tensor tgt, Tensor memory) {
        int rank = tgt.dim();
        int batchDim = options.batchFirst ? 0 : 1;
        boolean ok = (rank == 2 || rank == 3) && memory.dim() == rank && tgt.size(-1) == options.dModel
                && memory.size(-1) == options.dModel && (rank == 2 || tgt.size(batchDim) == memory.size(batchDim));
        if (!ok) {
            String e = String.valueOf(options.dModel);
            String layout = options.batchFirst ? "tgt (N, T, " + e + ") and memory (N, S, " + e + ")"
                    : "tgt (T, N, " + e + ") and memory (S, N, " + e + ")";
            throw new ShapeException(describe() + ": expected " + layout + " (or unbatched (T, " + e + ") and (S, " + e + ")) but got tgt "
                    + Shape.format(tgt.shape()) + " and memory " + Shape.format(memory.shape()));
        }
    }

    /** "TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True) at decoder.layers.1", the start of errors. */
    @Override
    protected String describeArguments() {
        return "d_model=" + options.dModel + ", nhead=" + options.nhead + ", batch_first="
                + PyRepr.bool(options.batchFirst);
    }

    public int dModel() {
        return options.dModel;
    }

    public int nhead() {
        return options.nhead;
    }

    public int dimFeedforward() {
        return options.dimFeedforward;
    }

    /** "relu" or "gelu". */
    public String activation() {
        return options.activation;
    }

    public boolean normFirst() {
        return options.normFirst;
    }

    public boolean batchFirst() {
        return options.batchFirst;
    }

    /** The options of a {@link TransformerDecoderLayer}, with PyTorch's defaults. */
    public static final class Builder extends TransformerLayerOptions<Builder> {
        private Builder(int dModel, int nhead) {
            super(dModel, nhead);
        }

        @Override
        Builder self() {
            return this;
        }

        public TransformerDecoderLayer build() {
            return new TransformerDecoderLayer(this);
        }
    }
}
