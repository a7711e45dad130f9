package kindling.nn.functional;

import kindling.ops.EmbeddingOp;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The embedding lookup as a function, as PyTorch's {@code F.embedding}: each index of {@code input}
 * picks one row of {@code weight}. The module {@code Embedding} owns the table and calls this.
 * Shape: input (*) of whole numbers in [0, V), weight (V, D) → output (*, D). See {@link EmbeddingOp}.
 */
public final class Embeddings {
    private Embeddings() {
    }

    /** Rows of {@code weight} picked by {@code input}, every row receiving gradient. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return embedding("embedding", input, weight, -1);
    }

    /**
     * Rows of {@code weight} picked by {@code input}; row {@code paddingIdx} gets no gradient (−1 for none).
     *
     * @throws ShapeException if {@code weight} is not (V, D)
     * @throws IllegalArgumentException if {@code paddingIdx} is not −1 or a row of the table
     * @throws IndexOutOfBoundsException if an index is not a whole number in [0, V)
     */
    public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
        return embedding("embedding", input, weight, paddingIdx);
    }

    /** As {@link #embedding(Tensor, Tensor, int)}, with {@code who} (a module's description) naming the caller in errors. */
    public static Tensor embedding(String who, Tensor input, Tensor weight, int paddingIdx) {
        checkTable(who, weight, paddingIdx);
        return EmbeddingOp.apply(who, input, weight, paddingIdx);
    }

    /**
     * As {@link #embedding(Tensor, Tensor, int)}, after scaling down in place every row the input picks
     * whose {@code normType}-norm is above {@code maxNorm}, as PyTorch's {@code F.embedding(...,
     * max_norm, norm_type)}: W[v] *= maxNorm / (‖W[v]‖_p + 1e−7). The weight changes, values and
     * version, before the lookup; the indices are checked first, so a bad index changes nothing.
     */
    public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx, double maxNorm, double normType) {
        return embedding("embedding", input, weight, paddingIdx, maxNorm, normType);
    }

    /** As {@link #embedding(Tensor, Tensor, int, double, double)}, with {@code who} naming the caller in errors. */
    public static Tensor embedding(String who, Tensor input, Tensor weight, int paddingIdx, double maxNorm,
                                   double normType) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException(who + ": maxNorm must be > 0, got " + maxNorm);
        }
        if (Double.isNaN(normType)) {
            throw new IllegalArgumentException(who + ": normType must be a number, got NaN");
        }
        checkTable(who, weight, paddingIdx);
        EmbeddingOp.renorm_(who, input, weight, maxNorm, normType);
        return EmbeddingOp.apply(who, input, weight, paddingIdx);
    }

    /** The table is (V, D) and the padding row, if any, one of its rows. */
    private static void checkTable(String who, Tensor weight, int paddingIdx) {
        if (weight.dim() != 2) {
            throw new ShapeException(who + ": weight must be (V, D), got " + Shape.format(weight.shape()));
        }
        if (paddingIdx < -1 || paddingIdx >= weight.size(0)) {
            throw new IllegalArgumentException(who + ": paddingIdx must be -1 (none) or a row in [0, "
                    + weight.size(0) + ") but got " + paddingIdx);
        }
    }
}
