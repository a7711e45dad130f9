package kindling.examples.models;

import kindling.nn.Embedding;
import kindling.nn.KeyValueCache;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.PositionalEncoding;
import kindling.nn.Transformer;
import kindling.nn.TransformerDecoderLayer;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;
import kindling.train.CachedNextTokenModel;

/**
 * A small encoder–decoder Transformer that translates character sequences, as d2l's 11.7 and PyTorch's
 * translation tutorial build it around {@code nn.Transformer}:
 * <pre>
 *   src (N, S) characters, &lt;pad&gt; = 0 after the end       tgt (N, T) &lt;bos&gt; and the target so far
 *   → srcEmbedding + positions         (N, S, d)           → tgtEmbedding + positions         (N, T, d)
 *   → transformer.encoder              (N, S, d) memory    → transformer.decoder              (N, T, d)
 *      padded source keys masked out                          causal self-attention, cross-attention
 *                                                             to the memory (its padding masked out)
 *                                                          → generator                         (N, T, V_tgt)
 * </pre>
 * When generating, {@link #decodeStep} feeds one new position at a time and keeps the decoder's keys and values
 * of the earlier ones in a {@link KeyValueCache}; {@link #nextTokenModel} offers both ways to the searches.
 * Unlike d2l's {@code TransformerEncoder} and {@code DigitTransformer}, the embeddings are not multiplied by
 * √d: drawn N(0, 1) and scaled by √64 = 8 they drown the sinusoids (values in [−1, 1]) that say where each
 * character is, and this task is mostly copying characters by position (the third digit of the year, the
 * day after the month); unscaled, content and position start about equally loud and training is much faster.
 * Post-norm layers, no dropout: the data are generated afresh for every batch, so there is nothing to overfit.
 */
public class DateTransformer extends Module implements Translator {
    private final int dModel;
    public final Embedding srcEmbedding;
    public final Embedding tgtEmbedding;
    public final PositionalEncoding positionalEncoding;
    public final Transformer transformer;
    public final Linear generator;

    /** Vocabularies of {@code srcVocab} and {@code tgtVocab} tokens (pad index 0), width d = {@code dModel}. */
    public DateTransformer(int srcVocab, int tgtVocab, int dModel, int nhead, int numLayers, int dimFeedforward) {
        this.dModel = dModel;
        this.srcEmbedding = registerModule("srcEmbedding", new Embedding(srcVocab, dModel, 0));
        this.tgtEmbedding = registerModule("tgtEmbedding", new Embedding(tgtVocab, dModel, 0));
        this.positionalEncoding = registerModule("positionalEncoding", new PositionalEncoding(dModel, 0.0, 64));
        this.transformer = registerModule("transformer", Transformer.builder().dModel(dModel).nhead(nhead)
                .numEncoderLayers(numLayers).numDecoderLayers(numLayers).dimFeedforward(dimFeedforward).dropout(0)
                .batchFirst(true).build());
        this.generator = registerModule("generator", new Linear(dModel, tgtVocab));
    }

    /** Needs a source and a target: use {@link #forward(Tensor, AttentionMask, Tensor)}. */
    @Override
    public Tensor forward(Tensor src) {
        throw new UnsupportedOperationException(describe() + ": call forward(src, srcPadding, tgt)");
    }

    /** The scores (N, T, V_tgt) of every next target token, the whole target at once (teacher forcing). */
    @Override
    public Tensor forward(Tensor src, AttentionMask srcPadding, Tensor tgt) {
        return decode(tgt, encode(src, srcPadding), srcPadding);
    }

    /** The memory (N, S, d). */
    public Tensor encode(Tensor src, AttentionMask srcPadding) {
        return transformer.encode(embed(srcEmbedding, src), null, srcPadding);
    }

    /** The scores (N, T, V_tgt) of the next token after each prefix of {@code tgt}, reading {@code memory}. */
    public Tensor decode(Tensor tgt, Tensor memory, AttentionMask srcPadding) {
        AttentionMask causal = Transformer.generateSquareSubsequentMask(tgt.size(1));
        return generator.forward(transformer.decode(embed(tgtEmbedding, tgt), memory, causal, null, null, srcPadding));
    }

    /**
     * The scores (N, L, V_tgt) of the next token after each of the L new positions {@code tgt} (N, L), which
     * follow the {@code cache.length()} positions already decoded: their embeddings with the positional
     * encodings of positions t .. t + L − 1, then the decoder with the {@link KeyValueCache}, which gives the
     * same scores as {@link #decode} on the whole prefix for those positions.
     */
    public Tensor decodeStep(Tensor tgt, Tensor memory, AttentionMask srcPadding, KeyValueCache cache) {
        Tensor x = positionalEncoding.forward(tgtEmbedding.forward(tgt), cache.length());
        return generator.forward(transformer.decodeStep(x, memory, srcPadding, cache));
    }

    /**
     * The search's view of this model for one source {@code src} (1, S), unpadded; the memory is computed
     * once. Uncached ({@link CachedNextTokenModel#logProbs(int[][])}, or when the search is given
     * {@code model::logProbs}), each call reruns the decoder on the whole prefixes, so step t costs t positions.
     * Cached ({@link CachedNextTokenModel#startDecoding()}, what the searches use), each step reorders the
     * key/value cache by the parent beams and feeds only the newest token of every prefix: the projections and
     * feed-forward networks work on one position, the attention reads the t cached ones.
     * Both return the log-softmax of the last position's scores, the same to float rounding.
     */
    @Override
    public CachedNextTokenModel nextTokenModel(Tensor src) {
        Tensor memory = encode(src, null);                                   // (1, S, d)
        int s = memory.size(1);
        return new CachedNextTokenModel() {
            @Override
            public Tensor logProbs(int[][] prefixes) {
                int t = prefixes[0].length;
                Tensor shared = memory.expand(prefixes.length, s, dModel);   // one memory for every beam
                Tensor scores = decode(Embedding.indices(prefixes, 0), shared, null);   // (B, t, V): all t again
                return scores.select(1, t - 1).logSoftmax(-1);               // (B, V_tgt)
            }

            @Override
            public Decoding startDecoding() {
                return DateTransformer.this.startDecoding(memory, null);
            }
        };
    }

    /** Sees each cached step: the parents, the new tokens (B, 1), the cache after the step, the scores (B, 1, V). */
    @FunctionalInterface
    public interface StepWatcher {
        void step(int[] parentBeams, Tensor newTokens, KeyValueCache cache, Tensor scores);
    }

    /**
     * The cached decoding of one source's {@code memory} (1, S, d) that {@link #nextTokenModel} hands the
     * searches: each step reorders the key/value cache by the parent beams and feeds the newest token of every
     * prefix; {@code watcher} (may be null) is shown every step.
     */
    public CachedNextTokenModel.Decoding startDecoding(Tensor memory, StepWatcher watcher) {
        KeyValueCache cache = transformer.decoder.newCache();
        return (prefixes, parentBeams) -> {
            if (parentBeams != null) {
                cache.reorder(parentBeams);                                   // the cache follows the beams
            }
            int t = prefixes[0].length;
            Tensor shared = memory.expand(prefixes.length, memory.size(1), dModel);
            Tensor newTokens = Embedding.indices(prefixes, t - 1);            // (B, 1)
            Tensor scores = decodeStep(newTokens, shared, null, cache);       // (B, 1, V)
            if (watcher != null) {
                watcher.step(parentBeams, newTokens, cache, scores);
            }
            return scores.select(1, 0).logSoftmax(-1);
        };
    }

    /**
     * The cross-attention weights (N, nhead, T, S) of decoder layer {@code layer}: how much each target
     * position reads each source character.
     */
    public Tensor crossAttention(Tensor src, AttentionMask srcPadding, Tensor tgt, int layer) {
        Tensor memory = encode(src, srcPadding);
        AttentionMask causal = Transformer.generateSquareSubsequentMask(tgt.size(1));
        Tensor x = embed(tgtEmbedding, tgt);
        for (int i = 0; i < layer; i++) {
            x = transformer.decoder.layer(i).forward(x, memory, causal, null, null, srcPadding);
        }
        TransformerDecoderLayer target = transformer.decoder.layer(layer);
        return target.crossAttentionWeights(x, memory, causal, null, null, srcPadding);
    }

    /** embedding + the positional encoding (no √d scaling, see the class comment). */
    public Tensor embed(Embedding embedding, Tensor tokens) {
        return positionalEncoding.forward(embedding.forward(tokens));
    }

    public int dModel() {
        return dModel;
    }
}
