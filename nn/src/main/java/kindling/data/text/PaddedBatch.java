package kindling.data.text;

import java.util.List;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * Sequences of different lengths as one batch: {@code tokens} (N, L), each row a sequence followed by
 * {@code <pad>} up to L = the longest length, and the {@code lengths} (N) before padding.
 * <pre>
 *   [5, 9, 4]           →   [[5, 9, 4, 0, 0],      lengths [3, 5, 1]
 *   [7, 7, 8, 2, 6]          [7, 7, 8, 2, 6],
 *   [3]                      [3, 0, 0, 0, 0]]      (pad index 0)
 * </pre>
 * The padding must not change the result: attention is kept away from it by the key padding mask
 * {@link #keyPaddingMask()} (1 = may not attend at positions ≥ length), and the loss ignores targets equal
 * to the pad index ({@code CrossEntropyLoss}'s {@code ignoreIndex}).
 *
 * @param tokens  (N, L) token indices as floats, as Embedding takes them
 * @param lengths the length of each sequence before padding
 */
public record PaddedBatch(Tensor tokens, int[] lengths) {

    /** The sequences padded with {@code padIndex} to the longest one's length. */
    public static PaddedBatch pad(List<int[]> sequences, int padIndex) {
        int longest = 0;
        for (int[] sequence : sequences) {
            longest = Math.max(longest, sequence.length);
        }
        return pad(sequences, padIndex, longest);
    }

    /** The sequences padded with {@code padIndex} to {@code length}, which must be at least the longest. */
    public static PaddedBatch pad(List<int[]> sequences, int padIndex, int length) {
        float[] tokens = new float[sequences.size() * length];
        int[] lengths = new int[sequences.size()];
        for (int n = 0; n < sequences.size(); n++) {
            int[] sequence = sequences.get(n);
            if (sequence.length > length) {
                throw new IllegalArgumentException("PaddedBatch.pad: sequence " + n + " has " + sequence.length
                        + " tokens, more than the padded length " + length);
            }
            lengths[n] = sequence.length;
            for (int t = 0; t < length; t++) {
                tokens[n * length + t] = t < sequence.length ? sequence[t] : padIndex;
            }
        }
        return new PaddedBatch(Tensor.wrap(tokens, sequences.size(), length), lengths);
    }

    /** The key padding mask (N, L): padded positions may not be attended to, {@code AttentionMask.padding(lengths, L)}. */
    public AttentionMask keyPaddingMask() {
        return AttentionMask.padding(lengths, tokens.size(1));
    }

    /** The batch size N. */
    public int size() {
        return lengths.length;
    }
}
