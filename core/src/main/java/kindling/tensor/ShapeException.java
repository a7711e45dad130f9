package kindling.tensor;

/**
 * Thrown when shapes do not fit an operation. The message always names the operation and every
 * shape involved, formatted as {@code (2, 3)}, so that a student can act on it without a debugger:
 * <pre>
 *   matmul: cannot multiply (2, 3) by (4, 5): 3 != 4
 *   add: shapes (4, 3) and (4, 2) are not broadcastable at dim -1 (3 vs 2)
 * </pre>
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
