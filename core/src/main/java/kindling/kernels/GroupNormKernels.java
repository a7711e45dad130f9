package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Group normalisation of a (N, C, S) layout, fused: forward and backward each visit a (sample, group)
 * block of M = (C/G)·S values a couple of times while it sits in the L1 cache, where the composition
 * of tensor ops (reshape, mean, var, sub, div, mul, add and their backward) streams the whole tensor
 * through memory a dozen times and allocates an intermediate each time. The contracts are those of
 * the naive twins {@link NormNaive#groupNormForward} and {@link NormNaive#groupNormBackward}; in
 * kernel mode {@code naive} each method runs its twin.
 *
 * <p>The tricks, in the order a block meets them:
 * <ul>
 *   <li><b>Blocks in memory order.</b> Channels g·C/G .. (g+1)·C/G − 1 of sample n are consecutive
 *       in (N, C, S), so block (n, g) is one contiguous run of M floats starting at (n·G + g)·M.
 *       Blocks are independent and go to the threads whole ({@link Threads#parallelFor}); each block's
 *       sums are done by one thread in one order, so results do not depend on the thread count.
 *   <li><b>Statistics in one pass, with a shift.</b> Σ (x − K) and Σ (x − K)² with K = the block's
 *       first value give μ = K + Σ(x − K)/M and σ² = Σ(x − K)²/M − (Σ(x − K)/M)². The textbook
 *       one-pass formula (K = 0) loses every digit when the mean is large against the spread; with K
 *       a value of the block, x − K is of the order of the spread and nothing cancels. The vector
 *       lanes sum in float over chunks of {@code CHUNK} = 512 values and each chunk is added into double
 *       accumulators, so no float sum runs long enough to lose precision.
 *   <li><b>x̂ from the shifted value.</b> x̂ = ((x − K) − (μ − K)) · (1/σ): never x·(1/σ) − μ/σ, which
 *       would subtract two large, nearly equal products when the mean is large.
 *   <li><b>Backward in two passes.</b> The first collects, per channel c of the block, Σ g and Σ g·x̂
 *       (they are also the sample's share of ∂L/∂β_c and ∂L/∂γ_c); the block's Σ h and Σ h·x̂ with
 *       h = γ_c·g follow from them with one multiply per channel. The second writes
 *       ∂L/∂x = a_c·g + k·x̂ + b, two fused multiply-adds, with a_c = γ_c/σ, b = −mean(h)/σ and
 *       k = −mean(h·x̂)/σ. The per-(sample, channel) sums are added over the samples afterwards in
 *       sample order, so the parameter gradients are deterministic too.
 *   <li><b>Vector lanes.</b> With the Vector API ({@link Kernels#simd()}) the loops run
 *       {@code FloatVector.SPECIES_PREFERRED} lanes at a time (8 with AVX2, 16 with AVX-512) with a
 *       scalar tail; without it, the same algorithm runs as plain loops in double.
 * </ul>
 */
public final class GroupNormKernels {
    /** Values summed in float lanes before the partial sums are added into double. */
    static final int CHUNK = 512;

    private GroupNormKernels() {
    }

    /** Group-norm forward; the contract of {@link NormNaive#groupNormForward}. */
    public static void groupNormForward(float[] x, int batch, int channels, int groups, int spatial,
                                        float[] gamma, float[] beta, double eps,
                                        float[] normalized, double[] mean, double[] invStd, float[] out) {
        if (Kernels.naive()) {
            NormNaive.groupNormForward(x, batch, channels, groups, spatial, gamma, beta, eps, normalized, mean,
                    invStd, out);
            return;
        }
        int perGroup = channels / groups;
        int blockLength = perGroup * spatial;
        boolean simd = Kernels.simd();
        forEach(batch * groups, x.length, block -> {
            int base = block * blockLength;
            double[] sums = new double[2];                                   // Σ (x − K), Σ (x − K)²
            float shift = blockLength == 0 ? 0f : x[base];                   // K
            if (simd) {
                Simd.shiftedSums(x, base, blockLength, shift, sums);
            } else {
                shiftedSums(x, base, blockLength, shift, sums);
            }
            double meanOffset = sums[0] / blockLength;                       // μ − K
            double variance = Math.max(sums[1] / blockLength - meanOffset * meanOffset, 0);
            mean[block] = shift + meanOffset;
            invStd[block] = 1 / Math.sqrt(variance + eps);
            int firstChannel = (block % groups) * perGroup;
            for (int j = 0; j < perGroup; j++) {                             // x̂, then y = γ_c · x̂ + β_c
                int c = firstChannel + j;
                int from = base + j * spatial;
                float g = gamma == null ? 1f : gamma[c];
                float b = beta == null ? 0f : beta[c];
                if (simd) {
                    Simd.normalize(x, from, spatial, shift, (float) meanOffset, (float) invStd[block], g, b,
                            normalized, out);
                } else {
                    normalize(x, from, spatial, shift, meanOffset, invStd[block], g, b, normalized, out);
                }
            }
        });
    }

    /** Group-norm backward; the contract of {@link NormNaive#groupNormBackward}. */
    public static void groupNormBackward(float[] g, float[] normalized, double[] invStd, float[] gamma,
                                         int batch, int channels, int groups, int spatial,
                                         double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        if (Kernels.naive()) {
            NormNaive.groupNormBackward(g, normalized, invStd, gamma, batch, channels, groups, spatial,
                    sumGrad, sumGradXHat, gradX);
            return;
        }
        int perGroup = channels / groups;
        int blockLength = perGroup * spatial;
        boolean simd = Kernels.simd();
        double[] sampleSumGrad = new double[batch * channels];              // Σ_s g per (n, c)
        double[] sampleSumGradXHat = new double[batch * channels];          // Σ_s g · x̂ per (n, c)
        forEach(batch * groups, g.length, block -> {
            int base = block * blockLength;
            int firstChannel = (block % groups) * perGroup;
            int row = (block / groups) * channels + firstChannel;           // (n, first channel of the group)
            double[] sums = new double[2];
            double sumH = 0;                                                 // Σ h = Σ_c γ_c Σ_s g
            double sumHXHat = 0;                                             // Σ h · x̂ = Σ_c γ_c Σ_s g · x̂
            for (int j = 0; j < perGroup; j++) {
                int from = base + j * spatial;
                sums[0] = 0;
                sums[1] = 0;
                if (simd) {
                    Simd.gradSums(g, normalized, from, spatial, sums);
                } else {
                    gradSums(g, normalized, from, spatial, sums);
                }
                sampleSumGrad[row + j] = sums[0];
                sampleSumGradXHat[row + j] = sums[1];
                double gammaC = gamma == null ? 1 : gamma[firstChannel + j];
                sumH += gammaC * sums[0];
                sumHXHat += gammaC * sums[1];
            }
            if (gradX == null) {
                return;
            }
            double scale = invStd[block];                                    // 1 / σ
            float offset = (float) (-scale * sumH / blockLength);            // b = −mean(h) / σ
            float xHatFactor = (float) (-scale * sumHXHat / blockLength);    // k = −mean(h · x̂) / σ
            for (int j = 0; j < perGroup; j++) {
                int from = base + j * spatial;
                float gradFactor = (float) ((gamma == null ? 1 : gamma[firstChannel + j]) * scale);  // a_c = γ_c / σ
                if (simd) {
                    Simd.gradInput(g, normalized, from, spatial, gradFactor, xHatFactor, offset, gradX);
                } else {
                    gradInput(g, normalized, from, spatial, gradFactor, xHatFactor, offset, gradX);
                }
            }
        });
        for (int n = 0; n < batch; n++) {                                    // over the samples, in order
            for (int c = 0; c < channels; c++) {
                sumGrad[c] += sampleSumGrad[n * channels + c];
                sumGradXHat[c] += sampleSumGradXHat[n * channels + c];
            }
        }
    }

    /** Σ (x − K) into sums[0] and Σ (x − K)² into sums[1] over x[from .. from + length), in double. */
    static void shiftedSums(float[] x, int from, int length, float shift, double[] sums) {
        double sum = 0;
        double squares = 0;
        for (int i = from; i < from + length; i++) {
            double d = x[i] - shift;
            sum += d;
            squares += d * d;
        }
        sums[0] += sum;
        sums[1] += squares;
    }

    /** One channel: x̂ = ((x − K) − (μ − K)) / σ and y = γ · x̂ + β over x[from .. from + length). */
    static void normalize(float[] x, int from, int length, float shift, double meanOffset, double invStd,
                          float gamma, float beta, float[] normalized, float[] out) {
        for (int i = from; i < from + length; i++) {
            float xHat = (float) (((x[i] - shift) - meanOffset) * invStd);
            normalized[i] = xHat;
            out[i] = Math.fma(xHat, gamma, beta);
        }
    }

    /** Σ g into sums[0] and Σ g · x̂ into sums[1] over one channel's values, in double. */
    static void gradSums(float[] g, float[] normalized, int from, int length, double[] sums) {
        double sum = 0;
        double sumXHat = 0;
        for (int i = from; i < from + length; i++) {
            sum += g[i];
            sumXHat += g[i] * (double) normalized[i];
        }
        sums[0] += sum;
        sums[1] += sumXHat;
    }

    /** One channel of ∂L/∂x = a·g + k·x̂ + b. */
    static void gradInput(float[] g, float[] normalized, int from, int length, float gradFactor, float xHatFactor,
                          float offset, float[] gradX) {
        for (int i = from; i < from + length; i++) {
            gradX[i] = Math.fma(gradFactor, g[i], Math.fma(xHatFactor, normalized[i], offset));
        }
    }

    /**
     * Runs {@code task} for every (image, group) block: in parallel when the tensor is large enough to
     * repay it, small blocks handed out several at a time ({@link Threads#parallelForItems}).
     */
    private static void forEach(int count, int elements, Threads.Task task) {
        Threads.parallelForItems(count, count == 0 ? 0 : elements / count, task);
    }

    /**
     * The loops above with the Vector API, the tails through the plain loops. A nested class of its
     * own so that it is loaded only when {@link Kernels#simd()}: a JVM without
     * {@code jdk.incubator.vector} never touches it.
     */
    static final class Simd {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

        private Simd() {
        }

        /** {@link GroupNormKernels#shiftedSums}: float lanes over chunks of {@link GroupNormKernels#CHUNK}, each chunk added in double. */
        static void shiftedSums(float[] x, int from, int length, float shift, double[] sums) {
            FloatVector k = FloatVector.broadcast(SPECIES, shift);
            float[] lanes = LaneSums.scratch();
            int end = from + length;
            int vectorEnd = from + SPECIES.loopBound(length);
            int i = from;
            while (i < vectorEnd) {
                int chunkEnd = Math.min(i + CHUNK, vectorEnd);
                FloatVector sum = FloatVector.zero(SPECIES);
                FloatVector squares = FloatVector.zero(SPECIES);
                for (; i < chunkEnd; i += SPECIES.length()) {
                    FloatVector d = FloatVector.fromArray(SPECIES, x, i).sub(k);
                    sum = sum.add(d);
                    squares = d.fma(d, squares);
                }
                sums[0] += LaneSums.inOrder(sum, lanes);
                sums[1] += LaneSums.inOrder(squares, lanes);
            }
            GroupNormKernels.shiftedSums(x, i, end - i, shift, sums);
        }

        /** {@link GroupNormKernels#normalize} in float lanes. */
        static void normalize(float[] x, int from, int length, float shift, float meanOffset, float invStd,
                              float gamma, float beta, float[] normalized, float[] out) {
            FloatVector k = FloatVector.broadcast(SPECIES, shift);
            FloatVector m = FloatVector.broadcast(SPECIES, meanOffset);
            FloatVector s = FloatVector.broadcast(SPECIES, invStd);
            FloatVector gv = FloatVector.broadcast(SPECIES, gamma);
            FloatVector bv = FloatVector.broadcast(SPECIES, beta);
            int vectorEnd = from + SPECIES.loopBound(length);
            int i = from;
            for (; i < vectorEnd; i += SPECIES.length()) {
                FloatVector xHat = FloatVector.fromArray(SPECIES, x, i).sub(k).sub(m).mul(s);
                xHat.intoArray(normalized, i);
                xHat.fma(gv, bv).intoArray(out, i);
            }
            GroupNormKernels.normalize(x, i, from + length - i, shift, meanOffset, invStd, gamma, beta, normalized, out);
        }

        /** {@link GroupNormKernels#gradSums}: float lanes over chunks of {@link GroupNormKernels#CHUNK}, each chunk added in double. */
        static void gradSums(float[] g, float[] normalized, int from, int length, double[] sums) {
            float[] lanes = LaneSums.scratch();
            int end = from + length;
            int vectorEnd = from + SPECIES.loopBound(length);
            int i = from;
            while (i < vectorEnd) {
                int chunkEnd = Math.min(i + CHUNK, vectorEnd);
                FloatVector sum = FloatVector.zero(SPECIES);
                FloatVector sumXHat = FloatVector.zero(SPECIES);
                for (; i < chunkEnd; i += SPECIES.length()) {
                    FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
                    sum = sum.add(gv);
                    sumXHat = gv.fma(FloatVector.fromArray(SPECIES, normalized, i), sumXHat);
                }
                sums[0] += LaneSums.inOrder(sum, lanes);
                sums[1] += LaneSums.inOrder(sumXHat, lanes);
            }
            GroupNormKernels.gradSums(g, normalized, i, end - i, sums);
        }

        /** {@link GroupNormKernels#gradInput} in float lanes. */
        static void gradInput(float[] g, float[] normalized, int from, int length, float gradFactor, float xHatFactor,
                              float offset, float[] gradX) {
            FloatVector a = FloatVector.broadcast(SPECIES, gradFactor);
            FloatVector k = FloatVector.broadcast(SPECIES, xHatFactor);
            FloatVector b = FloatVector.broadcast(SPECIES, offset);
            int vectorEnd = from + SPECIES.loopBound(length);
            int i = from;
            for (; i < vectorEnd; i += SPECIES.length()) {
                FloatVector xHatPart = FloatVector.fromArray(SPECIES, normalized, i).fma(k, b);
                FloatVector.fromArray(SPECIES, g, i).fma(a, xHatPart).intoArray(gradX, i);
            }
            GroupNormKernels.gradInput(g, normalized, i, from + length - i, gradFactor, xHatFactor, offset, gradX);
        }
    }
}
