package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reduction family: the parallel walk against the naive one (every slice visited once, at the
 * right base and stride, over shapes with 0 and 1 in every place and sizes above the parallel block),
 * and each slice formula against the textbook on a small case.
 */
class DimReductionsTest {
    private final SplittableRandom random = new SplittableRandom(3);
    private final int threadsBefore = Threads.get();

    @Test
    void theParallelWalkVisitsTheSameSlicesAsTheNaiveOne() {
        int[][] shapes = {{0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {1, 7, 1}, {5, 3, 7},
                          {2, 70_000, 1}, {300, 300, 1}, {3, 5, 20_000}, {40, 1000, 3}};
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int[] s : shapes) {
                    int[] naive = visits(s, true);
                    int[] fast = visits(s, false);
                    assertArrayEquals(naive, fast, Arrays.toString(s));
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    /** For each element, 1000 · (how often it was visited) + its position k in its slice, plus the slice number. */
    private static int[] visits(int[] shape, boolean naive) {
        int outer = shape[0];
        int size = shape[1];
        int inner = shape[2];
        int[] seen = new int[outer * size * inner];
        int[] sliceBase = new int[outer * inner];
        DimReductions.SliceTask task = (slice, base, stride) -> {
            sliceBase[slice] = base;
            for (int k = 0; k < size; k++) {
                seen[base + k * stride] += 1000 + k;
            }
        };
        if (naive) {
            DimReductions.forEachSliceNaive(outer, size, inner, task);
        } else {
            DimReductions.forEachSlice(outer, size, inner, task);
        }
        int[] all = Arrays.copyOf(seen, seen.length + sliceBase.length);
        System.arraycopy(sliceBase, 0, all, seen.length, sliceBase.length);
        return all;
    }

    @Test
    void softmaxAndLogSoftmaxAreBitIdenticalInParallel() {
        int outer = 4;
        int size = 9;
        int inner = 2000;
        float[] x = randomArray(random, outer * size * inner);
        float[] g = randomArray(random, x.length);
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            KernelMode before = Kernels.setMode(run == 0 ? KernelMode.NAIVE : KernelMode.PLAIN);
            try {
                Threads.set(run == 0 ? 1 : 3);
                float[] y = new float[x.length];
                float[] gy = new float[x.length];
                float[] ly = new float[x.length];
                float[] gl = new float[x.length];
                DimReductions.softmax(x, y, outer, size, inner);
                DimReductions.softmaxBackward(y, g, gy, outer, size, inner);
                DimReductions.logSoftmax(x, ly, outer, size, inner);
                DimReductions.logSoftmaxBackward(ly, g, gl, outer, size, inner);
                float[] all = new float[4 * x.length];
                System.arraycopy(y, 0, all, 0, x.length);
                System.arraycopy(gy, 0, all, x.length, x.length);
                System.arraycopy(ly, 0, all, 2 * x.length, x.length);
                System.arraycopy(gl, 0, all, 3 * x.length, x.length);
                results[run] = all;
            } finally {
                Kernels.setMode(before);
                Threads.set(threadsBefore);
            }
        }
        assertArrayEquals(results[0], results[1], 0f);
    }

    @Test
    void sumsMeansAndExtremesAreBitIdenticalInParallel() {
        int[][] shapes = {{0, 3, 4}, {3, 1, 0}, {1, 1, 1}, {1, 7, 1}, {5, 3, 7}, {2, 70_000, 1}, {300, 300, 1},
                          {3, 5, 20_000}};
        for (int[] shape : shapes) {
            int outer = shape[0];
            int size = shape[1];
            int inner = shape[2];
            float[] x = randomArray(random, outer * size * inner);
            for (int i = 0; i < x.length; i += 97) {
                x[i] = i % 2 == 0 ? Float.NaN : x[Math.max(0, i - inner)];      // NaNs and ties to decide
            }
            float[] g = randomArray(random, outer * inner);
            float[][] results = new float[2][];
            for (int run = 0; run < 2; run++) {
                KernelMode before = Kernels.setMode(run == 0 ? KernelMode.NAIVE : KernelMode.PLAIN);
                try {
                    Threads.set(run == 0 ? 1 : 3);
                    float[] sums = new float[outer * inner];
                    float[] means = new float[outer * inner];
                    DimReductions.rowSums(x, sums, outer * inner, size);        // rows of `size`, read as rows
                    DimReductions.rowMeans(x, means, outer * inner, size);
                    float[] all = new float[2 * sums.length];
                    System.arraycopy(sums, 0, all, 0, sums.length);
                    System.arraycopy(means, 0, all, sums.length, sums.length);
                    for (boolean largest : new boolean[] {true, false}) {
                        float[] values = new float[outer * inner];
                        float[] indices = new float[outer * inner];
                        float[] grad = new float[x.length];
                        DimReductions.extreme(x, values, indices, outer, size, inner, largest);
                        DimReductions.extremeBackward(g, indices, grad, outer, size, inner);
                        all = concat(all, concat(values, concat(indices, grad)));
                    }
                    results[run] = all;
                } finally {
                    Kernels.setMode(before);
                    Threads.set(threadsBefore);
                }
            }
            assertArrayEquals(results[0], results[1], 0f, Arrays.toString(shape));
        }
    }

    @Test
    void varianceAndStdGradientsAreBitIdenticalInParallel() {
        int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {1, 7}, {5, 3}, {2, 70_000}, {300, 300}, {7, 20_001}};
        for (int[] shape : shapes) {
            int count = shape[0];
            int n = shape[1];
            float[] rows = randomArray(random, count * n);
            if (count > 1) {
                Arrays.fill(rows, n, 2 * n, 0.5f);                       // a constant row: std 0, gradient masked to 0
            }
            float[] g = randomArray(random, count);
            float[][] results = new float[2][];
            for (int run = 0; run < 2; run++) {
                KernelMode before = Kernels.setMode(run == 0 ? KernelMode.NAIVE : KernelMode.PLAIN);
                try {
                    Threads.set(run == 0 ? 1 : 3);
                    float[] variance = new float[count];
                    float[] gradVariance = new float[rows.length];
                    float[] gradStd = new float[rows.length];
                    DimReductions.variance(rows, variance, count, n, n - 1);
                    float[] std = new float[count];
                    for (int r = 0; r < count; r++) {
                        std[r] = (float) Math.sqrt(variance[r]);
                    }
                    DimReductions.varianceBackward(rows, g, gradVariance, count, n, n - 1);
                    DimReductions.stdBackward(rows, std, g, gradStd, count, n, n - 1);
                    results[run] = concat(variance, concat(gradVariance, gradStd));
                } finally {
                    Kernels.setMode(before);
                    Threads.set(threadsBefore);
                }
            }
            assertArrayEquals(results[0], results[1], 0f, Arrays.toString(shape));
        }
    }

    @Test
    void tiesBackwardIsBitIdenticalToItsNaiveTwin() {
        int block = Threads.ELEMENTWISE_BLOCK;
        int[] lengths = {0, 1, 7, 2 * block, 2 * block + 3, 3 * block + 1};
        for (int length : lengths) {
            float[] x = randomArray(random, length);
            for (int i = 0; i < length; i += 1001) {
                x[i] = 3f;                                               // many ties of the maximum
            }
            if (length > 5) {
                x[length / 2] = Float.NaN;
            }
            for (float value : new float[] {3f, Float.NaN}) {
                float[] naive = new float[length];
                float[] fast = new float[length];
                DimReductions.tiesBackwardNaive(x, value, 1.5f, naive);
                withFastKernels(() -> {
                    try {
                        Threads.set(3);
                        DimReductions.tiesBackward(x, value, 1.5f, fast);
                    } finally {
                        Threads.set(threadsBefore);
                    }
                });
                assertArrayEquals(naive, fast, 0f, length + " " + value);
            }
        }
    }

    @Test
    void tiesShareTheGradientEvenly() {
        float[] grad = new float[4];
        DimReductions.tiesBackwardNaive(new float[] {1f, 3f, 3f, 2f}, 3f, 1f, grad);
        assertArrayEquals(new float[] {0f, 0.5f, 0.5f, 0f}, grad);
        DimReductions.tiesBackwardNaive(new float[] {1f, Float.NaN, 3f, 2f}, Float.NaN, 2f, grad);
        assertArrayEquals(new float[] {0f, 2f, 0f, 0f}, grad);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void extremesKeepTheFirstWinnerAndTheFirstNaN() {
        float[] x = {1f, 3f, 3f, 2f, Float.NaN, 5f, Float.NaN};    // (outer 1, size 7, inner 1)
        float[] values = new float[1];
        float[] indices = new float[1];
        DimReductions.extreme(x, values, indices, 1, 4, 1, true);
        assertEquals(3f, values[0]);
        assertEquals(1f, indices[0]);
        DimReductions.extreme(x, values, indices, 1, 7, 1, false);
        assertEquals(Float.NaN, values[0]);
        assertEquals(4f, indices[0]);
        float[] grad = new float[7];
        DimReductions.extremeBackward(new float[] {2.5f}, indices, grad, 1, 7, 1);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 2.5f, 0f, 0f}, grad);
        float[] means = new float[2];
        DimReductions.rowMeans(new float[] {1f, 2f, 3f, 4f}, means, 2, 2);
        assertArrayEquals(new float[] {1.5f, 3.5f}, means);
        DimReductions.rowMeans(new float[0], means, 2, 0);                      // the mean of nothing
        assertArrayEquals(new float[] {Float.NaN, Float.NaN}, means);
        float[] sums = new float[1];
        DimReductions.rowSums(new float[] {1e8f, 1f, -1e8f}, sums, 1, 3);       // in double: the 1 survives
        assertEquals(1f, sums[0]);
    }

    @Test
    void rowFormulasMatchTheTextbook() {
        float[] rows = {1f, 2f, 3f, 4f, -1f, -1f, -1f, -1f};
        float[] variance = new float[2];
        DimReductions.variance(rows, variance, 2, 4, 3);                      // unbiased
        assertEquals(5f / 3f, variance[0], 1e-6f);
        assertEquals(0f, variance[1]);
        float[] lse = new float[2];
        DimReductions.logSumExp(rows, lse, 2, 4);
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4)), lse[0], 1e-6);
        assertEquals(-1 + Math.log(4), lse[1], 1e-6);
        float[] empty = new float[3];
        DimReductions.logSumExp(new float[0], empty, 3, 0);                   // rows of length 0: log 0
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, empty);
    }
}
