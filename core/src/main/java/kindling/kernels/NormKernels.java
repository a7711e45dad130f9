package kindling.kernels;

/**
 * The normalisation family: batch norm over a (N, C, S) layout and layer norm over (R, D) rows,
 * forward and backward, with the contracts of their naive twins in {@link NormNaive}; in kernel mode
 * {@code naive} each method runs its twin.
 *
 * <p>Optimisation rules: channels (batch norm) and rows (layer norm) are independent, so they run in
 * parallel ({@link Threads}) once the tensor is large enough ({@link Threads#ELEMENTWISE_BLOCK}
 * elements) to repay handing work to another thread. Each channel's or row's sums are done by one
 * thread in one order, into locals stored once — two threads adding into neighbouring elements of one
 * array would pass its cache line back and forth on every addition — so results are the same for any
 * thread count and equal to the naive twin's. Statistics are accumulated in double, so a channel with
 * a large mean loses no precision. The layer norm's parameter gradients (sums over rows per element)
 * stay on one thread: splitting them would need partial sums per thread and a fixed-order reduction.
 * In mode simd, batch norm on small planes ({@code NormSimd.blocked}) hands out blocks of channels
 * instead of single channels: each block is one contiguous run of every image, walked by whole
 * vectors (see {@code NormSimd.batchNormBlock}); the blocks depend on the shape only.
 */
public final class NormKernels {
    private NormKernels() {
    }

    /**
     * Batch-norm forward; the contract of {@link NormNaive#batchNormForward}, with {@code out} null
     * for a new output array, allocated here. Returns {@code out} (or the new array).
     *
     * <p>Why it may allocate the output itself: the JVM zeroes a new array on the thread that allocates
     * it, a pass over memory as long as x (6 MB on ResNet.small()'s first layer) that no other thread
     * can share. With several threads, in mode simd, the statistics of all channels are therefore
     * computed first, in parallel, with the first task allocating the output while the others sum
     * (statistics need no output), and the normalisation follows in a second parallel loop. The
     * operations are those of the one-pass loop, so the result is the same to the bit; on one thread,
     * or a tensor too small to share out, each channel (or block) is summed and normalised in one
     * go, while its values are still in the cache.
     */
    public static float[] batchNormForward(float[] x, int batch, int channels, int spatial,
                                           float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                                           double[] batchMean, double[] batchVariance,
                                           double[] saveMean, double[] invStd, float[] out) {
        if (Kernels.naive()) {
            float[] y = out == null ? new float[x.length] : out;
            NormNaive.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance, eps,
                    batchMean, batchVariance, saveMean, invStd, y);
            return y;
        }
        boolean blocked = Kernels.simd() && NormSimd.blocked(batch, spatial);
        int per = blocked ? NormSimd.channelsPerBlock(channels, spatial) : 1;
        int tasks = (channels + per - 1) / per;
        if (Kernels.simd() && Threads.get() > 1 && x.length >= Threads.ELEMENTWISE_BLOCK && tasks > 1) {
            ConvSimd.Output output = new ConvSimd.Output(x.length, out);
            Threads.parallelFor(tasks, t -> {                                // statistics, the output allocated meanwhile
                if (t == 0) {
                    output.array();
                }
                if (blocked) {
                    NormSimd.blockStatistics(x, t * per, Math.min(channels, (t + 1) * per), batch, channels, spatial,
                            mean, variance, eps, batchMean, batchVariance, saveMean, invStd);
                } else {
                    NormSimd.channelStatistics(x, t, batch, channels, spatial, mean, variance, eps,
                            batchMean, batchVariance, saveMean, invStd);
                }
            });
            float[] y = output.array();
            Threads.parallelFor(tasks, t -> {                                // y = γ · x̂ + β
                if (blocked) {
                    NormSimd.normalizeBlock(x, t * per, Math.min(channels, (t + 1) * per), batch, channels, spatial,
                            gamma, beta, saveMean, invStd, y);
                } else {
                    NormSimd.normalizeChannel(x, t, batch, channels, spatial, gamma, beta, saveMean, invStd, y);
                }
            });
            return y;
        }
        float[] y = out == null ? new float[x.length] : out;
        if (blocked) {                                                       // blocks of channels, in parallel
            forEach(tasks, x.length, b -> NormSimd.batchNormBlock(x, b * per,
                    Math.min(channels, (b + 1) * per), batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, y));
        } else if (Kernels.simd()) {                                         // each channel, in parallel
            forEach(channels, x.length, c -> NormSimd.batchNormChannel(x, c, batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, y));
        } else {
            forEach(channels, x.length, c -> NormNaive.batchNormChannel(x, c, batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, y));
        }
        return y;
    }

    /** Batch-norm backward; the contract of {@link NormNaive#batchNormBackward}. */
    public static void batchNormBackward(float[] g, float[] x, double[] saveMean, double[] invStd, float[] gamma,
                                         boolean batchStatistics, int batch, int channels, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        if (Kernels.naive()) {
            NormNaive.batchNormBackward(g, x, saveMean, invStd, gamma, batchStatistics, batch, channels, spatial,
                    sumGrad, sumGradXHat, gradX);
            return;
        }
        if (Kernels.simd() && NormSimd.blocked(batch, spatial)) {            // blocks of channels, in parallel
            int per = NormSimd.channelsPerBlock(channels, spatial);
            forEach((channels + per - 1) / per, g.length, b -> NormSimd.batchNormBackwardBlock(g, x, saveMean,
                    invStd, gamma, batchStatistics, b * per, Math.min(channels, (b + 1) * per), batch, channels,
                    spatial, sumGrad, sumGradXHat, gradX));
        } else if (Kernels.simd()) {                                         // each channel, in parallel
            forEach(channels, g.length, c -> NormSimd.batchNormBackwardChannel(g, x, saveMean, invStd, gamma,
                    batchStatistics, c, batch, channels, spatial, sumGrad, sumGradXHat, gradX));
        } else {
            forEach(channels, g.length, c -> NormNaive.batchNormBackwardChannel(g, x, saveMean, invStd, gamma,
                    batchStatistics, c, batch, channels, spatial, sumGrad, sumGradXHat, gradX));
        }
    }

    /** Layer-norm forward; the contract of {@link NormNaive#layerNormForward}, rows in parallel. */
    public static void layerNormForward(float[] x, int rows, int length, float[] gamma, float[] beta, double eps,
                                        float[] normalized, double[] invStd, float[] out) {
        if (Kernels.naive()) {
            NormNaive.layerNormForward(x, rows, length, gamma, beta, eps, normalized, invStd, out);
            return;
        }
        forEach(rows, x.length, r -> NormNaive.layerNormRow(x, r, length, gamma, beta, eps, normalized, invStd, out));
    }

    /** ∂L/∂x of layer norm; the contract of {@link NormNaive#layerNormBackwardInput}, rows in parallel. */
    public static void layerNormBackwardInput(float[] g, float[] normalized, double[] invStd, float[] gamma,
                                              int rows, int length, float[] gradX) {
        if (Kernels.naive()) {
            NormNaive.layerNormBackwardInput(g, normalized, invStd, gamma, rows, length, gradX);
            return;
        }
        forEach(rows, g.length, r -> NormNaive.layerNormBackwardRow(g, normalized, invStd, gamma, r, length, gradX));
    }

    /** The layer norm's parameter gradients; the contract of {@link NormNaive#layerNormBackwardParams}. */
    public static void layerNormBackwardParams(float[] g, float[] normalized, int rows, int length,
                                               double[] sumGrad, double[] sumGradXHat) {
        NormNaive.layerNormBackwardParams(g, normalized, rows, length, sumGrad, sumGradXHat);
    }

    /**
     * The parameter gradients' per-channel (or per-element) sums, accumulated in double, rounded to
     * float; the contract of {@link NormNaive#toFloats}. One value per channel is too little work to
     * hand to another thread, so every mode runs the naive loop.
     */
    public static float[] toFloats(double[] sums) {
        return NormNaive.toFloats(sums);
    }

    /**
     * Runs {@code task} for every index, a channel or row of {@code elements / count} values each: in
     * parallel when the tensor is large enough to repay it, short rows (a layer norm over 64 features)
     * handed out in blocks of consecutive rows ({@link Threads#parallelForItems}).
     */
    private static void forEach(int count, int elements, Threads.Task task) {
        Threads.parallelForItems(count, count == 0 ? 0 : elements / count, task);
    }
}
