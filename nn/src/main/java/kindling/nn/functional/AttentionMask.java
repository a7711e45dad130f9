package kindling.nn.functional;

import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Which keys a query may attend to, as the two kinds of mask PyTorch's {@code nn.MultiheadAttention}
 * accepts. Kindling has no bool tensor, so the kind is said by the factory method instead of the dtype:
 * <pre>
 *   PyTorch                                 Kindling
 *   bool mask, True = may NOT attend         AttentionMask.notAllowed(zeroOne)      1 = may not attend
 *   float mask, added to the scores          AttentionMask.additive(values)         0 keeps, −∞ blocks
 *   nn.Transformer.generate_square_subsequent_mask(L)     AttentionMask.causal(L)
 * </pre>
 * Either way the mask ends up as the additive form {@link #additive()}: 0 where attention is allowed,
 * −∞ where it is not, added to the scores before the softmax, so exp(−∞) = 0 gives the blocked keys
 * weight 0. (Careful: {@code F.scaled_dot_product_attention} in PyTorch 2 reads a bool mask the other way
 * round, True = may attend. Kindling follows {@code nn.MultiheadAttention}, as this class's names say.)
 * A row that blocks every key gives NaN weights, as in PyTorch.
 *
 * @param additive the float mask added to the scores
 */
public record AttentionMask(Tensor additive) {

    /**
     * A mask from PyTorch's boolean convention as a 0/1 tensor: 1 (True) where the query may not
     * attend to the key, 0 where it may. Any other value is refused, since it would mean the caller
     * had a float mask in mind ({@link #additive(Tensor)}).
     */
    public static AttentionMask notAllowed(Tensor zeroOne) {
        float[] values = zeroOne.toArray();
        float[] additive = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0f && values[i] != 1f) {
                throw new IllegalArgumentException("AttentionMask.notAllowed: a boolean mask holds 0 (may attend) "
                        + "or 1 (may not), got " + values[i] + " at flat index " + i + " of a mask "
                        + Shape.format(zeroOne.shape()) + "; for a float mask added to the scores use "
                        + "AttentionMask.additive");
            }
            additive[i] = values[i] == 1f ? Float.NEGATIVE_INFINITY : 0f;
        }
        return new AttentionMask(Tensor.wrap(additive, zeroOne.shape()));
    }

    /** A float mask added to the scores as it is (PyTorch's float {@code attn_mask}). */
    public static AttentionMask additive(Tensor values) {
        return new AttentionMask(values.detach());
    }

    /** The causal mask (L, L): query i may attend to keys 0..i only, −∞ above the diagonal. */
    public static AttentionMask causal(int size) {
        return causal(size, size);
    }

    /**
     * The causal mask (L, S): −∞ where key j lies after query i (j &gt; i), 0 elsewhere, as
     * {@code torch.triu(torch.full((L, S), float('-inf')), diagonal=1)}.
     */
    public static AttentionMask causal(int queries, int keys) {
        if (queries < 0 || keys < 0) {
            throw new IllegalArgumentException("AttentionMask.causal: sizes must be >= 0, got (" + queries + ", "
                    + keys + ")");
        }
        float[] mask = new float[queries * keys];
        for (int i = 0; i < queries; i++) {             // query position
            for (int j = i + 1; j < keys; j++) {        // the keys after it
                mask[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return new AttentionMask(Tensor.wrap(mask, queries, keys));
    }

    /**
     * A key padding mask (N, S) for sequences of the given lengths padded to {@code keys}: keys at
     * positions ≥ lengths[n] are blocked, as the bool mask {@code arange(S)[None, :] >= lengths[:, None]}.
     */
    public static AttentionMask padding(int[] lengths, int keys) {
        float[] mask = new float[lengths.length * keys];
        for (int n = 0; n < lengths.length; n++) {
            if (lengths[n] < 0 || lengths[n] > keys) {
                throw new IllegalArgumentException("AttentionMask.padding: length " + lengths[n] + " of sequence "
                        + n + " is not in [0, " + keys + "]");
            }
            for (int j = lengths[n]; j < keys; j++) {
                mask[n * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return new AttentionMask(Tensor.wrap(mask, lengths.length, keys));
    }

    /** The mask's shape. */
    public int[] shape() {
        return additive.shape();
    }
}
