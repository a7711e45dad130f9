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

    /** The layer {@code i}. */
    public TransformerDecoderLayer layer(int i) {
        return (TransformerDecoderLayer) layers.get(i);
    }

    /** The number of layers. */
    public int numLayers() {
        return layers.size();
    }
}
