package kindling.kernels;

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
}
