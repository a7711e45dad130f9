package kindling.nn;

import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * One Transformer encoder block (Vaswani et al. 2017, section 3.1), as PyTorch's
 * {@code nn.TransformerEncoderLayer}: self-attention, then a position-wise feed-forward network,
 * each inside a residual connection with layer normalisation.
 * <pre>
 *   SA(x) = dropout1(self_attn(x, x, x))
 *   FF(x) = dropout2(linear2(dropout(activation(linear1(x)))))
 *
 *   post-norm (normFirst = false, the paper and PyTorch's default):
 *       x = norm1(x + SA(x))
 *       x = norm2(x + FF(x))
 *   pre-norm (normFirst = true, Xiong et al. 2020; GPT-2 onwards):
 *       x = x + SA(norm1(x))
 *       x = x + FF(norm2(x))
 * </pre>
 * In pre-norm the residual path x → x + ... carries the input untouched through every layer, which
 * trains deep stacks without a learning-rate warm-up; the output is then not normalised, so a
 * final LayerNorm usually follows the stack ({@link TransformerEncoder}'s {@code norm}).
 *
 * <p><b>Shape</b>: src (S, N, E), or (N, S, E) with {@code batchFirst}, or unbatched (S, E); output
 * the same. E = dModel.
 * <p><b>Children</b> (PyTorch's names, so state dicts load both ways): {@code self_attn}
 * ({@link MultiheadAttention}(E, nhead, dropout)), {@code linear1} (E → dimFeedforward),
 * {@code dropout}, {@code linear2} (dimFeedforward → E), {@code norm1}, {@code norm2}
 * ({@link LayerNorm}(E, eps)), {@code dropout1}, {@code dropout2}; each initialised as its own class.
 * <p>PyTorch's defaults: dimFeedforward 2048, dropout 0.1, activation relu (or "gelu", the exact erf
 * form), layerNormEps 1e-5, batchFirst false, normFirst false.
 */
public class TransformerEncoderLayer extends Module {
    private final Builder options;
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;

    /** PyTorch's defaults: dimFeedforward 2048, dropout 0.1, relu, post-norm, sequence first. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(builder(dModel, nhead));
    }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
        this(builder(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout));
    }

    /** The options for a layer of width {@code dModel} with {@code nhead} attention heads. */
    public static Builder builder(int dModel, int nhead) {
        return new Builder(dModel, nhead);
    }

    private TransformerEncoderLayer(Builder b) {
        b.check("TransformerEncoderLayer");
        this.options = b.copyTo(new Builder(b.dModel, b.nhead));
        this.selfAttn = registerModule("self_attn", b.newAttention());
        this.linear1 = registerModule("linear1", new Linear(b.dModel, b.dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(b.dropout));
        this.linear2 = registerModule("linear2", new Linear(b.dimFeedforward, b.dModel));
        this.norm1 = registerModule("norm1", b.newLayerNorm());
        this.norm2 = registerModule("norm2", b.newLayerNorm());
        this.dropout1 = registerModule("dropout1", new Dropout(b.dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(b.dropout));
    }

    /** A new layer with the same options and a copy of this one's parameters (PyTorch's deepcopy). */
    public TransformerEncoderLayer copy() {
        TransformerEncoderLayer twin = new TransformerEncoderLayer(options);
        twin.loadStateDict(stateDict());
        twin.train(isTraining());
        return twin;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * The block on {@code src} with an optional attention mask {@code srcMask} (S, S) or (N·nhead, S, S)
     * (e.g. {@code AttentionMask.causal(S)}) and key padding mask (N, S); either may be null.
     */
    public Tensor forward(Tensor src, AttentionMask srcMask, AttentionMask srcKeyPaddingMask) {
        Tensor x = src;
        if (options.normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForwardBlock(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
            x = norm2.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    /** SA(x) = dropout1(self_attn(x, x, x)), weights not needed. */
    private Tensor selfAttentionBlock(Tensor x, AttentionMask attnMask, AttentionMask keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, attnMask, false, true).output());
    }

    /** FF(x) = dropout2(linear2(dropout(activation(linear1(x))))). */
    private Tensor feedForwardBlock(Tensor x) {
        Tensor hidden = linear1.forward(x);
        hidden = options.activation.equals("relu") ? hidden.relu() : hidden.gelu();
        return dropout2.forward(linear2.forward(dropout.forward(hidden)));
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

    /** The options of a {@link TransformerEncoderLayer}, with PyTorch's defaults. */
    public static final class Builder extends TransformerLayerOptions<Builder> {
        private Builder(int dModel, int nhead) {
            super(dModel, nhead);
        }

        @Override
        Builder self() {
            return this;
        }

        public TransformerEncoderLayer build() {
            return new TransformerEncoderLayer(this);
        }
    }
}
