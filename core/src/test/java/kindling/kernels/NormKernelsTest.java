package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NormKernels against NormNaive over a grid of shapes including empty batches, one channel, one
 * position, odd sizes, and tensors above the parallel threshold. In mode plain each channel's (row's)
 * sums run in the same order on one thread in both, so the results agree exactly; batch norm's
 * Vector API channels sum in float lanes (see NormSimd), so they are held to the twin within a
 * few float roundings instead.
 */
class NormKernelsTest {
    private final SplittableRandom random = new SplittableRandom(5);
    private final int threadsBefore = Threads.get();

    @Test
    void batchNormMatchesItsTwin() {
        int[][] shapes = {{0, 3, 4}, {1, 1, 1}, {2, 3, 1}, {3, 5, 7}, {4, 2, 9}, {8, 16, 300}};
        KernelMode before = Kernels.setMode(KernelMode.PLAIN);               // the same algorithm as the twin's
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int[] shape : shapes) {
                    for (boolean batchStatistics : new boolean[] {true, false}) {
                        for (boolean affine : new boolean[] {true, false}) {
                            checkBatchNorm(shape[0], shape[1], shape[2], batchStatistics, affine);
                        }
                    }
                }
            } finally {
                Threads.set(threadsBefore);
                Kernels.setMode(before);
            }
        });
    }

    /**
     * The Vector API batch norm against the twin: shapes with whole vectors and tails, channel counts
     * that are no multiple of a vector, a spatial size crossing NormSimd.BLOCK, and a channel whose
     * mean (1000) is large beside its spread, which float sums would lose without the shift. Small planes
     * (up to NormSimd.MAX_BLOCKED_SPATIAL positions) take the channel-block loops: blocks that end inside a
     * vector, a last block shorter than the others, a run shorter than one vector, and more images than
     * NormSimd.FLUSH_IMAGES.
     */
    @Test
    void batchNormSimdMatchesItsTwinClosely() {
        assumeTrue(Kernels.vectorModulePresent(), "the Vector API is not in this JVM");
        int[][] shapes = {{0, 3, 4}, {1, 1, 1}, {2, 3, 1}, {3, 5, 7}, {4, 3, 17}, {8, 16, 300}, {2, 5, 2100},
            {32, 3, 49}, {5, 7, 784}, {70, 9, 4}, {8, 40, 4}, {3, 33, 16}, {2, 17, 49}, {65, 5, 1}, {4, 130, 2},
            {6, 20, 64}, {2, 3, 65}, {130, 12, 16}};
        KernelMode before = Kernels.setMode(KernelMode.SIMD);
        try {
            Threads.set(3);
            for (int[] shape : shapes) {
                for (boolean batchStatistics : new boolean[] {true, false}) {
                    for (float offset : new float[] {0f, 1000f}) {
                        checkBatchNormClose(shape[0], shape[1], shape[2], batchStatistics, offset);
                    }
                }
            }
        } finally {
            Threads.set(threadsBefore);
            Kernels.setMode(before);
        }
    }

    /**
     * Mode simd gives the same bits on 1, 2 and 3 threads, on planes of every size class: the channel
     * blocks and the per-channel loops depend on the shape only.
     */
    @Test
    void batchNormSimdDoesNotDependOnTheThreadCount() {
        assumeTrue(Kernels.vectorModulePresent(), "the Vector API is not in this JVM");
        int[][] shapes = {{130, 64, 4}, {20, 70, 16}, {40, 32, 49}, {16, 16, 196}};
        KernelMode before = Kernels.setMode(KernelMode.SIMD);
        try {
            for (int[] shape : shapes) {
                int batch = shape[0];
                int channels = shape[1];
                int spatial = shape[2];
                float[] x = randomArray(random, batch * channels * spatial);
                float[] gamma = randomArray(random, channels);
                float[] beta = randomArray(random, channels);
                float[][][] arrays = new float[3][2][];
                double[][][] stats = new double[3][6][];
                for (int run = 0; run < 3; run++) {
                    Threads.set(run + 1);
                    runBatchNorm(false, x, batch, channels, spatial, gamma, beta, null, null, arrays[run], stats[run]);
                }
                for (int run = 1; run < 3; run++) {
                    String what = "(" + batch + ", " + channels + ", " + spatial + ") on 1 and " + (run + 1) + " threads";
                    for (int i = 0; i < 2; i++) {
                        assertArrayEquals(arrays[0][i], arrays[run][i], 0f, what + ": array " + i);
                    }
                    for (int i = 0; i < 6; i++) {
                        assertArrayEquals(stats[0][i], stats[run][i], 0.0, what + ": statistic " + i);
                    }
                }
            }
        } finally {
            Threads.set(threadsBefore);
            Kernels.setMode(before);
        }
    }

    private void checkBatchNormClose(int batch, int channels, int spatial, boolean batchStatistics, float offset) {
        int size = batch * channels * spatial;
        float[] x = randomArray(random, size);
        for (int i = 0; i < size; i++) {
            x[i] += offset;
        }
        float[] gamma = randomArray(random, channels);
        float[] beta = randomArray(random, channels);
        float[] mean = null;
        float[] variance = null;
        if (!batchStatistics) {
            mean = randomArray(random, channels);
            variance = randomArray(random, channels);
            for (int c = 0; c < channels; c++) {
                mean[c] += offset;
                variance[c] = Math.abs(variance[c]) + 0.1f;
            }
        }
        String what = "simd (" + batch + ", " + channels + ", " + spatial + ") batchStatistics=" + batchStatistics
                + " offset=" + offset;
        float[][] naive = new float[2][];
        double[][] naiveStats = new double[6][];
        float[][] fast = new float[2][];
        double[][] fastStats = new double[6][];
        runBatchNorm(true, x, batch, channels, spatial, gamma, beta, mean, variance, naive, naiveStats);
        runBatchNorm(false, x, batch, channels, spatial, gamma, beta, mean, variance, fast, fastStats);
        // y, ∂L/∂x are O(1): a few float roundings of each operand, plus the offset's rounding in x
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(naive[i], fast[i], 1e-5f, what + ": array " + i);
        }
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < channels; c++) {
                double expected = naiveStats[i][c];
                // statistics 0-3 (1/σ, μ, σ², saved μ) relative; the gradient sums 4, 5 add M = N·S terms
                // g · x̂ of size up to 4, each off by a float rounding or two of x̂: the bound grows with M
                double tolerance = Double.isNaN(expected) ? 0
                        : i < 4 ? 1e-6 * Math.max(1, Math.abs(expected)) : 1e-6 * Math.max(1, batch * spatial);
                assertEquals(expected, fastStats[i][c], tolerance,
                        what + ": statistic " + i + " channel " + c);
            }
        }
    }

    private void checkBatchNorm(int batch, int channels, int spatial, boolean batchStatistics, boolean affine) {
        int size = batch * channels * spatial;
        float[] x = randomArray(random, size);
        float[] gamma = affine ? randomArray(random, channels) : null;
        float[] beta = affine ? randomArray(random, channels) : null;
        float[] mean = batchStatistics ? null : randomArray(random, channels);
        float[] variance = null;
        if (!batchStatistics) {
            variance = randomArray(random, channels);
            for (int c = 0; c < channels; c++) {
                variance[c] = Math.abs(variance[c]) + 0.1f;
            }
        }
        String what = "(" + batch + ", " + channels + ", " + spatial + ") batchStatistics=" + batchStatistics
                + " affine=" + affine;
        float[][] naive = new float[2][];
        double[][] naiveStats = new double[6][];
        float[][] fast = new float[2][];
        double[][] fastStats = new double[6][];
        runBatchNorm(true, x, batch, channels, spatial, gamma, beta, mean, variance, naive, naiveStats);
        runBatchNorm(false, x, batch, channels, spatial, gamma, beta, mean, variance, fast, fastStats);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(naive[i], fast[i], 0f, what + ": array " + i);
        }
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(naiveStats[i], fastStats[i], 0.0, what + ": statistic " + i);
        }
    }

    private void runBatchNorm(boolean naive, float[] x, int batch, int channels, int spatial, float[] gamma,
                              float[] beta, float[] mean, float[] variance, float[][] arrays, double[][] stats) {
        float[] out = new float[x.length];
        double[] saveMean = new double[channels];
        double[] invStd = new double[channels];
        double[] batchMean = new double[channels];
        double[] batchVariance = new double[channels];
        if (naive) {
            NormNaive.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance, 1e-5,
                    batchMean, batchVariance, saveMean, invStd, out);
        } else {
            assertSame(out, NormKernels.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance,
                    1e-5, batchMean, batchVariance, saveMean, invStd, out));
            // null: the output allocated by the kernel (on the threads), the same values
            float[] allocated = NormKernels.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance,
                    1e-5, new double[channels], new double[channels], new double[channels], new double[channels], null);
            assertArrayEquals(out, allocated, 0f, "output allocated by batchNormForward");
        }
        float[] g = new SplittableRandomArrays(x.length).values;
        double[] sumGrad = new double[channels];
        double[] sumGradXHat = new double[channels];
        float[] gradX = new float[x.length];
        batchNormBackward(naive, g, x, saveMean, invStd, gamma, mean == null, batch, channels, spatial,
                sumGrad, sumGradXHat, gradX);
        // ∂L/∂x written over g (as BatchNormOp does with a gradient no one else sees): the same values to the bit
        float[] inPlace = g.clone();
        double[] inPlaceSumGrad = new double[channels];
        double[] inPlaceSumGradXHat = new double[channels];
        batchNormBackward(naive, inPlace, x, saveMean, invStd, gamma, mean == null, batch, channels, spatial,
                inPlaceSumGrad, inPlaceSumGradXHat, inPlace);
        String where = (naive ? "naive" : "fast") + " in place (" + batch + ", " + channels + ", " + spatial + ")";
        assertArrayEquals(gradX, inPlace, 0f, where + ": ∂L/∂x");
        assertArrayEquals(sumGrad, inPlaceSumGrad, 0.0, where + ": Σ g");
        assertArrayEquals(sumGradXHat, inPlaceSumGradXHat, 0.0, where + ": Σ g · x̂");
        arrays[0] = out;
        arrays[1] = gradX;
        stats[0] = invStd;
        stats[1] = batchMean;
        stats[2] = batchVariance;
        stats[3] = saveMean;
        stats[4] = sumGrad;
        stats[5] = sumGradXHat;
    }

    @Test
    void layerNormMatchesItsTwin() {
        int[][] shapes = {{0, 4}, {1, 1}, {3, 1}, {5, 7}, {2, 64}, {700, 65}};
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int[] shape : shapes) {
                    for (boolean affine : new boolean[] {true, false}) {
                        checkLayerNorm(shape[0], shape[1], affine);
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    private void checkLayerNorm(int rows, int length, boolean affine) {
        float[] x = randomArray(random, rows * length);
        float[] gamma = affine ? randomArray(random, length) : null;
        float[] beta = affine ? randomArray(random, length) : null;
        float[] g = randomArray(random, x.length);
        String what = "(" + rows + ", " + length + ") affine=" + affine;
        float[][] results = new float[2][];
        double[][] invStds = new double[2][];
        float[][] grads = new float[2][];
        for (int v = 0; v < 2; v++) {
            float[] normalized = new float[x.length];
            float[] out = new float[x.length];
            double[] invStd = new double[rows];
            float[] gradX = new float[x.length];
            if (v == 0) {
                NormNaive.layerNormForward(x, rows, length, gamma, beta, 1e-5, normalized, invStd, out);
                NormNaive.layerNormBackwardInput(g, normalized, invStd, gamma, rows, length, gradX);
            } else {
                NormKernels.layerNormForward(x, rows, length, gamma, beta, 1e-5, normalized, invStd, out);
                NormKernels.layerNormBackwardInput(g, normalized, invStd, gamma, rows, length, gradX);
            }
            results[v] = out;
            invStds[v] = invStd;
            grads[v] = gradX;
        }
        assertArrayEquals(results[0], results[1], 0f, what + ": output");
        assertArrayEquals(invStds[0], invStds[1], 0.0, what + ": 1/σ");
        assertArrayEquals(grads[0], grads[1], 0f, what + ": gradient");
    }

    /** The same pseudo-random gradient for the naive and the fast run of one case. */
    private static final class SplittableRandomArrays {
        final float[] values;

        SplittableRandomArrays(int length) {
            values = randomArray(new SplittableRandom(length), length);
        }
    }

    /** The textbook or the fast batch-norm backward, with the same arguments. */
    private static void batchNormBackward(boolean naive, float[] g, float[] x, double[] saveMean, double[] invStd,
                                          float[] gamma, boolean batchStatistics, int batch, int channels, int spatial,
                                          double[] sumGrad, double[] sumGradXHat, float[] gradX) {
        if (naive) {
            NormNaive.batchNormBackward(g, x, saveMean, invStd, gamma, batchStatistics, batch, channels, spatial,
                    sumGrad, sumGradXHat, gradX);
        } else {
            NormKernels.batchNormBackward(g, x, saveMean, invStd, gamma, batchStatistics, batch, channels, spatial,
                    sumGrad, sumGradXHat, gradX);
        }
    }
}
