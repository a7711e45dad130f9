package kindling.nn;

import kindling.nn.functional.AttentionMask;
import kindling.nn.init.Init;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The encoder–decoder Transformer of Vaswani et al. 2017, as PyTorch's {@code nn.Transformer}: an
 * encoder stack reads the source into a memory, a decoder stack reads the target so far and attends to
 * that memory. Like PyTorch's, it starts and ends at vectors of width dModel: token embeddings,
 * positional encodings and the output projection onto the vocabulary belong to the model around it.
 * <pre>
 *   memory = encoder(src; srcMask, srcKeyPaddingMask)                          numEncoderLayers × TransformerEncoderLayer, then norm
 *   output = decoder(tgt, memory; tgtMask, memoryMask, tgtKeyPaddingMask,
 *                    memoryKeyPaddingMask)                                      numDecoderLayers × TransformerDecoderLayer, then norm
 * </pre>
 * In training the whole target is fed at once, shifted right behind a begin-of-sequence token, with the
 * causal {@code tgtMask = generateSquareSubsequentMask(T)} (teacher forcing). In generation the memory is
 * computed once ({@link #encode}) and the decoder is run again on the growing prefix ({@link #decode}), or
 * only on the new position with the earlier positions' keys and values kept in a {@link KeyValueCache}
 * ({@link #decodeStep}).
 *
 * <p><b>Shape</b> (S source and T target positions, N batch, E = dModel): src (S, N, E), tgt (T, N, E),
 * output (T, N, E); batch first (N, S, E), (N, T, E), (N, T, E); unbatched (S, E), (T, E), (T, E).
 * Masks: srcMask (S, S), tgtMask (T, T), memoryMask (T, S), key padding masks (N, S), (N, T), (N, S).
 * <p><b>Children</b> (PyTorch's state-dict keys, e.g. {@code decoder.layers.1.multihead_attn.out_proj.weight}):
 * {@code encoder} ({@link TransformerEncoder} with {@code encoder.norm}, a LayerNorm(E)) and {@code decoder}
 * ({@link TransformerDecoder} with {@code decoder.norm}). The final norms are there in both placements, as
 * PyTorch's.
 * <p><b>Initialisation</b> (PyTorch's {@code _reset_parameters}): every parameter with more than one
 * dimension drawn afresh from Xavier-uniform U(−√(6/(fanIn + fanOut)), √(6/(fanIn + fanOut))); biases and
 * LayerNorms as their modules leave them.
 * <p>PyTorch's defaults: dModel 512, nhead 8, 6 encoder and 6 decoder layers, dimFeedforward 2048,
 * dropout 0.1, relu, layerNormEps 1e-5, batchFirst false, normFirst false.
 */
public class Transformer extends Module {
    private final int dModel;
    private final int nhead;
    private final boolean batchFirst;
    public final TransformerEncoder encoder;
    public final TransformerDecoder decoder;

    /** PyTorch's defaults: {@code nn.Transformer()}, a 44-million-parameter model. */
    public Transformer() {
        this(builder());
    }

    /** The options, starting from PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private Transformer(Builder b) {
        if (b.numEncoderLayers < 1 || b.numDecoderLayers < 1) {
            throw new IllegalArgumentException("Transformer: numEncoderLayers and numDecoderLayers must be >= 1, got "
                    + b.numEncoderLayers + " and " + b.numDecoderLayers);
        }
        this.dModel = b.dModel;
        this.nhead = b.nhead;
        this.batchFirst = b.batchFirst;
        TransformerEncoderLayer encoderLayer = b.copyTo(TransformerEncoderLayer.builder(b.dModel, b.nhead)).build();
        this.encoder = registerModule("encoder", new TransformerEncoder(encoderLayer, b.numEncoderLayers,
                b.newLayerNorm()));
        TransformerDecoderLayer decoderLayer = b.copyTo(TransformerDecoderLayer.builder(b.dModel, b.nhead)).build();
        this.decoder = registerModule("decoder", new TransformerDecoder(decoderLayer, b.numDecoderLayers,
                b.newLayerNorm()));
        resetParameters();
    }

    /** Xavier-uniform for every parameter with more than one dimension, as PyTorch's {@code _reset_parameters}. */
    public void resetParameters() {
        for (Tensor p : parameters()) {
            if (p.dim() > 1) {
                Init.xavierUniform_(p, 1.0);
            }
        }
    }

    /**
     * The causal mask (sz, sz) for a target of sz positions: 0 on and below the diagonal, −∞ above it, as
     * PyTorch's {@code Transformer.generate_square_subsequent_mask(sz)}; the same as {@link AttentionMask#causal(int)}.
     */
    public static AttentionMask generateSquareSubsequentMask(int sz) {
        return AttentionMask.causal(sz);
    }

    /** A Transformer needs a source and a target: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor src) {
        throw new UnsupportedOperationException(describe() + ": a Transformer needs a source and a target; call "
                + "forward(src, tgt) or forward(src, tgt, srcMask, tgtMask, memoryMask, srcKeyPaddingMask, "
                + "tgtKeyPaddingMask, memoryKeyPaddingMask)");
    }

    /** The decoder's output for {@code tgt} given {@code src}, without masks. */
    public Tensor forward(Tensor src, Tensor tgt) {
        return forward(src, tgt, null, null, null, null, null, null);
    }

    /**
     * PyTorch's {@code transformer(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask,
     * tgt_key_padding_mask, memory_key_padding_mask)}; any mask may be null.
     */
    public Tensor forward(Tensor src, Tensor tgt, AttentionMask srcMask, AttentionMask tgtMask, AttentionMask memoryMask,
            AttentionMask srcKeyPaddingMask, AttentionMask tgtKeyPaddingMask, AttentionMask memoryKeyPaddingMask) {
        checkInputs(src, tgt);
        Tensor memory = encode(src, srcMask, srcKeyPaddingMask);
        return decode(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /** The memory: the encoder stack (with its final norm) on {@code src}. */
    public Tensor encode(Tensor src, AttentionMask srcMask, AttentionMask srcKeyPaddingMask) {
        return encoder.forward(src, srcMask, srcKeyPaddingMask);
    }

    /** The decoder stack (with its final norm) on {@code tgt}, attending to {@code memory}. */
    public Tensor decode(Tensor tgt, Tensor memory, AttentionMask tgtMask, AttentionMask memoryMask,
            AttentionMask tgtKeyPaddingMask, AttentionMask memoryKeyPaddingMask) {
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /**
     * One step of incremental decoding: {@code decoder.forwardStep} on the new target positions {@code tgt}
     * (usually one), reading the keys and values of the earlier ones from {@code cache}
     * ({@code decoder.newCache()}); the same output as {@link #decode} on the whole prefix with the causal
     * mask, for the new positions.
     */
    public Tensor decodeStep(Tensor tgt, Tensor memory, AttentionMask memoryKeyPaddingMask, KeyValueCache cache) {
        return decoder.forwardStep(tgt, memory, memoryKeyPaddingMask, cache);
    }

    /**
     * {@link #decodeStep(Tensor, Tensor, AttentionMask, KeyValueCache)} with the target's key padding mask
     * (N, t + L), the t cached positions and the L new ones: {@link #decode}'s {@code tgtKeyPaddingMask} cut to
     * the positions so far ({@link TransformerDecoder#forwardStep(Tensor, Tensor, AttentionMask, AttentionMask,
     * KeyValueCache)}).
     */
    public Tensor decodeStep(Tensor tgt, Tensor memory, AttentionMask tgtKeyPaddingMask,
            AttentionMask memoryKeyPaddingMask, KeyValueCache cache) {
        return decoder.forwardStep(tgt, memory, tgtKeyPaddingMask, memoryKeyPaddingMask, cache);
    }

    /** PyTorch's two checks, with the shapes: the same batch size, and E features in both. */
    private void checkInputs(Tensor src, Tensor tgt) {
        int batchDim = batchFirst ? 0 : 1;
        boolean batched = src.dim() == 3;
        String head = describe() + ": ";
        if (src.dim() != tgt.dim() || (src.dim() != 2 && src.dim() != 3)) {
            throw new ShapeException(head + "expected src and tgt both batched (3 dims) or both unbatched (2 dims) but "
                    + "got src " + Shape.format(src.shape()) + " and tgt " + Shape.format(tgt.shape()));
        }
        if (batched && src.size(batchDim) != tgt.size(batchDim)) {
            throw new ShapeException(head + "the batch number of src and tgt must be equal (dim " + batchDim
                    + ") but got src " + Shape.format(src.shape()) + " and tgt " + Shape.format(tgt.shape()));
        }
        if (src.size(-1) != dModel || tgt.size(-1) != dModel) {
            throw new ShapeException(head + "the feature number of src and tgt must be equal to d_model=" + dModel
                    + " but got src " + Shape.format(src.shape()) + " and tgt " + Shape.format(tgt.shape()));
        }
    }

    public int dModel() {
        return dModel;
    }

    public int nhead() {
        return nhead;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    /** The options of a {@link Transformer}, with PyTorch's defaults. */
    public static final class Builder extends TransformerLayerOptions<Builder> {
        private int numEncoderLayers = 6;
        private int numDecoderLayers = 6;

        private Builder() {
            super(512, 8);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Width of every layer's input and output (default 512). */
        public Builder dModel(int size) {
            this.dModel = size;
            return this;
        }

        /** Attention heads (default 8). */
        public Builder nhead(int heads) {
            this.nhead = heads;
            return this;
        }

        /** Encoder layers (default 6). */
        public Builder numEncoderLayers(int layers) {
            this.numEncoderLayers = layers;
            return this;
        }

        /** Decoder layers (default 6). */
        public Builder numDecoderLayers(int layers) {
            this.numDecoderLayers = layers;
            return this;
        }

        public Transformer build() {
            return new Transformer(this);
        }
    }
}
