package kindling.examples.models;

import java.util.ArrayList;
import java.util.List;
import kindling.nn.AdditiveAttention;
import kindling.nn.Embedding;
import kindling.nn.GRU;
import kindling.nn.GRUCell;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;
import kindling.train.CachedNextTokenModel;

/**
 * An RNN encoder–decoder with additive attention (Bahdanau et al. 2015), as d2l's 11.4
 * {@code Seq2SeqAttentionDecoder} and the course's date-translation model: a bidirectional GRU reads the
 * source; at every output step the decoder's state asks the attention which source characters to read.
 * <pre>
 *   src (N, S) → srcEmbedding (N, S, e) → encoder, bidirectional GRU → h_1 … h_S  (N, S, 2H)
 *
 *   s_0 = 0 (N, H)                                                        the decoder's state, as the course's s⟨0⟩
 *   for t = 1 … T:
 *       c_t = attention(query s_{t−1}, keys = values = h_1 … h_S)        (N, 2H)  additive, padded keys masked
 *       s_t = decoderCell([tgtEmbedding(y_{t−1}), c_t], s_{t−1})          (N, H)   GRUCell(e + 2H, H)
 *       scores_t = output(s_t)                                            (N, V_tgt)
 * </pre>
 * In training y_{t−1} is the true previous character (teacher forcing); in generation it is the model's own.
 * The decoder is a Python-style loop over time, so unlike the Transformer it cannot train all T positions at once.
 */
public class AttentionGruTranslator extends Module implements Translator {
    private final int hiddenSize;
    public final Embedding srcEmbedding;
    public final GRU encoder;
    public final AdditiveAttention attention;
    public final Embedding tgtEmbedding;
    public final GRUCell decoderCell;
    public final Linear output;

    /** The scores (N, T, V) and the attention weights (N, T, S) of every step. */
    public record Decoded(Tensor scores, Tensor weights) {
    }

    /** One step for N sequences: the new state s_t (N, H), its scores (N, V_tgt), the attention weights (N, S). */
    public record Step(Tensor state, Tensor scores, Tensor weights) {
    }

    public AttentionGruTranslator(int srcVocab, int tgtVocab, int embedSize, int hiddenSize) {
        this.hiddenSize = hiddenSize;
        this.srcEmbedding = registerModule("srcEmbedding", new Embedding(srcVocab, embedSize, 0));
        this.encoder = registerModule("encoder", GRU.builder(embedSize, hiddenSize).bidirectional(true)
                .batchFirst(true).build());
        this.attention = registerModule("attention", new AdditiveAttention(2 * hiddenSize, hiddenSize, hiddenSize, 0));
        this.tgtEmbedding = registerModule("tgtEmbedding", new Embedding(tgtVocab, embedSize, 0));
        this.decoderCell = registerModule("decoderCell", new GRUCell(embedSize + 2 * hiddenSize, hiddenSize));
        this.output = registerModule("output", new Linear(hiddenSize, tgtVocab));
    }

    /** Needs a source and a target: use {@link #forward(Tensor, AttentionMask, Tensor)}. */
    @Override
    public Tensor forward(Tensor src) {
        throw new UnsupportedOperationException(describe() + ": call forward(src, srcPadding, tgt)");
    }

    /** The scores (N, T, V_tgt) of every next target token, teacher forced. */
    @Override
    public Tensor forward(Tensor src, AttentionMask srcPadding, Tensor tgt) {
        return decode(tgt, encode(src), srcPadding).scores();
    }

    /** The encoder's states h_1 … h_S, forward and backward side by side (N, S, 2H). */
    public Tensor encode(Tensor src) {
        return encoder.forward(srcEmbedding.forward(src), null).output();
    }

    /** The decoder loop over the T positions of {@code tgt}: {@link #decodeStep} from s_0 = 0, T times. */
    public Decoded decode(Tensor tgt, Tensor encoded, AttentionMask srcPadding) {
        Tensor state = Tensor.zeros(tgt.size(0), hiddenSize);
        List<Tensor> scores = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        for (int t = 0; t < tgt.size(1); t++) {
            Step step = decodeStep(tgt.select(1, t), state, encoded, srcPadding);
            state = step.state();
            scores.add(step.scores());
            weights.add(step.weights());
        }
        return new Decoded(Tensor.stack(scores, 1), Tensor.stack(weights, 1));
    }

    /**
     * One step of the decoder loop for N sequences: from the state s_{t−1} (N, H) and the tokens y_{t−1} (N),
     * the new state s_t, its scores (N, V_tgt) and the attention weights (N, S) read with s_{t−1}.
     */
    public Step decodeStep(Tensor tokens, Tensor state, Tensor encoded, AttentionMask srcPadding) {
        AdditiveAttention.Output read = attention.forward(state.unsqueeze(1), encoded, encoded, srcPadding);
        Tensor context = read.output().squeeze(1);                             // (N, 2H)
        Tensor next = decoderCell.forward(Tensor.cat(1, tgtEmbedding.forward(tokens), context), state);
        return new Step(next, output.forward(next), read.weights().squeeze(1));
    }

    /**
     * The search's view for one source (1, S); the encoder runs once. Uncached
     * ({@link CachedNextTokenModel#logProbs(int[][])}) each call reruns the decoder loop over the whole prefixes
     * (t GRU steps at step t); cached ({@link CachedNextTokenModel#startDecoding()}) the decoder's state s (B, H)
     * is kept between calls, reordered by the parent beams, and each call runs one GRU step on the newest token.
     * Both return the log-softmax of the last step's scores.
     */
    @Override
    public CachedNextTokenModel nextTokenModel(Tensor src) {
        Tensor encoded = encode(src);
        return new CachedNextTokenModel() {
            @Override
            public Tensor logProbs(int[][] prefixes) {
                int t = prefixes[0].length;
                Tensor shared = encoded.expand(prefixes.length, encoded.size(1), encoded.size(2));
                Tensor scores = decode(Embedding.indices(prefixes, 0), shared, null).scores();
                return scores.select(1, t - 1).logSoftmax(-1);
            }

            @Override
            public Decoding startDecoding() {
                Tensor[] state = {null};
                return (prefixes, parentBeams) -> {
                    if (parentBeams == null) {                                   // s_0 = 0 for every first prefix
                        state[0] = Tensor.zeros(prefixes.length, hiddenSize);
                    } else {                                                     // row b continues row parentBeams[b]
                        state[0] = state[0].indexSelect(0, Embedding.indices(parentBeams));
                    }
                    int t = prefixes[0].length;
                    Tensor last = Embedding.indices(prefixes, t - 1).reshape(prefixes.length);
                    Tensor shared = encoded.expand(prefixes.length, encoded.size(1), encoded.size(2));
                    Step step = decodeStep(last, state[0], shared, null);
                    state[0] = step.state();
                    return step.scores().logSoftmax(-1);
                };
            }
        };
    }
}
