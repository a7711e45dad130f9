package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GroupNormKernels against its naive twin in NormNaive over odd sizes, one group (G = 1), one channel
 * per group (G = C), positions not a multiple of any vector width, a batch of one, an empty batch and
 * tensors above the parallel threshold. The fast kernel sums in another order (shifted one-pass
 * statistics, float lanes), so the two agree to float rounding, not bit for bit; the fast kernel
 * agrees with itself bit for bit at any thread count.
 */
class GroupNormKernelsTest {
    private final SplittableRandom random = new SplittableRandom(17);
    private final int threadsBefore = Threads.get();

    /** {N, C, G, S}. */
    private static final int[][] SHAPES = {
        {0, 4, 2, 3}, {1, 1, 1, 1}, {1, 6, 1, 7}, {2, 6, 6, 5}, {3, 9, 3, 13}, {1, 8, 8, 1},
        {2, 4, 2, 17}, {4, 32, 8, 49}, {2, 64, 8, 196}, {3, 5, 5, 1031}, {2, 32, 1, 784},
    };

    @Test
    void matchesItsTwin() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int[] s : SHAPES) {
                    for (boolean affine : new boolean[] {true, false}) {
                        check(s[0], s[1], s[2], s[3], affine, 0f);
                    }
                }
                check(2, 6, 3, 37, true, 1000f);                              // a large mean: shifted sums keep it
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void sameResultsAtAnyThreadCount() {
        withFastKernels(() -> {
            try {
                for (int[] s : new int[][] {{4, 32, 8, 784}, {3, 9, 3, 1031}}) {
                    float[][] one = null;
                    for (int threads : new int[] {1, 2, 3}) {
                        Threads.set(threads);
                        float[][] results = run(false, s[0], s[1], s[2], s[3], new SplittableRandom(3), true, 0f);
                        if (one == null) {
                            one = results;
                        } else {
                            for (int i = 0; i < one.length; i++) {
                                assertArrayEquals(one[i], results[i], 0f, threads + " threads: array " + i);
                            }
                        }
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    private void check(int batch, int channels, int groups, int spatial, boolean affine, float offset) {
        long seed = random.nextLong();
        float[][] naive = run(true, batch, channels, groups, spatial, new SplittableRandom(seed), affine, offset);
        float[][] fast = run(false, batch, channels, groups, spatial, new SplittableRandom(seed), affine, offset);
        String what = "(" + batch + ", " + channels + ", " + spatial + ") groups=" + groups + " affine=" + affine
                + " offset=" + offset;
        String[] names = {"x̂", "y", "∂L/∂x", "∂L/∂γ", "∂L/∂β", "mean", "1/σ"};
        for (int i = 0; i < naive.length; i++) {
            assertEquals(naive[i].length, fast[i].length, what + ": " + names[i]);
            for (int j = 0; j < naive[i].length; j++) {
                // float rounding of the largest term: ∂L/∂x's terms are of the order (1/σ)·|γ·g| ≤ 4/σ
                // (1/σ is 1/√ε when a block has one value), the parameter sums add up N·S terms
                float scale = Math.max(1f, Math.abs(naive[i][j]));
                if (i == 2) {
                    scale = Math.max(scale, 4 * naive[6][j / (channels / groups * spatial)]);
                }
                float tolerance = (i == 3 || i == 4 ? 1e-4f * batch * spatial : 2e-5f) * scale;
                assertEquals(naive[i][j], fast[i][j], tolerance, what + ": " + names[i] + "[" + j + "]");
            }
        }
    }

    /** x̂, y, ∂L/∂x, ∂L/∂γ, ∂L/∂β, μ and 1/σ of one random problem, by the twin or the fast kernel. */
    private static float[][] run(boolean naive, int batch, int channels, int groups, int spatial,
                                 SplittableRandom random, boolean affine, float offset) {
        int size = batch * channels * spatial;
        float[] x = randomArray(random, size);
        for (int i = 0; i < size; i++) {
            x[i] += offset;
        }
        float[] gamma = affine ? randomArray(random, channels) : null;
        float[] beta = affine ? randomArray(random, channels) : null;
        float[] g = randomArray(random, size);
        float[] normalized = new float[size];
        float[] out = new float[size];
        double[] mean = new double[batch * groups];
        double[] invStd = new double[batch * groups];
        double[] sumGrad = new double[channels];
        double[] sumGradXHat = new double[channels];
        float[] gradX = new float[size];
        if (naive) {
            NormNaive.groupNormForward(x, batch, channels, groups, spatial, gamma, beta, 1e-5, normalized, mean,
                    invStd, out);
            NormNaive.groupNormBackward(g, normalized, invStd, gamma, batch, channels, groups, spatial,
                    sumGrad, sumGradXHat, gradX);
        } else {
            GroupNormKernels.groupNormForward(x, batch, channels, groups, spatial, gamma, beta, 1e-5, normalized,
                    mean, invStd, out);
            GroupNormKernels.groupNormBackward(g, normalized, invStd, gamma, batch, channels, groups, spatial,
                    sumGrad, sumGradXHat, gradX);
        }
        return new float[][] {normalized, out, gradX, NormKernels.toFloats(sumGradXHat), NormKernels.toFloats(sumGrad),
            NormKernels.toFloats(mean), NormKernels.toFloats(invStd)};
    }

    @Test
    void withoutGradXOnlyTheParameterSums() {
        withFastKernels(() -> {
            float[] g = {1, 2, 3, 4, 5, 6, 7, 8};
            float[] normalized = {1, -1, 1, -1, 2, 0, -2, 0};
            double[] sumGrad = new double[2];
            double[] sumGradXHat = new double[2];
            // N = 2, C = 2, G = 1, S = 2: channel 0 holds g 1, 2, 5, 6; channel 1 holds g 3, 4, 7, 8
            GroupNormKernels.groupNormBackward(g, normalized, new double[] {1, 1}, null, 2, 2, 1, 2,
                    sumGrad, sumGradXHat, null);
            assertArrayEquals(new double[] {14, 22}, sumGrad);
            assertArrayEquals(new double[] {1 - 2 + 10, 3 - 4 - 14}, sumGradXHat);
        });
    }
}
