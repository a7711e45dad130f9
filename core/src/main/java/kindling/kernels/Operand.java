package kindling.kernels;

/**
 * One matrix operand of {@link Gemm#gemm}: where a row-major matrix sits in an array, and whether
 * GEMM reads it as stored or transposed.
 * <pre>
 *   element (row, col) as stored = data[offset + row · ld + col]
 * </pre>
 * The leading dimension {@code ld} is the distance between two stored rows; it may exceed the stored
 * width, which lets GEMM work on a block of a bigger matrix without copying. The sizes are not
 * here: they are the m, n, k of the product.
 *
 * @param data       the array holding the matrix
 * @param offset     index of element (0, 0) in {@code data}
 * @param ld         the leading dimension: stored row r starts at {@code offset + r · ld}
 * @param transposed whether GEMM uses the transpose of the stored matrix (BLAS's {@code 'T'})
 */
public record Operand(float[] data, int offset, int ld, boolean transposed) {

    /** The matrix as stored: a row-major block of {@code data} from {@code offset}, rows {@code ld} apart. */
    public static Operand of(float[] data, int offset, int ld) {
        return new Operand(data, offset, ld, false);
    }

    /** The transpose of the matrix stored at {@code offset} with rows {@code ld} apart. */
    public static Operand ofTransposed(float[] data, int offset, int ld) {
        return new Operand(data, offset, ld, true);
    }

    /** The same storage read the other way round. */
    public Operand t() {
        return new Operand(data, offset, ld, !transposed);
    }
}
