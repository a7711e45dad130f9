/**
 * Text as tensors: a {@link kindling.data.text.Vocab} that maps tokens (words or characters) to indices
 * and back, with the special tokens {@code <pad>}, {@code <bos>}, {@code <eos>} and {@code <unk>}; and
 * {@link kindling.data.text.PaddedBatch}, variable-length sequences padded into one (N, L) tensor with
 * their lengths and the key padding mask attention needs. Start with {@link kindling.data.text.Vocab}.
 */
package kindling.data.text;
