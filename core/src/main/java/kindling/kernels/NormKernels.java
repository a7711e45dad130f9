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

    /** Batch-norm forward; the contract of {@link NormNaive#batchNormForward}. */
    public static void batchNormForward(float[] x, int batch, int channels, int spatial,
                                        float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                                        double[] batchMean, double[] batchVariance,
                                        double[] saveMean, double[] invStd, float[] out) {
        if (Kernels.naive()) {
            NormNaive.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance, eps,
                    batchMean, batchVariance, saveMean, invStd, out);
            return;
        }
        if (Kernels.simd() && NormSimd.blocked(batch, spatial)) {            // blocks of channels, in parallel
            int per = NormSimd.channelsPerBlock(channels, spatial);
            forEach((channels + per - 1) / per, x.length, b -> NormSimd.batchNormBlock(x, b * per,
                    Math.min(channels, (b + 1) * per), batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, out));
        } else if (Kernels.simd()) {                                         // each channel, in parallel
            forEach(channels, x.length, c -> NormSimd.batchNormChannel(x, c, batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, out));
        } else {
            forEach(channels, x.length, c -> NormNaive.batchNormChannel(x, c, batch, channels, spatial, gamma, beta,
                    mean, variance, eps, batchMean, batchVariance, saveMean, invStd, out));
        }
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

    /** Runs {@code task} for every index: in parallel when the tensor is large enough to repay it. */
    private static void forEach(int count, int elements, Threads.Task task) {
        if (elements >= Threads.ELEMENTWISE_BLOCK) {
            Threads.parallelFor(count, task);
        } else {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
        }
    }
}
