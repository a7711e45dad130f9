package kindling.tensor;

import java.util.Arrays;

/**
 * Small named functions about shapes and strides, in the style of minitorch: each does one thing
 * a student can check by hand.
 *
 * <p>A row-major ("C-contiguous") tensor of shape {@code (d0, d1, ..., dn-1)} stores element
 * {@code [i0, i1, ..., in-1]} at {@code offset + Σ i_k · stride_k}, where the last dim has stride 1
 * and each earlier stride is the product of the sizes after it:
 * <pre>
 *   shape (2, 3, 4)  →  strides (12, 4, 1)
 * </pre>
 */
public final class Shape {
    private Shape() {
    }

    /** {@code (2, 3)}, {@code (5,)} for one dim as Python prints it, {@code ()} for a scalar. */
    public static String format(int... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(shape[i]);
        }
        return text.append(')').toString();
    }

    /** The number of elements: the product of the sizes (1 for a scalar, 0 if any size is 0). */
    public static int numel(int... shape) {
        long count = 1;
        for (int size : shape) {
            count *= size;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + format(shape) + " has " + count
                    + " elements, more than a Java array can hold (" + Integer.MAX_VALUE + ")");
        }
        return (int) count;
    }

    /** Row-major strides: the last dim moves by 1, each earlier one by the product of later sizes. */
    public static int[] contiguousStrides(int... shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** Rejects negative sizes, naming the operation and the shape. */
    public static int[] checkSizes(String op, int... shape) {
        for (int size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException(op + ": sizes must be non-negative, got "
                        + format(shape));
            }
        }
        return shape.clone();
    }

    /**
     * Turns a possibly negative dim into an index: {@code -1} is the last dim. Throws naming the
     * operation, the dim and the valid range.
     */
    public static int normalizeDim(String op, int dim, int rank) {
        int lowest = rank == 0 ? -1 : -rank;
        int highest = rank == 0 ? 0 : rank - 1;
        if (dim < lowest || dim > highest) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor with "
                    + rank + " dims (expected " + lowest + " to " + highest + ")");
        }
        return dim < 0 ? dim + Math.max(rank, 1) : dim;
    }

    /**
     * The broadcast shape of {@code a} and {@code b} under NumPy's rules: align the shapes on the
     * right; two sizes fit when they are equal or one of them is 1; a missing dim counts as 1.
     * <pre>
     *   (4, 3) and (3,)   →  (4, 3)
     *   (2, 1, 5) and (4, 1) →  (2, 4, 5)
     * </pre>
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 1; d <= rank; d++) {
            int sizeA = d <= a.length ? a[a.length - d] : 1;
            int sizeB = d <= b.length ? b[b.length - d] : 1;
            if (sizeA != sizeB && sizeA != 1 && sizeB != 1) {
                throw new ShapeException(op + ": shapes " + format(a) + " and " + format(b)
                        + " are not broadcastable at dim " + (-d) + " (" + sizeA + " vs " + sizeB + ")");
            }
            out[rank - d] = sizeA == 1 ? sizeB : sizeA;
        }
        return out;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as if it had {@code target}'s
     * shape: a broadcast dim (size 1, or missing on the left) gets stride 0, so every index along it
     * reads the same element. No data moves.
     */
    public static int[] broadcastStrides(String op, int[] shape, int[] strides, int[] target) {
        if (shape.length > target.length) {
            throw new ShapeException(op + ": cannot expand " + format(shape) + " to " + format(target)
                    + ": the target has fewer dims");
        }
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int d = 0; d < target.length; d++) {
            if (d < lead) {
                continue;
            }
            int size = shape[d - lead];
            if (size == target[d]) {
                out[d] = strides[d - lead];
            } else if (size != 1) {
                throw new ShapeException(op + ": cannot expand " + format(shape) + " to " + format(target)
                        + " at dim " + d + " (" + size + " vs " + target[d] + ")");
            }
        }
        return out;
    }

    /** Resolves one {@code -1} in a requested shape from the element count, checking the total. */
    public static int[] inferSize(String op, int[] from, int[] requested) {
        int[] shape = requested.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException(op + ": only one dim can be -1, got "
                            + format(requested));
                }
                inferred = d;
            } else if (shape[d] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[d] + " in "
                        + format(requested));
            } else {
                known *= shape[d];
            }
        }
        int numel = numel(from);
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new ShapeException(op + ": shape " + format(requested) + " is invalid for input "
                        + format(from) + " with " + numel + " elements");
            }
            shape[inferred] = (int) (numel / known);
        } else if (known != numel) {
            throw new ShapeException(op + ": shape " + format(requested) + " is invalid for input "
                    + format(from) + " with " + numel + " elements");
        }
        return shape;
    }

    /**
     * Strides that let a tensor of {@code oldShape}/{@code oldStrides} be read as {@code newShape}
     * without copying, or {@code null} when no strides can (then reshape must copy).
     *
     * <p>How: split the old dims into chunks that are contiguous among themselves (each dim's stride
     * is the next one's stride times its size). A view is possible when the new dims can be grouped
     * so that each group multiplies to exactly one chunk's element count; inside a group the strides
     * are row-major, scaled by the chunk's innermost stride. A transposed matrix has two chunks of
     * one dim each, so it cannot be flattened without a copy.
     */
    public static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        if (numel(oldShape) == 0 || oldShape.length == 0) {
            return contiguousStrides(newShape);
        }
        int[] newStrides = new int[newShape.length];
        int viewDim = newShape.length - 1;
        long chunkStride = oldStrides[oldShape.length - 1];
        long chunkNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            chunkNumel *= oldShape[d];
            boolean chunkEnds = d == 0
                    || (oldShape[d - 1] != 1 && oldStrides[d - 1] != chunkNumel * chunkStride);
            if (chunkEnds) {
                // Give the new dims that make up this chunk row-major strides within it.
                while (viewDim >= 0 && (viewNumel < chunkNumel || newShape[viewDim] == 1)) {
                    newStrides[viewDim] = (int) (viewNumel * chunkStride);
                    viewNumel *= newShape[viewDim];
                    viewDim--;
                }
                if (viewNumel != chunkNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkStride = oldStrides[d - 1];
                    chunkNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewDim == -1 ? newStrides : null;
    }

    /** Whether two shapes are equal, element for element. */
    public static boolean same(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
