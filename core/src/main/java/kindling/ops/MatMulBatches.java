package kindling.ops;

import kindling.kernels.Gemm;
import kindling.kernels.Operand;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Drives {@link Gemm} over the batches of {@link MatMulOp}: one GEMM call per batch, each at its
 * offset in the operands' storage, so no operand is copied unless its strides force it.
 *
 * <p>GEMM reads a matrix row-major with a leading dimension {@code ld} (the distance between rows),
 * or transposed. A contiguous matrix is the first case; a transposed view ({@code x.t()}, strides
 * {@code (1, ld)}) is the second; a column slice ({@code x.narrow(1, ...)}) is the first with a
 * larger {@code ld}. Only other strides (an expanded row, a strided slice) need a copy.
 */
final class MatMulBatches {
    private MatMulBatches() {
    }

    /** How GEMM reads one matrix of a tensor: as stored (row-major, rows {@code ld} apart) or transposed. */
    private record Layout(boolean transposed, int ld) {
    }

    /**
     * C (*batch, M, N) = A (*a, M, K) · B (*b, K, N), where *a and *b broadcast to *batch. The
     * operands are detached and have at least 2 dims; the result is contiguous.
     */
    static Tensor multiply(Tensor a, Tensor b, int[] batch) {
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b.size(-1);
        if (b.dim() == 2 && a.dim() > 2) {
            // One B for every batch of A: stack A's batches as rows, (*·M, K) · (K, N), one big GEMM.
            Tensor rows = multiply(a.reshape(-1, k), b, new int[0]);
            return Tensor.wrap(rows.storage(), append(batch, m, n));   // rows is fresh: no view needed
        }
        Layout layoutA = layout(a);
        if (layoutA == null) {
            a = Tensor.wrap(a.toArray(), a.shape());
            layoutA = layout(a);
        }
        Layout layoutB = layout(b);
        if (layoutB == null) {
            b = Tensor.wrap(b.toArray(), b.shape());
            layoutB = layout(b);
        }
        float[] c = new float[Shape.numel(batch) * m * n];
        if (c.length == 0 || k == 0) {
            return Tensor.wrap(c, append(batch, m, n));    // an empty sum is 0
        }
        // Each operand's step along each batch dim; 0 along a dim it is broadcast over.
        int[] stepsA = Shape.broadcastStrides("matmul", batchOf(a.shape()), batchOf(a.stride()), batch);
        int[] stepsB = Shape.broadcastStrides("matmul", batchOf(b.shape()), batchOf(b.stride()), batch);
        int[] index = new int[batch.length];            // odometer over the batch dims
        int offsetA = a.storageOffset();
        int offsetB = b.storageOffset();
        for (int offsetC = 0; offsetC < c.length; offsetC += m * n) {
            Gemm.gemm(m, n, k, new Operand(a.storage(), offsetA, layoutA.ld(), layoutA.transposed()),
                    new Operand(b.storage(), offsetB, layoutB.ld(), layoutB.transposed()), 0f, Operand.of(c, offsetC, n));
            for (int d = batch.length - 1; d >= 0; d--) {
                index[d]++;
                offsetA += stepsA[d];
                offsetB += stepsB[d];
                if (index[d] < batch[d]) {
                    break;
                }
                offsetA -= stepsA[d] * batch[d];
                offsetB -= stepsB[d] * batch[d];
                index[d] = 0;
            }
        }
        return Tensor.wrap(c, append(batch, m, n));
    }

    /** The layout of the last two dims, or null when GEMM cannot read them without a copy. */
    private static Layout layout(Tensor t) {
        int rows = t.size(-2);
        int cols = t.size(-1);
        int rowStride = t.stride(-2);
        int colStride = t.stride(-1);
        // A dim of size 1 is never stepped along, so its stride does not matter.
        if ((cols == 1 || colStride == 1) && (rows == 1 || rowStride >= Math.max(cols, 1))) {
            return new Layout(false, rows == 1 ? Math.max(cols, 1) : rowStride);
        }
        if ((rows == 1 || rowStride == 1) && (cols == 1 || colStride >= Math.max(rows, 1))) {
            return new Layout(true, cols == 1 ? Math.max(rows, 1) : colStride);
        }
        return null;
    }

    private static int[] batchOf(int[] sizes) {
        return java.util.Arrays.copyOf(sizes, sizes.length - 2);
    }

    private static int[] append(int[] shape, int... sizes) {
        int[] out = java.util.Arrays.copyOf(shape, shape.length + sizes.length);
        System.arraycopy(sizes, 0, out, shape.length, sizes.length);
        return out;
    }
}
