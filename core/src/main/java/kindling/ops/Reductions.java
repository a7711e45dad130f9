package kindling.ops;

import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/** Shape bookkeeping shared by the reductions (sum, mean, max, var, logsumexp, ...). */
public final class Reductions {
    private Reductions() {
    }

    /** Which dims are reduced: those listed (negative allowed, no repeats), or all when none are. */
    public static boolean[] reducedDims(String op, int rank, int[] dims) {
        boolean[] reduced = new boolean[rank];
        if (dims.length == 0) {
            java.util.Arrays.fill(reduced, true);
            return reduced;
        }
        for (int dim : dims) {
            int d = Shape.normalizeDim(op, dim, rank);
            if (rank == 0) {
                continue;
            }
            if (reduced[d]) {
                throw new IllegalArgumentException(op + ": dim " + dim + " appears more than once in "
                        + Shape.format(dims));
            }
            reduced[d] = true;
        }
        return reduced;
    }

    /** The input shape with each reduced dim set to 1 (the {@code keepDim} shape). */
    public static int[] keptShape(int[] shape, boolean[] reduced) {
        int[] kept = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                kept[d] = 1;
            }
        }
        return kept;
    }

    /** The input shape with the reduced dims removed. */
    public static int[] droppedShape(int[] shape, boolean[] reduced) {
        int count = 0;
        for (boolean r : reduced) {
            count += r ? 0 : 1;
        }
        int[] dropped = new int[count];
        int next = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) {
                dropped[next++] = shape[d];
            }
        }
        return dropped;
    }

    /** How many input elements each output element is reduced from: the product of the reduced sizes. */
    public static int reducedCount(int[] shape, boolean[] reduced) {
        int count = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                count *= shape[d];
            }
        }
        return count;
    }

    /**
     * The elements of {@code input} rearranged into rows, one row per output element: the kept
     * dims first (in order), then the reduced dims. Row {@code j} is
     * {@code rows[j·n .. (j+1)·n − 1]} with {@code n = reducedCount}, and the rows come in the
     * row-major order of the output. A reduction then is a plain loop over each row.
     * <pre>
     *   x (2, 3, 4), reduce dim 1  →  rows (2·4 rows, 3 values each): row (i, k) = x[i, :, k]
     * </pre>
     */
    public static float[] gatherRows(Tensor input, boolean[] reduced) {
        int[] order = keptFirstOrder(reduced);
        int[] shape = input.shape();
        int[] strides = input.stride();
        int[] movedShape = new int[order.length];
        int[] movedStrides = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            movedShape[k] = shape[order[k]];
            movedStrides[k] = strides[order[k]];
        }
        float[] rows = new float[input.numel()];
        StridedLoops.copy(movedShape, input.storage(), input.storageOffset(), movedStrides,
                rows, 0, Shape.contiguousStrides(movedShape));
        return rows;
    }

    /** The inverse of {@link #gatherRows}: puts rows back into a row-major array of {@code shape}. */
    public static float[] scatterRows(float[] rows, int[] shape, boolean[] reduced) {
        int[] order = keptFirstOrder(reduced);
        int[] strides = Shape.contiguousStrides(shape);
        int[] movedShape = new int[order.length];
        int[] movedStrides = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            movedShape[k] = shape[order[k]];
            movedStrides[k] = strides[order[k]];
        }
        float[] out = new float[rows.length];
        StridedLoops.copy(movedShape, rows, 0, Shape.contiguousStrides(movedShape), out, 0, movedStrides);
        return out;
    }

    /** The dims in the order kept dims first, then reduced dims, each group in its original order. */
    private static int[] keptFirstOrder(boolean[] reduced) {
        int[] order = new int[reduced.length];
        int next = 0;
        for (int d = 0; d < reduced.length; d++) {
            if (!reduced[d]) {
                order[next++] = d;
            }
        }
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) {
                order[next++] = d;
            }
        }
        return order;
    }

    /** Fails with a message naming the op when there is nothing to take a max, min or softmax of. */
    public static void requireNonEmpty(String op, int[] shape, int reducedCount) {
        if (reducedCount == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce over zero elements in a tensor of shape "
                    + Shape.format(shape));
        }
    }
}
