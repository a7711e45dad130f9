package kindling.examples.models;

import kindling.nn.Embedding;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.MultiheadAttention;
import kindling.nn.PositionalEncoding;
import kindling.nn.TransformerEncoder;
import kindling.nn.TransformerEncoderLayer;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * A small Transformer encoder that reads a padded sequence of digits and predicts one digit per
 * position: d2l's encoder (chapter 11.7) with a linear classifier on every position instead of a decoder.
 * <pre>
 *   tokens (N, L)                      digits 0..9, PAD = 10 after the end of a shorter sequence
 *   → embedding · √d                   (N, L, d)     Embedding(11, d, paddingIdx=10), scaled as d2l
 *   → positionalEncoding               (N, L, d)     + sinusoids, so that positions differ
 *   → encoder                          (N, L, d)     numLayers × TransformerEncoderLayer(d, heads),
 *                                                     PAD keys masked out by the key padding mask
 *   → head                             (N, L, 10)    Linear(d, 10): scores of the 10 digits per position
 * </pre>
 * The scaling by √d (d2l's {@code TransformerEncoder}) makes the embeddings, drawn N(0, 1), about as
 * large as the positional encodings added to them.
 */
public class DigitTransformer extends Module {
    /** The padding token, after the ten digits. */
    public static final int PAD = 10;
    /** Digits plus the padding token. */
    public static final int VOCAB = 11;
    private final int dModel;
    public final Embedding embedding;
    public final PositionalEncoding positionalEncoding;
    public final TransformerEncoder encoder;
    public final Linear head;

    /** d = {@code dModel}, {@code nhead} heads, {@code numLayers} post-norm layers with a 2d-wide feed-forward. */
    public DigitTransformer(int dModel, int nhead, int numLayers, double dropout) {
        this.dModel = dModel;
        this.embedding = registerModule("embedding", new Embedding(VOCAB, dModel, PAD));
        this.positionalEncoding = registerModule("positionalEncoding", new PositionalEncoding(dModel, dropout, 64));
        this.encoder = registerModule("encoder", new TransformerEncoder(() -> TransformerEncoderLayer.builder(dModel, nhead)
                .dimFeedforward(2 * dModel).dropout(dropout).batchFirst(true).build(), numLayers, null));
        this.head = registerModule("head", new Linear(dModel, 10));
    }

    /** The scores (N, L, 10) of each position's digit. */
    @Override
    public Tensor forward(Tensor tokens) {
        Tensor x = embed(tokens);
        return head.forward(encoder.forward(x, null, paddingMask(tokens)));
    }

    /** PAD keys may not be attended to: PyTorch's bool key padding mask {@code tokens == PAD}. */
    public static AttentionMask paddingMask(Tensor tokens) {
        return AttentionMask.notAllowed(tokens.eq(PAD));
    }

    private Tensor embed(Tensor tokens) {
        return positionalEncoding.forward(embedding.forward(tokens).mul((float) Math.sqrt(dModel)));
    }

    /**
     * The attention weights per head (N, heads, L, L) of layer {@code layer} on {@code tokens}: the
     * input runs through the layers before it, then that layer's self-attention is asked for its weights.
     */
    public Tensor attentionWeights(Tensor tokens, int layer) {
        AttentionMask mask = paddingMask(tokens);
        Tensor x = embed(tokens);
        for (int i = 0; i < layer; i++) {
            x = ((TransformerEncoderLayer) encoder.layers.get(i)).forward(x, null, mask);
        }
        TransformerEncoderLayer target = (TransformerEncoderLayer) encoder.layers.get(layer);
        Tensor input = target.normFirst() ? target.norm1.forward(x) : x;
        MultiheadAttention attention = target.selfAttn;
        return attention.forward(input, input, input, mask, null, true, false).weights();
    }
}
