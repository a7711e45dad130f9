package kindling.nn;

import java.util.function.Supplier;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * A stack of {@link TransformerEncoderLayer}s, optionally followed by a final normalisation, as
 * PyTorch's {@code nn.TransformerEncoder}.
 * <pre>
 *   x = layers.0(x) → layers.1(x) → ... → layers.(numLayers−1)(x) → norm(x)   (norm if given)
 * </pre>
 * Built from one layer, as PyTorch does, the stack holds {@code numLayers} copies of it — same
 * options and the same initial parameters ({@code copy.deepcopy} in PyTorch); the layer passed in is
 * not itself part of the stack. Built from a factory, each layer is drawn afresh.
 *
 * <p><b>Shape</b>: as the layers', src (S, N, E), (N, S, E) with batchFirst, or (S, E); output the same.
 * <p><b>Children</b>: {@code layers} ({@link ModuleList} with {@code layers.0}, {@code layers.1}, ...)
 * and {@code norm} when given (usually a LayerNorm(E) after pre-norm layers).
 */
public class TransformerEncoder extends Module {
    public final ModuleList layers;
    /** The final normalisation, or null. */
    public final Module norm;

    /** {@code numLayers} copies of {@code encoderLayer}, no final norm. */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) {
        this(encoderLayer, numLayers, null);
    }

    /** {@code numLayers} copies of {@code encoderLayer}, then {@code norm} (may be null). */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        this(encoderLayer::copy, numLayers, norm);
    }

    /** {@code numLayers} layers made by {@code layerFactory}, then {@code norm} (may be null). */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layerFactory, int numLayers, Module norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be >= 1, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layerFactory.get());
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Each layer with the same {@code mask} and {@code srcKeyPaddingMask} (either may be null), then norm. */
    public Tensor forward(Tensor src, AttentionMask mask, AttentionMask srcKeyPaddingMask) {
        Tensor x = src;
        for (Module layer : layers) {
            x = ((TransformerEncoderLayer) layer).forward(x, mask, srcKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    /** The number of layers. */
    public int numLayers() {
        return layers.size();
    }
}
