package kindling.kernels;

/**
 * The reduction family: every op that works on slices along one dimension — softmax, log-softmax,
 * max and min with their indices, and, with the reduced dims gathered into contiguous rows, sum, mean,
 * logsumexp, variance and standard deviation — walks its input here. A contiguous tensor is viewed as (outer, size, inner): the dim
 * sits in the middle, so slice (o, i) holds the {@code size} elements
 * <pre>
 *   x[o·size·inner + i + k·inner]      k = 0 .. size − 1
 * </pre>
 * ({@code inner} = 1 for rows). {@link #forEachSlice} is that walk, written once; each kernel below
 * gives it the formula for one slice.
 *
 * <p>Naive twin and fast walk: {@link #forEachSliceNaive} visits the slices in order on the calling
 * thread (what kernel mode {@code naive} runs); {@link #forEachSlice} hands blocks of slices to the
 * {@link Threads} once the tensor is large enough to repay it. A slice is always computed by one
 * thread in one order, so both give bit-identical results for any thread count (tested).
 */
public final class DimReductions {
    private DimReductions() {
    }

    /** The work for one slice: its elements are at {@code base + k · stride} for k &lt; size. */
    public interface SliceTask {
        /** Runs the formula on slice number {@code slice} = o · inner + i, which starts at {@code base}. */
        void run(int slice, int base, int stride);
    }

    /** Visits every slice of an (outer, size, inner) view, in parallel blocks when the tensor is large. */
    public static void forEachSlice(int outer, int size, int inner, SliceTask task) {
        long elements = (long) outer * size * inner;
        int slices = outer * inner;
        if (elements < Threads.ELEMENTWISE_BLOCK || slices < 2) {       // not worth a thread
            forEachSliceNaive(outer, size, inner, task);
            return;
        }
        // Blocks of whole slices of about ELEMENTWISE_BLOCK elements each; slice s is (s / inner, s % inner).
        int perBlock = Math.max(1, Threads.ELEMENTWISE_BLOCK / Math.max(1, size));
        int blocks = (slices + perBlock - 1) / perBlock;
        Threads.parallelFor(blocks, b -> {
            int end = Math.min(slices, (b + 1) * perBlock);
            for (int s = b * perBlock; s < end; s++) {
                task.run(s, (s / inner) * size * inner + s % inner, inner);
            }
        });
    }

    /** The naive walk: each slice in order, on the calling thread. */
    public static void forEachSliceNaive(int outer, int size, int inner, SliceTask task) {
        for (int o = 0; o < outer; o++) {                                    // each block of the dims before dim
            for (int i = 0; i < inner; i++) {                                // each position in the dims after it
                task.run(o * inner + i, o * size * inner + i, inner);
            }
        }
    }

    /**
     * y = softmax(x) along the middle dim: y[k] = exp(x[k] − m) / Σ exp(x[k'] − m), m = max x. The
     * max keeps every exp in (0, 1].
     */
    public static void softmax(float[] x, float[] y, int outer, int size, int inner) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < size; k++) {
                max = Math.max(max, x[base + k * stride]);
            }
            double total = 0;
            for (int k = 0; k < size; k++) {
                float e = (float) Math.exp(x[base + k * stride] - max);
                y[base + k * stride] = e;
                total += e;
            }
            for (int k = 0; k < size; k++) {
                y[base + k * stride] = (float) (y[base + k * stride] / total);
            }
        });
    }

    /** ∂L/∂x[k] = y[k] · (g[k] − Σ_k' g[k'] · y[k']) along the middle dim. */
    public static void softmaxBackward(float[] y, float[] g, float[] gradX, int outer, int size, int inner) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> {
            double dot = 0;
            for (int k = 0; k < size; k++) {
                dot += (double) g[base + k * stride] * y[base + k * stride];
            }
            for (int k = 0; k < size; k++) {
                int at = base + k * stride;
                gradX[at] = (float) (y[at] * (g[at] - dot));
            }
        });
    }

    /** y[k] = x[k] − m − log Σ exp(x[k'] − m) along the middle dim, m = max x. */
    public static void logSoftmax(float[] x, float[] y, int outer, int size, int inner) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < size; k++) {
                max = Math.max(max, x[base + k * stride]);
            }
            double total = 0;
            for (int k = 0; k < size; k++) {
                total += Math.exp(x[base + k * stride] - max);
            }
            double logTotal = Math.log(total);
            for (int k = 0; k < size; k++) {
                y[base + k * stride] = (float) (x[base + k * stride] - max - logTotal);
            }
        });
    }

    /** ∂L/∂x[k] = g[k] − exp(y[k]) · Σ_k' g[k'] along the middle dim. */
    public static void logSoftmaxBackward(float[] y, float[] g, float[] gradX, int outer, int size, int inner) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> {
            double total = 0;
            for (int k = 0; k < size; k++) {
                total += g[base + k * stride];
            }
            for (int k = 0; k < size; k++) {
                int at = base + k * stride;
                gradX[at] = (float) (g[at] - Math.exp(y[at]) * total);
            }
        });
    }

    /**
     * out[r] = m + log Σ_k exp(rows[r][k] − m) for each of {@code count} rows of {@code n}, m the row's
     * max (0 when it is infinite: inf − inf would be NaN, and exp of ±inf is already inf or 0).
     */
    public static void logSumExp(float[] rows, float[] out, int count, int n) {
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, rows[base + k]);
            }
            double shift = Float.isInfinite(max) ? 0 : max;
            double total = 0;
            for (int k = 0; k < n; k++) {
                total += Math.exp(rows[base + k] - shift);
            }
            out[slice] = (float) (shift + Math.log(total));
        });
    }

    /** ∂L/∂rows[r][k] = g[r] · exp(rows[r][k] − out[r]): the softmax of the row, scaled. */
    public static void logSumExpBackward(float[] rows, float[] out, float[] g, float[] gradRows, int count, int n) {
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            int row = slice;
            for (int k = base; k < base + n; k++) {
                gradRows[k] = (float) (g[row] * Math.exp((double) rows[k] - out[row]));
            }
        });
    }

    /**
     * out[r] = Σ_k (rows[r][k] − mean_r)² / divisor for each of {@code count} rows of {@code n}: two
     * passes (the mean, then the squared deviations from it), which loses no precision to a large mean.
     */
    public static void variance(float[] rows, float[] out, int count, int n, double divisor) {
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            double mean = mean(rows, base, n);
            double squares = 0;
            for (int k = base; k < base + n; k++) {
                double deviation = rows[k] - mean;
                squares += deviation * deviation;
            }
            out[slice] = (float) (squares / divisor);
        });
    }

    /**
     * The variance's gradient: ∂L/∂rows[r][k] = 2 · g[r] · (rows[r][k] − mean_r) / divisor, for each of
     * {@code count} rows of {@code n}.
     */
    public static void varianceBackward(float[] rows, float[] g, float[] gradRows, int count, int n, double divisor) {
        // Every row is computed, even one whose g is 0: an infinite or NaN input still gives NaN there.
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            double mean = mean(rows, base, n);
            for (int k = base; k < base + n; k++) {
                gradRows[k] = (float) (g[slice] * 2 * (rows[k] - mean) / divisor);
            }
        });
    }

    /**
     * The standard deviation's gradient: ∂L/∂rows[r][k] = g[r] · (rows[r][k] − mean_r) / (divisor · std[r]),
     * and 0 for a row whose std is 0 (as PyTorch masks it, instead of 0/0).
     */
    public static void stdBackward(float[] rows, float[] std, float[] g, float[] gradRows, int count, int n,
            double divisor) {
        deviationsBackward(rows, gradRows, count, n, row -> std[row] == 0 ? 0 : g[row] / (divisor * std[row]));
    }

    /** The factor in front of a row's deviations from its mean. */
    private interface RowScale {
        double of(int row);
    }

    /** ∂L/∂rows[r][k] = scale(r) · (rows[r][k] − mean_r); rows whose scale is 0 are left at 0. */
    private static void deviationsBackward(float[] rows, float[] gradRows, int count, int n, RowScale scaleOf) {
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            double scale = scaleOf.of(slice);
            if (scale == 0) {
                return;
            }
            double mean = mean(rows, base, n);
            for (int k = base; k < base + n; k++) {
                gradRows[k] = (float) (scale * (rows[k] - mean));
            }
        });
    }

    /** out[r] = Σ_k rows[r][k] for each of {@code count} rows of {@code n}, summed in double in order of k. */
    public static void rowSums(float[] rows, float[] out, int count, int n) {
        forEachSlice(count, n, 1, (slice, base, stride) -> {
            double total = 0;
            for (int k = base; k < base + n; k++) {
                total += rows[k];
            }
            out[slice] = (float) total;
        });
    }

    /**
     * out[m] = Σ_o Σ_k g[(o·mid + m)·inner + k]: the gradient of a bias broadcast in the pattern of
     * {@link Elementwise#zipChannels} — a channel bias sums ∂L/∂y over (N, H, W), a Linear bias over N.
     * Deterministic at any thread count, in two shapes of work:
     * <ul>
     *   <li>{@code inner} = 1 (rows of {@code mid}): blocks of columns run in parallel, each adding the
     *       rows into its columns in row order, a vectorisable loop over the columns; every out[m] gets
     *       the same additions in the same order as in the naive twin, so the two agree bit for bit.</li>
     *   <li>{@code inner} &gt; 1 (runs of {@code inner}): blocks of channels run in parallel, each reading
     *       its runs in memory order and summing each run with eight independent partial sums (a single
     *       running sum waits four cycles per add, eight keep the adder busy; in mode simd they are the
     *       lanes of one vector, four runs side by side), the run totals added in order in double. This
     *       rounds differently from the naive twin's one float running sum, to float precision, and is
     *       the same to the bit at any thread count and in either mode.</li>
     * </ul>
     * {@code out} must hold zeros; naive twin {@link #sumChannelsNaive}.
     */
    public static void sumChannels(float[] g, int outer, int mid, int inner, float[] out) {
        if (Kernels.naive()) {              // the twin is a different algorithm (one running sum)
            sumChannelsNaive(g, outer, mid, inner, out);
            return;
        }
        if (inner == 1) {
            int columnsPerTask = Math.max(64, Threads.ELEMENTWISE_BLOCK / Math.max(1, outer));
            int tasks = (mid + columnsPerTask - 1) / columnsPerTask;
            Threads.parallelFor(tasks, t -> {
                int from = t * columnsPerTask;
                int to = Math.min(mid, from + columnsPerTask);
                if (Kernels.simd()) {
                    ElementwiseSimd.sumRows(g, outer, mid, out, from, to);
                } else {
                    sumRowsPlain(g, outer, mid, out, from, to);
                }
            });
            return;
        }
        if (mid == 0) {
            return;                         // no channels: nothing to sum (and no block size to divide by)
        }
        int channelsPerTask = (mid + CHANNEL_TASKS - 1) / CHANNEL_TASKS;
        int tasks = (mid + channelsPerTask - 1) / channelsPerTask;
        Threads.Task channels = t -> sumRuns(g, outer, mid, inner, out, t * channelsPerTask,
                Math.min(mid, (t + 1) * channelsPerTask));
        if ((long) outer * mid * inner < Threads.ELEMENTWISE_BLOCK) {
            for (int t = 0; t < tasks; t++) {
                channels.run(t);
            }
        } else {
            Threads.parallelFor(tasks, channels);
        }
    }

    /**
     * How many blocks of channels {@link #sumChannels} cuts the runs into: enough for a few threads to
     * share, few enough that each block reads long stretches of consecutive memory.
     */
    private static final int CHANNEL_TASKS = 8;

    /**
     * out[m] = Σ_o runSum(run (o, m)) for channels from ≤ m &lt; to, the run totals added in o order in
     * double. The runs are read in memory order (o outer, then the block's channels), the channels'
     * totals kept side by side: walking one channel's runs across o instead jumps by mid·inner floats
     * after every short run (784 floats for a 28×28 image), a pattern the hardware prefetcher follows
     * badly, so such a walk runs well below memory speed. Each total sees the same additions in the
     * same order either way.
     */
    private static void sumRuns(float[] g, int outer, int mid, int inner, float[] out, int from, int to) {
        double[] totals = new double[to - from];
        float[] sums = new float[to - from];
        boolean simd = Kernels.simd();
        for (int o = 0; o < outer; o++) {
            int base = (o * mid + from) * inner;
            if (simd) {
                ElementwiseSimd.runSums(g, base, inner, to - from, sums);   // the same sums, four runs at a time
            } else {
                for (int r = 0; r < to - from; r++) {
                    sums[r] = runSum(g, base + r * inner, inner);
                }
            }
            for (int r = 0; r < to - from; r++) {
                totals[r] += sums[r];
            }
        }
        for (int m = from; m < to; m++) {
            out[m] = (float) totals[m - from];
        }
    }

    /**
     * out[m] += g[o·mid + m] for every row o, columns from ≤ m &lt; to: a Linear bias's gradient over one
     * block of columns, rows in order (in mode simd, {@code ElementwiseSimd.sumRows} keeps a vector of
     * columns in a register over all rows, the same additions in the same order).
     */
    static void sumRowsPlain(float[] g, int outer, int mid, float[] out, int from, int to) {
        for (int o = 0; o < outer; o++) {
            int row = o * mid;
            for (int m = from; m < to; m++) {
                out[m] += g[row + m];
            }
        }
    }

    /** The naive twin of {@link #sumChannels}: the triple loop, one float running sum per out[m]. */
    public static void sumChannelsNaive(float[] g, int outer, int mid, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int m = 0; m < mid; m++) {
                for (int k = 0; k < inner; k++) {
                    out[m] += g[(o * mid + m) * inner + k];
                }
            }
        }
    }

    /** g[from] + ... + g[from + n − 1] with eight partial sums, combined pairwise at the end. */
    static float runSum(float[] g, int from, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        int end = from + n;
        for (; i <= end - 8; i += 8) {
            s0 += g[i];
            s1 += g[i + 1];
            s2 += g[i + 2];
            s3 += g[i + 3];
            s4 += g[i + 4];
            s5 += g[i + 5];
            s6 += g[i + 6];
            s7 += g[i + 7];
        }
        for (; i < end; i++) {
            s0 += g[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** out[r] = (1/n) Σ_k rows[r][k], summed in double; NaN for n = 0, as PyTorch's mean of nothing. */
    public static void rowMeans(float[] rows, float[] out, int count, int n) {
        forEachSlice(count, n, 1, (slice, base, stride) -> out[slice] = (float) mean(rows, base, n));
    }

    /**
     * The largest (or smallest) element of every slice along the middle dim and its position k:
     * values[s] = x[s's base + k* · stride], indices[s] = k* (a float, as every tensor here). The first
     * winner is kept on a tie, and a NaN beats every number (the first NaN wins), as {@code torch.max(x, dim)}.
     * The size must be at least 1.
     */
    public static void extreme(float[] x, float[] values, float[] indices, int outer, int size, int inner,
            boolean largest) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> {
            int best = 0;
            for (int k = 1; k < size; k++) {                  // along the dim: keep the first winner
                if (beats(x[base + k * stride], x[base + best * stride], largest)) {
                    best = k;
                }
            }
            values[slice] = x[base + best * stride];
            indices[slice] = best;
        });
    }

    /** The backward of {@link #extreme}: each slice's gradient goes to the one element that won, gradX being 0 elsewhere. */
    public static void extremeBackward(float[] g, float[] indices, float[] gradX, int outer, int size, int inner) {
        forEachSlice(outer, size, inner, (slice, base, stride) -> gradX[base + (int) indices[slice] * stride] = g[slice]);
    }

    /**
     * The backward of the whole-tensor max (or min) {@code value}: the gradient {@code g} is shared
     * evenly among the t elements equal to it (NaN matching NaN), gradX[i] = g / t there and 0
     * elsewhere, as PyTorch's full reduction does. The fast walk counts and writes in blocks of
     * {@link Threads#ELEMENTWISE_BLOCK} on the {@link Threads}; the count is a whole number, so the
     * result is the naive twin's ({@link #tiesBackwardNaive}) bit for bit.
     */
    public static void tiesBackward(float[] x, float value, float g, float[] gradX) {
        if (Kernels.naive() || x.length < 2 * Threads.ELEMENTWISE_BLOCK) {   // the twin counts in one pass
            tiesBackwardNaive(x, value, g, gradX);
            return;
        }
        int blocks = (x.length + Threads.ELEMENTWISE_BLOCK - 1) / Threads.ELEMENTWISE_BLOCK;
        int[] tiesPerBlock = new int[blocks];
        Threads.parallelRange(x.length, (from, to) -> {
            int ties = 0;
            for (int i = from; i < to; i++) {
                ties += sameValue(x[i], value) ? 1 : 0;
            }
            tiesPerBlock[from / Threads.ELEMENTWISE_BLOCK] = ties;
        });
        int ties = 0;
        for (int t : tiesPerBlock) {
            ties += t;
        }
        float share = g / ties;
        Threads.parallelRange(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                gradX[i] = sameValue(x[i], value) ? share : 0f;
            }
        });
    }

    /** The naive twin of {@link #tiesBackward}: count the ties, then give each its share, in order. */
    public static void tiesBackwardNaive(float[] x, float value, float g, float[] gradX) {
        int ties = 0;
        for (float v : x) {
            ties += sameValue(v, value) ? 1 : 0;
        }
        float share = g / ties;
        for (int i = 0; i < x.length; i++) {
            gradX[i] = sameValue(x[i], value) ? share : 0f;
        }
    }

    /** Equality that also matches NaN with NaN, so a NaN maximum gets its gradient. */
    private static boolean sameValue(float a, float b) {
        return a == b || (Float.isNaN(a) && Float.isNaN(b));
    }

    /** Whether {@code candidate} replaces {@code best} in {@link #extreme}: strictly larger (smaller), or the first NaN. */
    public static boolean beats(float candidate, float best, boolean largest) {
        if (Float.isNaN(best)) {
            return false;
        }
        if (Float.isNaN(candidate)) {
            return true;
        }
        return largest ? candidate > best : candidate < best;
    }

    /** The mean of the {@code n} values from {@code base}, summed in double. */
    private static double mean(float[] rows, int base, int n) {
        double total = 0;
        for (int k = base; k < base + n; k++) {
            total += rows[k];
        }
        return total / n;
    }
}
