package kindling.ops;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Index tensors for {@code indexSelect}, {@code gather} and {@code scatterAdd}. Kindling has one
 * dtype, so an index is a float tensor whose values must be whole numbers in range; they are read
 * once into an {@code int[]} and checked, naming the op, the bad value and the valid range.
 */
final class Indices {
    private Indices() {
    }

    /** The values of {@code index} in row-major order, each checked to be an integer in 0 .. size − 1. */
    static int[] read(String op, Tensor index, int dim, int size) {
        float[] values = index.data();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(op + ": index " + v + " is not an integer; "
                        + validRange(dim, size));
            }
            if (v < 0 || v >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + format(v) + " is out of range; "
                        + validRange(dim, size));
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** A whole number without ".0" (as the user thinks of an index), anything else as Java prints it. */
    private static String format(float v) {
        return Math.abs(v) < 1e9f ? Long.toString((long) v) : Float.toString(v);
    }

    private static String validRange(int dim, int size) {
        return size == 0 ? "dim " + dim + " has size 0, so no index is valid"
                : "expected 0 to " + (size - 1) + " for dim " + dim + " of size " + size;
    }

    /** Rejects a 0-dim tensor, which has no dim to index. */
    static void checkHasDims(String op, Tensor input) {
        if (input.dim() == 0) {
            throw new ShapeException(op + ": expects a tensor with at least 1 dim, got ()");
        }
    }

    /**
     * Checks that {@code index} has the rank of {@code other} and is no larger in any dim (except
     * {@code dim} when {@code exceptDim}): the rule gather and scatterAdd share.
     */
    static void checkFits(String op, int[] index, String otherName, int[] other, int dim, boolean exceptDim) {
        if (index.length != other.length) {
            throw new ShapeException(op + ": index " + Shape.format(index) + " must have as many dims as "
                    + otherName + " " + Shape.format(other));
        }
        for (int d = 0; d < index.length; d++) {
            if (index[d] > other[d] && !(exceptDim && d == dim)) {
                throw new ShapeException(op + ": index " + Shape.format(index) + " is larger than " + otherName + " "
                        + Shape.format(other) + " in dim " + d + " (" + index[d] + " > " + other[d] + ")");
            }
        }
    }

    /**
     * Walks every position p of {@code walkShape} in row-major order and returns where p lands in a
     * row-major tensor with {@code strides}: Σ_d p[d] · strides[d], except that coordinate
     * {@code dim} is replaced by {@code index[p]} when {@code index} is not null. This is the address
     * arithmetic of gather ({@code y[p] = x[address]}) and scatterAdd ({@code y[address] += src[p]}).
     */
    static int[] addresses(int[] walkShape, int[] strides, int dim, int[] index) {
        int[] out = new int[Shape.numel(walkShape)];
        int rank = walkShape.length;
        int[] position = new int[rank];                  // the odometer
        int rest = 0;                                    // Σ over d ≠ dim of position[d]·strides[d]
        for (int p = 0; p < out.length; p++) {
            out[p] = index == null ? rest + position[dim] * strides[dim] : rest + index[p] * strides[dim];
            for (int d = rank - 1; d >= 0; d--) {
                position[d]++;
                rest += d == dim ? 0 : strides[d];
                if (position[d] < walkShape[d]) {
                    break;
                }
                rest -= d == dim ? 0 : strides[d] * walkShape[d];
                position[d] = 0;
            }
        }
        return out;
    }
}
