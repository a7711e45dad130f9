package kindling.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch norm's channels with the Vector API; only loaded when the JVM has {@code jdk.incubator.vector}.
 * A different algorithm from the naive twin's (which adds one value after another in double, each
 * addition waiting for the one before), so its results agree with the twin's to a few float
 * roundings, not to the bit:
 * <ul>
 *   <li>Sums run on a vector of float lanes at once; every block of {@link #BLOCK} values their
 *       lanes are added into a double, so no float sum grows over more than BLOCK / lanes values.</li>
 *   <li>Shifted data: for the statistics every value is first reduced by x₀, the channel's first
 *       value. The differences x − x₀ are small beside a large mean (and exact when x is near x₀),
 *       so a channel with mean 1000 and spread 1 keeps its precision in float: the mean is
 *       x₀ + mean(x − x₀).</li>
 *   <li>Two passes for the statistics, as the twin: the mean, then Σ (x − μ)², which cannot cancel
 *       the way E[x²] − E[x]² does. The channel's values (N · S floats, some hundred kilobytes)
 *       are still in the core's cache for the second pass and for the normalisation after it.</li>
 *   <li>The normalisation is fused: x̂ = ((x − K) − δ) · (1/σ) and y = x̂ · γ + β in one pass that
 *       writes only y. Here K = μ rounded to float and δ = μ − K rounded again, so K + δ holds μ to
 *       twice a float's precision (a "double-float"), and x − K is exact for x near a large μ.</li>
 *   <li>x̂ is not stored: an array as large as x would be allocated (the JVM zeroes it) and written
 *       on every step, only to be read once by the backward. The backward recomputes it from x, μ
 *       and 1/σ with the same K, δ and float operations, so it gets the forward's x̂ to the bit.</li>
 *   <li>Backward: one pass for Σ g and Σ g · x̂, one for ∂L/∂x = (γ/σ) · (g − mean(g) − x̂ · mean(g · x̂)).</li>
 *   <li>Small planes (at most {@link #MAX_BLOCKED_SPATIAL} positions) go by blocks of channels, each
 *       block one contiguous run of every image summed lane by lane over the images
 *       ({@link #batchNormBlock}): the same sums in another order, without the per-image jumps.</li>
 * </ul>
 */
final class NormSimd {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Values summed in float lanes before their sum moves to a double. */
    static final int BLOCK = 1024;

    private NormSimd() {
    }

    /** Batch-norm forward of channel c; the arguments of {@link NormNaive#batchNormForward}. */
    static void batchNormChannel(float[] x, int c, int batch, int channels, int spatial,
                                 float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                                 double[] batchMean, double[] batchVariance,
                                 double[] saveMean, double[] invStd, float[] out) {
        channelStatistics(x, c, batch, channels, spatial, mean, variance, eps, batchMean, batchVariance, saveMean, invStd);
        normalizeChannel(x, c, batch, channels, spatial, gamma, beta, saveMean, invStd, out);
    }

    /** The first part of {@link #batchNormChannel}: channel c's μ and 1/σ (and the batch statistics). */
    static void channelStatistics(float[] x, int c, int batch, int channels, int spatial,
                                  float[] mean, float[] variance, double eps, double[] batchMean,
                                  double[] batchVariance, double[] saveMean, double[] invStd) {
        double count = (double) batch * spatial;
        if (mean == null) {
            float first = batch * spatial == 0 ? 0 : x[c * spatial];        // x₀, for the sums
            float[] scratch = LaneSums.scratch();
            double sum = 0;
            for (int n = 0; n < batch; n++) {                                // first pass: Σ (x − x₀)
                sum += shiftedSum(x, (n * channels + c) * spatial, spatial, first, scratch);
            }
            double meanShifted = sum / count;
            float delta = (float) meanShifted;
            double squares = 0;
            for (int n = 0; n < batch; n++) {                                // second pass: Σ (x − μ)²
                squares += centredSquares(x, (n * channels + c) * spatial, spatial, first, delta, scratch);
            }
            batchMean[c] = first + meanShifted;
            batchVariance[c] = squares / count;                              // biased: divided by M
            invStd[c] = 1 / Math.sqrt(squares / count + eps);
            saveMean[c] = batchMean[c];
        } else {
            invStd[c] = 1 / Math.sqrt(variance[c] + eps);
            saveMean[c] = mean[c];
        }
    }

    /** The second part of {@link #batchNormChannel}: channel c of y = γ · x̂ + β, from its μ and 1/σ. */
    static void normalizeChannel(float[] x, int c, int batch, int channels, int spatial,
                                 float[] gamma, float[] beta, double[] saveMean, double[] invStd, float[] out) {
        float shift = (float) saveMean[c];                                   // K
        float delta = (float) (saveMean[c] - shift);                         // δ = μ − K
        float scale = (float) invStd[c];
        float g = gamma == null ? 1 : gamma[c];
        float b = beta == null ? 0 : beta[c];
        int lanes = FLOATS.length();
        for (int n = 0; n < batch; n++) {                                    // x̂ and y = γ · x̂ + β, fused
            int base = (n * channels + c) * spatial;
            int s = 0;
            for (; s <= spatial - lanes; s += lanes) {
                FloatVector xHat = FloatVector.fromArray(FLOATS, x, base + s).sub(shift).sub(delta).mul(scale);
                xHat.fma(g, b).intoArray(out, base + s);
            }
            for (; s < spatial; s++) {
                float xHat = (x[base + s] - shift - delta) * scale;
                out[base + s] = Math.fma(xHat, g, b);
            }
        }
    }

    /**
     * Σ (x − shift) over x[from, from + length): float lanes per block, blocks added in double. Each
     * block's lanes are added in lane order ({@link LaneSums}), so the sum is the same to the bit
     * whether this runs interpreted or compiled.
     */
    private static double shiftedSum(float[] x, int from, int length, float shift, float[] scratch) {
        double sum = 0;
        int lanes = FLOATS.length();
        int end = from + length;
        int i = from;
        while (i <= end - lanes) {
            int blockEnd = Math.min(end, i + BLOCK);
            FloatVector lanesSum = FloatVector.zero(FLOATS);
            for (; i <= blockEnd - lanes; i += lanes) {
                lanesSum = lanesSum.add(FloatVector.fromArray(FLOATS, x, i).sub(shift));
            }
            sum += LaneSums.inOrder(lanesSum, scratch);
        }
        for (; i < end; i++) {
            sum += x[i] - shift;
        }
        return sum;
    }

    /** Σ ((x − shift) − δ)² over x[from, from + length), blocked as {@link #shiftedSum}. */
    private static double centredSquares(float[] x, int from, int length, float shift, float delta,
                                         float[] scratch) {
        double squares = 0;
        int lanes = FLOATS.length();
        int end = from + length;
        int i = from;
        while (i <= end - lanes) {
            int blockEnd = Math.min(end, i + BLOCK);
            FloatVector lanesSum = FloatVector.zero(FLOATS);
            for (; i <= blockEnd - lanes; i += lanes) {
                FloatVector d = FloatVector.fromArray(FLOATS, x, i).sub(shift).sub(delta);
                lanesSum = d.fma(d, lanesSum);
            }
            squares += LaneSums.inOrder(lanesSum, scratch);
        }
        for (; i < end; i++) {
            double d = x[i] - shift - delta;
            squares += d * d;
        }
        return squares;
    }

    /** Batch-norm backward of channel c; the arguments of {@link NormNaive#batchNormBackward}. */
    static void batchNormBackwardChannel(float[] g, float[] x, double[] saveMean, double[] invStd, float[] gamma,
                                         boolean batchStatistics, int c, int batch, int channels, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        float shift = (float) saveMean[c];                                   // K, δ and 1/σ as in the forward
        float delta = (float) (saveMean[c] - shift);
        float invSigma = (float) invStd[c];
        int lanes = FLOATS.length();
        float[] scratch = LaneSums.scratch();
        double channelSum = 0;
        double channelSumXHat = 0;
        for (int n = 0; n < batch; n++) {                                    // Σ g and Σ g · x̂
            int end = (n * channels + c) * spatial + spatial;
            int i = end - spatial;
            while (i <= end - lanes) {
                int blockEnd = Math.min(end, i + BLOCK);
                FloatVector sum = FloatVector.zero(FLOATS);
                FloatVector sumXHat = FloatVector.zero(FLOATS);
                for (; i <= blockEnd - lanes; i += lanes) {
                    FloatVector grad = FloatVector.fromArray(FLOATS, g, i);
                    sum = sum.add(grad);
                    FloatVector xHat = FloatVector.fromArray(FLOATS, x, i).sub(shift).sub(delta).mul(invSigma);
                    sumXHat = grad.fma(xHat, sumXHat);
                }
                channelSum += LaneSums.inOrder(sum, scratch);
                channelSumXHat += LaneSums.inOrder(sumXHat, scratch);
            }
            for (; i < end; i++) {
                float xHat = (x[i] - shift - delta) * invSigma;
                channelSum += g[i];
                channelSumXHat += g[i] * (double) xHat;
            }
        }
        sumGrad[c] += channelSum;
        sumGradXHat[c] += channelSumXHat;
        if (gradX == null) {
            return;
        }
        double count = (double) batch * spatial;
        float scale = (float) ((gamma == null ? 1 : gamma[c]) * invStd[c]);    // γ_c / σ_c
        float meanGrad = batchStatistics ? (float) (sumGrad[c] / count) : 0;
        float meanGradXHat = batchStatistics ? (float) (sumGradXHat[c] / count) : 0;
        for (int n = 0; n < batch; n++) {                                    // (γ/σ) · (g − mean(g) − x̂ · mean(g · x̂))
            int base = (n * channels + c) * spatial;
            int s = 0;
            for (; s <= spatial - lanes; s += lanes) {
                FloatVector xHat = FloatVector.fromArray(FLOATS, x, base + s).sub(shift).sub(delta).mul(invSigma);
                FloatVector.fromArray(FLOATS, g, base + s).sub(meanGrad)
                        .sub(xHat.mul(meanGradXHat)).mul(scale).intoArray(gradX, base + s);
            }
            for (; s < spatial; s++) {
                float xHat = (x[base + s] - shift - delta) * invSigma;
                gradX[base + s] = (g[base + s] - meanGrad - xHat * meanGradXHat) * scale;
            }
        }
    }

    /**
     * Planes of at most this many positions go through the channel-block loops
     * ({@link #batchNormBlock}, {@link #batchNormBackwardBlock}) instead of one channel at a time.
     */
    static final int MAX_BLOCKED_SPATIAL = 64;
    /** Floats per image that one channel block spans at most (its lane accumulators stay in L1). */
    static final int BLOCK_RUN = 256;
    /** The channel blocks a tensor is cut into, at least, so that several threads share them. */
    static final int MIN_BLOCKS = 8;
    /** Images a float lane sums before its sum moves to a double, as {@link #BLOCK} bounds the channel loops. */
    static final int FLUSH_IMAGES = 64;

    /** Whether a plane of {@code spatial} positions takes the channel-block loops. */
    static boolean blocked(int batch, int spatial) {
        return batch > 0 && spatial > 0 && spatial <= MAX_BLOCKED_SPATIAL;
    }

    /**
     * Channels per block: about channels / {@link #MIN_BLOCKS}, at most {@link #BLOCK_RUN} floats per
     * image, at least one. It depends only on the shape, never on the thread count.
     */
    static int channelsPerBlock(int channels, int spatial) {
        int share = (channels + MIN_BLOCKS - 1) / MIN_BLOCKS;
        return Math.max(1, Math.min(share, BLOCK_RUN / spatial));
    }

    /**
     * Batch-norm forward of channels c0 ≤ c &lt; c1 (the arguments of {@link NormNaive#batchNormForward}),
     * for small planes. The channel loops above read a channel's S values of one image, then jump a
     * whole image (C·S floats) ahead: on a 2×2 plane that is 16 bytes from each 64-byte cache line,
     * the line shared with three neighbouring channels that other threads may be writing, every
     * access hundreds of lines apart, and no whole vector at all. Here a block of channels is one
     * contiguous run of (c1 − c0)·S floats in every image, walked by whole vectors: lane j of the run
     * accumulates the values at j of every image (n outer), and only after the last image are a
     * channel's S lanes added, in double. The sums are the same ones as in {@link #batchNormChannel}
     * (shifted by x₀, two passes), in another order: per lane over the images, flushed to double every
     * {@link #FLUSH_IMAGES} images, then over the lanes. The normalisation is the same float
     * operations, so x̂ is the one {@link #batchNormBackwardBlock} recomputes.
     */
    static void batchNormBlock(float[] x, int c0, int c1, int batch, int channels, int spatial,
                               float[] gamma, float[] beta, float[] mean, float[] variance, double eps,
                               double[] batchMean, double[] batchVariance,
                               double[] saveMean, double[] invStd, float[] out) {
        blockStatistics(x, c0, c1, batch, channels, spatial, mean, variance, eps, batchMean, batchVariance,
                saveMean, invStd);
        normalizeBlock(x, c0, c1, batch, channels, spatial, gamma, beta, saveMean, invStd, out);
    }

    /** The first part of {@link #batchNormBlock}: μ and 1/σ of channels c0 ≤ c &lt; c1 (and the batch statistics). */
    static void blockStatistics(float[] x, int c0, int c1, int batch, int channels, int spatial,
                                float[] mean, float[] variance, double eps, double[] batchMean,
                                double[] batchVariance, double[] saveMean, double[] invStd) {
        int run = (c1 - c0) * spatial;
        int stride = channels * spatial;
        int start = c0 * spatial;
        double count = (double) batch * spatial;
        if (mean == null) {
            float[] shift = new float[run];                                  // per lane: its channel's K
            float[] delta = new float[run];                                  // ... δ
            for (int j = 0; j < run; j++) {
                shift[j] = x[start + j / spatial * spatial];                 // x₀ of the lane's channel
            }
            double[] sums = laneSums(x, null, batch, stride, start, run, shift, delta, null, false);
            for (int c = c0; c < c1; c++) {                                  // first pass: Σ (x − x₀)
                double meanShifted = channelSum(sums, (c - c0) * spatial, spatial) / count;
                Arrays.fill(delta, (c - c0) * spatial, (c - c0 + 1) * spatial, (float) meanShifted);
                batchMean[c] = shift[(c - c0) * spatial] + meanShifted;
            }
            double[] squares = laneSums(x, null, batch, stride, start, run, shift, delta, null, true);
            for (int c = c0; c < c1; c++) {                                  // second pass: Σ (x − μ)²
                double sq = channelSum(squares, (c - c0) * spatial, spatial);
                batchVariance[c] = sq / count;                               // biased: divided by M
                invStd[c] = 1 / Math.sqrt(sq / count + eps);
                saveMean[c] = batchMean[c];
            }
        } else {
            for (int c = c0; c < c1; c++) {
                invStd[c] = 1 / Math.sqrt(variance[c] + eps);
                saveMean[c] = mean[c];
            }
        }
    }

    /** The second part of {@link #batchNormBlock}: channels c0 ≤ c &lt; c1 of y = γ · x̂ + β, from their μ and 1/σ. */
    static void normalizeBlock(float[] x, int c0, int c1, int batch, int channels, int spatial,
                               float[] gamma, float[] beta, double[] saveMean, double[] invStd, float[] out) {
        int run = (c1 - c0) * spatial;
        int stride = channels * spatial;
        int start = c0 * spatial;
        float[] shift = new float[run];                                      // per lane: its channel's K
        float[] delta = new float[run];                                      // ... δ
        float[] scale = new float[run];                                      // ... 1/σ
        float[] g = new float[run];
        float[] b = new float[run];
        for (int j = 0; j < run; j++) {
            int c = c0 + j / spatial;
            shift[j] = (float) saveMean[c];                                  // K
            delta[j] = (float) (saveMean[c] - shift[j]);                     // δ = μ − K
            scale[j] = (float) invStd[c];
            g[j] = gamma == null ? 1 : gamma[c];
            b[j] = beta == null ? 0 : beta[c];
        }
        int lanes = FLOATS.length();
        for (int n = 0; n < batch; n++) {                                    // x̂ and y = γ · x̂ + β, fused
            int base = n * stride + start;
            int j = 0;
            for (; j <= run - lanes; j += lanes) {
                FloatVector xHat = xHat(x, base + j, shift, delta, scale, j);
                xHat.fma(FloatVector.fromArray(FLOATS, g, j), FloatVector.fromArray(FLOATS, b, j))
                        .intoArray(out, base + j);
            }
            for (; j < run; j++) {
                float xHat = (x[base + j] - shift[j] - delta[j]) * scale[j];
                out[base + j] = Math.fma(xHat, g[j], b[j]);
            }
        }
    }

    /**
     * Per lane j of the block's run, over all images: Σ (x − shift[j]) − delta[j], or its square
     * when {@code squares}; or, when {@code g} is given, Σ g · x̂ with x̂ = ((x − shift) − delta) · scale.
     * Float lanes, flushed into the returned doubles every {@link #FLUSH_IMAGES} images.
     */
    private static double[] laneSums(float[] x, float[] g, int batch, int stride, int start, int run,
                                     float[] shift, float[] delta, float[] scale, boolean squares) {
        double[] sums = new double[run];
        float[] lane = new float[run];
        int lanes = FLOATS.length();
        for (int n = 0; n < batch; n++) {
            int base = n * stride + start;
            int j = 0;
            for (; j <= run - lanes; j += lanes) {
                FloatVector d = FloatVector.fromArray(FLOATS, x, base + j).sub(FloatVector.fromArray(FLOATS, shift, j));
                FloatVector acc = FloatVector.fromArray(FLOATS, lane, j);
                if (g != null) {                                             // Σ g · x̂
                    FloatVector xHat = d.sub(FloatVector.fromArray(FLOATS, delta, j))
                            .mul(FloatVector.fromArray(FLOATS, scale, j));
                    acc = FloatVector.fromArray(FLOATS, g, base + j).fma(xHat, acc);
                } else if (squares) {                                        // Σ ((x − K) − δ)²
                    d = d.sub(FloatVector.fromArray(FLOATS, delta, j));
                    acc = d.fma(d, acc);
                } else {                                                     // Σ (x − x₀)
                    acc = acc.add(d);
                }
                acc.intoArray(lane, j);
            }
            for (; j < run; j++) {
                float d = x[base + j] - shift[j];
                if (g != null) {
                    lane[j] = Math.fma(g[base + j], (d - delta[j]) * scale[j], lane[j]);
                } else if (squares) {
                    d -= delta[j];
                    lane[j] = Math.fma(d, d, lane[j]);
                } else {
                    lane[j] += d;
                }
            }
            if ((n + 1) % FLUSH_IMAGES == 0 || n == batch - 1) {
                for (j = 0; j < run; j++) {
                    sums[j] += lane[j];
                    lane[j] = 0;
                }
            }
        }
        return sums;
    }

    /**
     * x̂ = ((x − K) − δ) · (1/σ) for the lanes of a block's run from j, x read from {@code index}: the
     * float operations of the channel loops, in their order, so that forward and backward agree on x̂.
     */
    private static FloatVector xHat(float[] x, int index, float[] shift, float[] delta, float[] invSigma, int j) {
        return FloatVector.fromArray(FLOATS, x, index)
                .sub(FloatVector.fromArray(FLOATS, shift, j)).sub(FloatVector.fromArray(FLOATS, delta, j))
                .mul(FloatVector.fromArray(FLOATS, invSigma, j));
    }

    /** Σ over a channel's lanes sums[from .. from + spatial), in order. */
    private static double channelSum(double[] sums, int from, int spatial) {
        double sum = 0;
        for (int s = from; s < from + spatial; s++) {
            sum += sums[s];
        }
        return sum;
    }

    /**
     * Batch-norm backward of channels c0 ≤ c &lt; c1 (the arguments of {@link NormNaive#batchNormBackward}),
     * for small planes, walked as {@link #batchNormBlock} walks them: Σ g and Σ g · x̂ per lane over the
     * images, then per channel; then ∂L/∂x = (γ/σ) · (g − mean(g) − x̂ · mean(g · x̂)) with the float
     * operations of {@link #batchNormBackwardChannel}.
     */
    static void batchNormBackwardBlock(float[] g, float[] x, double[] saveMean, double[] invStd, float[] gamma,
                                       boolean batchStatistics, int c0, int c1, int batch, int channels,
                                       int spatial, double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        int run = (c1 - c0) * spatial;
        int stride = channels * spatial;
        int start = c0 * spatial;
        float[] shift = new float[run];
        float[] delta = new float[run];
        float[] invSigma = new float[run];
        for (int j = 0; j < run; j++) {                                      // K, δ and 1/σ as in the forward
            int c = c0 + j / spatial;
            shift[j] = (float) saveMean[c];
            delta[j] = (float) (saveMean[c] - shift[j]);
            invSigma[j] = (float) invStd[c];
        }
        double[] laneGrad = laneSums(g, null, batch, stride, start, run, new float[run], null, null, false);
        double[] laneGradXHat = laneSums(x, g, batch, stride, start, run, shift, delta, invSigma, false);
        for (int c = c0; c < c1; c++) {
            sumGrad[c] += channelSum(laneGrad, (c - c0) * spatial, spatial);
            sumGradXHat[c] += channelSum(laneGradXHat, (c - c0) * spatial, spatial);
        }
        if (gradX == null) {
            return;
        }
        double count = (double) batch * spatial;
        float[] scale = new float[run];
        float[] meanGrad = new float[run];
        float[] meanGradXHat = new float[run];
        for (int j = 0; j < run; j++) {
            int c = c0 + j / spatial;
            scale[j] = (float) ((gamma == null ? 1 : gamma[c]) * invStd[c]);    // γ_c / σ_c
            meanGrad[j] = batchStatistics ? (float) (sumGrad[c] / count) : 0;
            meanGradXHat[j] = batchStatistics ? (float) (sumGradXHat[c] / count) : 0;
        }
        int lanes = FLOATS.length();
        for (int n = 0; n < batch; n++) {                                    // (γ/σ) · (g − mean(g) − x̂ · mean(g · x̂))
            int base = n * stride + start;
            int j = 0;
            for (; j <= run - lanes; j += lanes) {
                FloatVector xHat = xHat(x, base + j, shift, delta, invSigma, j);
                FloatVector.fromArray(FLOATS, g, base + j).sub(FloatVector.fromArray(FLOATS, meanGrad, j))
                        .sub(xHat.mul(FloatVector.fromArray(FLOATS, meanGradXHat, j)))
                        .mul(FloatVector.fromArray(FLOATS, scale, j)).intoArray(gradX, base + j);
            }
            for (; j < run; j++) {
                float xHat = (x[base + j] - shift[j] - delta[j]) * invSigma[j];
                gradX[base + j] = (g[base + j] - meanGrad[j] - xHat * meanGradXHat[j]) * scale[j];
            }
        }
    }
}
