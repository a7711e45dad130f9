package kindling.kernels;

/**
 * The indexing family: the loops behind gather, scatterAdd, indexSelect and embedding, on flat arrays and
 * precomputed addresses (the ops in {@code kindling.ops} check the indices and work out the addresses;
 * these loops only move numbers). Two kinds of loop:
 *
 * <ul>
 *   <li>copies ({@link #gather}, {@link #selectBlocks}): every output element is written once, so blocks of
 *       the output run in parallel ({@link Threads#parallelFor}) and in kernel mode naive one plain loop
 *       runs on the calling thread ({@link #gatherNaive}, {@link #selectBlocksNaive});</li>
 *   <li>accumulations, where a repeated index adds several values into one place: the adds into one place
 *       must happen in the order of the index, whatever the thread count, for the sum to be the same float.
 *       {@link #accumulateBlocks} (the backward of indexSelect and embedding) splits the work by destination
 *       (slices and columns), each place still receiving its adds in index order; {@link #scatterAdd}
 *       (scatterAdd's forward, gather's backward) has arbitrary addresses, so it stays one loop on the
 *       calling thread in every mode.</li>
 * </ul>
 */
public final class Indexing {
    private Indexing() {
    }

    /**
     * dst[to[p]] = src[from[p]] for every p, or dst[p] = src[from[p]] when {@code to} is null: gather's
     * forward, and the backward of scatterAdd (which reads each gradient back from where its source went).
     * {@code to}'s entries must be distinct, so the blocks of p that run in parallel write disjoint places.
     */
    public static void gather(float[] src, int[] from, float[] dst, int[] to) {
        Threads.parallelRange(from.length, (lo, hi) -> gatherRange(src, from, dst, to, lo, hi));
    }

    /** The naive twin of {@link #gather}: one loop on the calling thread. */
    public static void gatherNaive(float[] src, int[] from, float[] dst, int[] to) {
        gatherRange(src, from, dst, to, 0, from.length);
    }

    private static void gatherRange(float[] src, int[] from, float[] dst, int[] to, int lo, int hi) {
        if (to == null) {
            for (int p = lo; p < hi; p++) {
                dst[p] = src[from[p]];
            }
        } else {
            for (int p = lo; p < hi; p++) {
                dst[to[p]] = src[from[p]];
            }
        }
    }

    /**
     * dst[to[p]] += src[from[p]] for p = 0, 1, ... in order, or src[p] when {@code from} is null:
     * scatterAdd's forward and gather's backward, where two positions with the same address both add. The
     * addresses are arbitrary, so splitting p across threads could add into one place in another order and
     * change the rounding; this loop therefore runs on the calling thread in every kernel mode, and is its
     * own naive twin.
     */
    public static void scatterAdd(float[] src, int[] from, float[] dst, int[] to) {
        for (int p = 0; p < to.length; p++) {
            dst[to[p]] += src[from == null ? p : from[p]];
        }
    }

    /**
     * indexSelect's loop: x viewed as (outer, size, inner), out as (outer, picks.length, inner), and
     * out[o, j, :] = x[o, picks[j], :], one {@code System.arraycopy} of {@code inner} floats per (o, j).
     * Embedding is the case outer = 1 (size = the vocabulary, inner = the width, picks = the token ids).
     * Blocks of (o, j) pairs run in parallel; naive twin {@link #selectBlocksNaive}.
     */
    public static void selectBlocks(float[] x, int outer, int size, int inner, int[] picks, float[] out) {
        int count = picks.length;
        int pairs = outer * count;
        int pairsPerTask = Math.max(1, Threads.ELEMENTWISE_BLOCK / Math.max(1, inner));
        int tasks = (pairs + pairsPerTask - 1) / pairsPerTask;
        Threads.parallelFor(tasks, t -> {
            int end = Math.min(pairs, (t + 1) * pairsPerTask);
            for (int pair = t * pairsPerTask; pair < end; pair++) {
                int o = pair / count;
                int j = pair % count;
                System.arraycopy(x, (o * size + picks[j]) * inner, out, pair * inner, inner);
            }
        });
    }

    /** The naive twin of {@link #selectBlocks}: the two loops as the formula reads, on the calling thread. */
    public static void selectBlocksNaive(float[] x, int outer, int size, int inner, int[] picks, float[] out) {
        for (int o = 0; o < outer; o++) {                        // every slice before the indexed dim
            for (int j = 0; j < picks.length; j++) {             // every picked index: copy a block of `inner`
                System.arraycopy(x, (o * size + picks[j]) * inner, out, (o * picks.length + j) * inner, inner);
            }
        }
    }

    /**
     * The backward of {@link #selectBlocks}: gradX[o, picks[j], :] += g[o, j, :] for every (o, j) with
     * picks[j] ≠ skip (embedding's padding row gets no gradient; −1 skips nothing). A repeated pick sums
     * its gradients, in the order of j. The work is split by destination: each task owns some slices o
     * and a range of columns, and walks every j in order for them, so every element of gradX receives its
     * adds in the same order as in {@link #accumulateBlocksNaive}, for any thread count.
     */
    public static void accumulateBlocks(float[] g, int outer, int size, int inner, int[] picks, int skip,
            float[] gradX) {
        if (Kernels.naive()) {             // the twin walks in another order (by source, not by column chunk)
            accumulateBlocksNaive(g, outer, size, inner, picks, skip, gradX);
            return;
        }
        int count = picks.length;
        if (outer == 0 || inner == 0 || count == 0) {
            return;
        }
        int width = Math.max(1, Math.min(inner, Threads.ELEMENTWISE_BLOCK / count));   // columns per task
        int columnChunks = (inner + width - 1) / width;
        int slicesPerTask = Math.max(1, Threads.ELEMENTWISE_BLOCK / (count * width));
        int sliceGroups = (outer + slicesPerTask - 1) / slicesPerTask;
        Threads.parallelFor(sliceGroups * columnChunks, t -> {
            int firstColumn = (t % columnChunks) * width;
            int lastColumn = Math.min(inner, firstColumn + width);
            int firstSlice = (t / columnChunks) * slicesPerTask;
            int lastSlice = Math.min(outer, firstSlice + slicesPerTask);
            for (int o = firstSlice; o < lastSlice; o++) {
                for (int j = 0; j < count; j++) {
                    if (picks[j] == skip) {
                        continue;
                    }
                    int from = (o * count + j) * inner;
                    int to = (o * size + picks[j]) * inner;
                    for (int c = firstColumn; c < lastColumn; c++) {
                        gradX[to + c] += g[from + c];
                    }
                }
            }
        });
    }

    /** The naive twin of {@link #accumulateBlocks}: three loops on the calling thread. */
    public static void accumulateBlocksNaive(float[] g, int outer, int size, int inner, int[] picks, int skip,
            float[] gradX) {
        for (int o = 0; o < outer; o++) {                        // every slice before the indexed dim
            for (int j = 0; j < picks.length; j++) {             // every pick, in order
                if (picks[j] == skip) {
                    continue;                                    // the padding row learns nothing
                }
                int from = (o * picks.length + j) * inner;
                int to = (o * size + picks[j]) * inner;
                for (int c = 0; c < inner; c++) {                // += : a repeated pick sums its gradients
                    gradX[to + c] += g[from + c];
                }
            }
        }
    }

    /**
     * The p-norm of each picked row of a (V, width) table, as a float (the precision PyTorch's
     * {@code row.norm(p)} returns on a float table): (Σ_j |x_j|^p)^(1/p), with p = ∞ the largest |x_j|,
     * p = −∞ the smallest, and p = 0 the count of non-zero entries. The sums run in double. Used by
     * embedding's max_norm, which looks at the few rows a batch picks: one plain loop in every mode.
     */
    public static float[] rowNorms(float[] table, int width, int[] rows, double p) {
        float[] norms = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int start = rows[i] * width;
            double norm;
            if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
                norm = p > 0 ? 0 : Double.POSITIVE_INFINITY;
                for (int j = start; j < start + width; j++) {
                    double a = Math.abs(table[j]);
                    norm = p > 0 ? Math.max(norm, a) : Math.min(norm, a);
                }
            } else if (p == 0) {
                norm = 0;
                for (int j = start; j < start + width; j++) {
                    norm += table[j] != 0 ? 1 : 0;
                }
            } else {
                double sum = 0;
                for (int j = start; j < start + width; j++) {
                    double a = Math.abs(table[j]);
                    sum += p == 2 ? a * a : p == 1 ? a : Math.pow(a, p);
                }
                norm = p == 2 ? Math.sqrt(sum) : p == 1 ? sum : Math.pow(sum, 1 / p);
            }
            norms[i] = (float) norm;
        }
        return norms;
    }
}
