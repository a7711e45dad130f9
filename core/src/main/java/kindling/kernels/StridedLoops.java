package kindling.kernels;

/**
 * The loops that walk a strided n-d array. Every view in Kindling (a transpose, a slice, a
 * broadcast) is the same {@code float[]} read with other strides; these loops are where a view is
 * turned back into a plain row-major block, or a gradient is summed back over broadcast dims.
 *
 * <p>Element {@code [i0, ..., in-1]} lives at {@code offset + Σ i_k · stride_k}. A stride of 0 reads
 * the same element again and again: that is how broadcasting works without copying.
 *
 * <p>How they are fast: the innermost dim is a plain counted loop (the JIT vectorises it when both
 * strides are 1); the outer dims advance an index counter like an odometer, so there is no
 * recursion and no allocation per element.
 */
public final class StridedLoops {
    private StridedLoops() {
    }

    /** {@code dst[...] = src[...]} over every index of {@code shape}. */
    public static void copy(int[] shape,
                            float[] src, int srcOffset, int[] srcStrides,
                            float[] dst, int dstOffset, int[] dstStrides) {
        walk(shape, src, srcOffset, srcStrides, dst, dstOffset, dstStrides, false);
    }

    /**
     * {@code dst[...] += src[...]} over every index of {@code shape}. With zero strides in
     * {@code dstStrides} this sums {@code src} over the broadcast dims: the backward of expand.
     */
    public static void accumulate(int[] shape,
                                  float[] src, int srcOffset, int[] srcStrides,
                                  float[] dst, int dstOffset, int[] dstStrides) {
        walk(shape, src, srcOffset, srcStrides, dst, dstOffset, dstStrides, true);
    }

    private static void walk(int[] shape,
                             float[] src, int srcOffset, int[] srcStrides,
                             float[] dst, int dstOffset, int[] dstStrides, boolean add) {
        int rank = shape.length;
        for (int size : shape) {
            if (size == 0) {
                return;
            }
        }
        if (rank == 0) {
            dst[dstOffset] = add ? dst[dstOffset] + src[srcOffset] : src[srcOffset];
            return;
        }
        int inner = shape[rank - 1];
        int srcStep = srcStrides[rank - 1];
        int dstStep = dstStrides[rank - 1];
        int[] index = new int[rank];          // the odometer over the outer dims
        int srcBase = srcOffset;
        int dstBase = dstOffset;
        while (true) {
            // Innermost dim: one tight loop.
            if (add) {
                for (int i = 0, s = srcBase, d = dstBase; i < inner; i++, s += srcStep, d += dstStep) {
                    dst[d] += src[s];
                }
            } else {
                for (int i = 0, s = srcBase, d = dstBase; i < inner; i++, s += srcStep, d += dstStep) {
                    dst[d] = src[s];
                }
            }
            // Outer dims: advance the odometer, carrying into earlier dims.
            int dim = rank - 2;
            while (dim >= 0) {
                index[dim]++;
                srcBase += srcStrides[dim];
                dstBase += dstStrides[dim];
                if (index[dim] < shape[dim]) {
                    break;
                }
                srcBase -= srcStrides[dim] * shape[dim];
                dstBase -= dstStrides[dim] * shape[dim];
                index[dim] = 0;
                dim--;
            }
            if (dim < 0) {
                return;
            }
        }
    }
}
