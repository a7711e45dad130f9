package kindling.ops;

import kindling.tensor.Shape;

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
}
