package kindling.examples.models;

import kindling.nn.Embedding;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.PositionalEncoding;
import kindling.nn.Transformer;
import kindling.nn.TransformerDecoderLayer;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;
import kindling.train.NextTokenModel;

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
     * The search's view of this model for one source {@code src} (1, S), unpadded: the memory is computed
     * once; each call reruns the decoder on the whole prefixes (no key/value cache, so step t costs t
     * positions) and returns the log-softmax of the last position's scores.
     */
    @Override
    public NextTokenModel nextTokenModel(Tensor src) {
        Tensor memory = encode(src, null);                                   // (1, S, d)
        return prefixes -> {
            int beams = prefixes.length;
            int t = prefixes[0].length;
            float[] tokens = new float[beams * t];
            for (int b = 0; b < beams; b++) {
                for (int i = 0; i < t; i++) {
                    tokens[b * t + i] = prefixes[b][i];
                }
            }
            Tensor shared = memory.expand(beams, memory.size(1), dModel);    // one memory for every beam
            Tensor scores = decode(Tensor.wrap(tokens, beams, t), shared, null);
            return scores.select(1, t - 1).logSoftmax(-1);                   // (B, V_tgt)
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
