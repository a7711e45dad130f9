package kindling.tensor;

/**
 * What {@link Tensor#max(int, boolean)} and {@link Tensor#min(int, boolean)} return, as PyTorch's
 * {@code (values, indices)} pair. The indices are positions along the reduced dim, stored as
 * floats holding whole numbers (Kindling has one data type); they carry no gradient.
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {
}
