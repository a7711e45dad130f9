package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PoolKernels against PoolNaive over a grid of small shapes: 0 and 1 planes, 1 × 1 planes, odd
 * sizes, strides that do not divide the size and every legal padding; more planes than threads.
 */
class PoolKernelsTest {
    private final SplittableRandom random = new SplittableRandom(21);

    @Test
    void maxPoolMatchesItsTwin() {
        withFastKernels(() -> {
            for (int planes : new int[] {0, 1, 5}) {
                for (int h = 1; h <= 6; h++) {
                    for (int w = 1; w <= 5; w++) {
                        for (int k = 1; k <= 3; k++) {
                            for (int s = 1; s <= 3; s++) {
                                for (int p = 0; p <= k / 2; p++) {
                                    if (h + 2 * p >= k && w + 2 * p >= k) {
                                        checkMax(planes, h, w, k, s, p);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Widths that give the vector loops whole vectors of output columns (16 float lanes on AVX-512,
     * 8 on AVX2) plus a tail, with ties, NaNs and −∞ planted where a lane meets them.
     */
    @Test
    void maxPoolMatchesItsTwinOnWideRows() {
        withFastKernels(() -> {
            for (int w : new int[] {17, 33, 40, 57, 71}) {
                for (int[] kernel : new int[][] {{3, 2, 1}, {2, 2, 0}, {3, 1, 1}, {3, 3, 0}, {1, 1, 0}, {2, 1, 1}}) {
                    checkMax(3, 9, w, kernel[0], kernel[1], kernel[2]);
                    checkMaxSpecial(2, 7, w, kernel[0], kernel[1], kernel[2]);
                }
            }
        });
    }

    /**
     * Padded planes of one size (30 × 30) with different borders, one after the other on one thread:
     * the fast loop keeps a padded buffer from call to call and must not reuse another padding's border.
     */
    @Test
    void maxPoolWithPaddingsOfOneBufferSize() {
        withFastKernels(() -> {
            checkMax(2, 28, 28, 3, 2, 1);
            checkMax(2, 26, 26, 5, 2, 2);
            checkMax(2, 28, 28, 3, 1, 1);
            checkMax(1, 24, 24, 7, 3, 3);
            checkMax(2, 28, 28, 2, 2, 1);
        });
    }

    private void checkMaxSpecial(int planes, int h, int w, int k, int s, int p) {
        int oh = PoolKernels.outputSize(h, k, s, p);
        int ow = PoolKernels.outputSize(w, k, s, p);
        float[] x = randomArray(random, planes * h * w);
        for (int i = 0; i < x.length; i++) {
            int kind = random.nextInt(12);
            if (kind == 0) {
                x[i] = Float.NaN;
            } else if (kind == 1) {
                x[i] = Float.NEGATIVE_INFINITY;
            } else if (kind < 5) {
                x[i] = 1f;                                // many ties: the first must win
            }
        }
        String what = "special " + planes + "×" + h + "×" + w + " k=" + k + " s=" + s + " p=" + p;
        float[] outNaive = new float[planes * oh * ow];
        int[] argNaive = new int[outNaive.length];
        PoolNaive.maxPool2dForward(x, planes, h, w, k, s, p, outNaive, argNaive, oh, ow);
        float[] outFast = new float[outNaive.length];
        int[] argFast = new int[outNaive.length];
        PoolKernels.maxPool2dForward(x, planes, h, w, k, s, p, outFast, argFast, oh, ow);
        assertArrayEquals(outNaive, outFast, 0f, what + ": output");
        assertArrayEquals(argNaive, argFast, what + ": argmax");
        checkMaxValues(x, planes, h, w, k, s, p, outNaive, what);
    }

    /** The values alone (no argmax wanted, as in a forward without gradient) equal the twin's values. */
    private static void checkMaxValues(float[] x, int planes, int h, int w, int k, int s, int p, float[] outNaive,
                                       String what) {
        int oh = PoolKernels.outputSize(h, k, s, p);
        int ow = PoolKernels.outputSize(w, k, s, p);
        float[] valuesNaive = new float[outNaive.length];
        PoolNaive.maxPool2dForward(x, planes, h, w, k, s, p, valuesNaive, null, oh, ow);
        assertArrayEquals(outNaive, valuesNaive, 0f, what + ": naive values alone");
        float[] valuesFast = new float[outNaive.length];
        java.util.Arrays.fill(valuesFast, 42f);                        // every output must be written
        PoolKernels.maxPool2dForward(x, planes, h, w, k, s, p, valuesFast, null, oh, ow);
        assertArrayEquals(outNaive, valuesFast, 0f, what + ": values alone");
    }

    private void checkMax(int planes, int h, int w, int k, int s, int p) {
        int oh = PoolKernels.outputSize(h, k, s, p);
        int ow = PoolKernels.outputSize(w, k, s, p);
        float[] x = randomArray(random, planes * h * w);
        if (x.length > 3) {
            x[3] = x[1];                                  // a tie: the first maximum must win in both
        }
        String what = planes + "×" + h + "×" + w + " k=" + k + " s=" + s + " p=" + p;
        float[] outNaive = new float[planes * oh * ow];
        int[] argNaive = new int[outNaive.length];
        PoolNaive.maxPool2dForward(x, planes, h, w, k, s, p, outNaive, argNaive, oh, ow);
        float[] outFast = new float[outNaive.length];
        int[] argFast = new int[outNaive.length];
        PoolKernels.maxPool2dForward(x, planes, h, w, k, s, p, outFast, argFast, oh, ow);
        assertArrayEquals(outNaive, outFast, 0f, what + ": output");
        assertArrayEquals(argNaive, argFast, what + ": argmax");
        checkMaxValues(x, planes, h, w, k, s, p, outNaive, what);
        float[] gradY = randomArray(random, outNaive.length);
        assertArrayEquals(PoolNaive.maxPool2dBackward(gradY, argNaive, planes, h * w, oh * ow),
                PoolKernels.maxPool2dBackward(gradY, argFast, planes, h * w, oh * ow), 0f, what + ": gradient");
    }

    @Test
    void avgPoolMatchesItsTwin() {
        withFastKernels(() -> {
            for (int planes : new int[] {0, 1, 5}) {
                for (int h = 1; h <= 6; h++) {
                    for (int w = 1; w <= 5; w++) {
                        for (int k = 1; k <= 3; k++) {
                            for (int s = 1; s <= 3; s++) {
                                if (h >= k && w >= k) {
                                    checkAvg(planes, h, w, k, s);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * LeNet's 2 × 2 average pool has a loop of its own: the twin's exact bits, signed zeros included (a
     * window of four −0 averages to +0, since the twin's sum starts from 0), infinities and NaN, in
     * both fast modes, with strides 1, 2 and 3.
     */
    @Test
    void avgPool2x2KeepsTheTwinsBitsForZerosInfinitiesAndNaN() {
        float[] specials = {-0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-45f, -3.5f};
        KernelTwins.inEachFastMode(() -> {
            for (int s = 1; s <= 3; s++) {
                int planes = 3;
                int h = 7;
                int w = 9;
                int[][] rows = windows(h, 2, s, 0);
                int[][] cols = windows(w, 2, s, 0);
                float[] rowDivisor = divisors(rows);
                float[] colDivisor = divisors(cols);
                float[] x = new float[planes * h * w];
                java.util.Arrays.fill(x, -0f);                      // plane 0: every window all −0
                for (int i = h * w; i < x.length; i++) {
                    x[i] = random.nextInt(3) == 0 ? specials[random.nextInt(specials.length)] : (float) random.nextDouble(-2, 2);
                }
                assertArrayEquals(
                        PoolNaive.avgPool2dForward(x, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                        PoolKernels.avgPool2dForward(x, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                        "2 × 2, stride " + s + ", mode " + Kernels.mode());
            }
        });
    }

    /** Widths with whole vectors of output columns, and clipped (padded) border windows around them. */
    @Test
    void avgPoolMatchesItsTwinOnWideRows() {
        withFastKernels(() -> {
            for (int w : new int[] {17, 28, 40, 57}) {
                for (int[] kernel : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {2, 3, 0}, {1, 1, 0}}) {
                    checkAvg(3, 6, w, kernel[0], kernel[1], kernel[2]);
                }
            }
        });
    }

    /** Adaptive windows (PyTorch's ⌊i·in/out⌋ to ⌈(i+1)·in/out⌉): widths vary, runs of equal ones between. */
    @Test
    void adaptiveAvgPoolMatchesItsTwin() {
        withFastKernels(() -> {
            for (int[] size : new int[][] {{28, 5}, {40, 17}, {64, 32}, {50, 50}, {7, 1}, {1, 1}}) {
                int[][] windows = new int[2][size[1]];
                for (int i = 0; i < size[1]; i++) {
                    windows[0][i] = i * size[0] / size[1];
                    windows[1][i] = ((i + 1) * size[0] + size[1] - 1) / size[1];
                }
                float[] divisor = divisors(windows);
                float[] x = randomArray(random, 3 * size[0] * size[0]);
                float[] gradY = randomArray(random, 3 * size[1] * size[1]);
                String what = "adaptive " + size[0] + " → " + size[1];
                assertArrayEquals(
                        PoolNaive.avgPool2dForward(x, 3, size[0], size[0], windows[0], windows[1], divisor,
                                windows[0], windows[1], divisor),
                        PoolKernels.avgPool2dForward(x, 3, size[0], size[0], windows[0], windows[1], divisor,
                                windows[0], windows[1], divisor), 0f, what + ": output");
                assertArrayEquals(
                        PoolNaive.avgPool2dBackward(gradY, 3, size[0], size[0], windows[0], windows[1], divisor,
                                windows[0], windows[1], divisor),
                        PoolKernels.avgPool2dBackward(gradY, 3, size[0], size[0], windows[0], windows[1], divisor,
                                windows[0], windows[1], divisor), 0f, what + ": gradient");
            }
        });
    }

    /**
     * Many planes, handed to the threads in blocks of planes: ResNet's global average pool (2 × 2 planes,
     * one window each, summed four planes side by side), its stem's 3 × 3 stride-2 max pool and LeNet's
     * 2 × 2 pool, each the twin's bits at 1, 2 and 3 threads.
     */
    @Test
    void manyPlanesMatchTheTwinAtAnyThreadCount() {
        int threadsBefore = Threads.get();
        try {
            withFastKernels(() -> {
                for (int threads = 1; threads <= 3; threads++) {
                    Threads.set(threads);
                    checkAvg(4099, 2, 2, 2, 2);
                    checkAvg(1027, 7, 7, 7, 1);
                    checkAvg(301, 28, 28, 2, 2);
                    checkMax(301, 28, 28, 3, 2, 1);
                    checkMax(67, 14, 14, 3, 2, 1);
                }
            });
        } finally {
            Threads.set(threadsBefore);
        }
    }

    private void checkAvg(int planes, int h, int w, int k, int s) {
        checkAvg(planes, h, w, k, s, 0);
    }

    private void checkAvg(int planes, int h, int w, int k, int s, int padding) {
        int[][] rows = windows(h, k, s, padding);
        int[][] cols = windows(w, k, s, padding);
        float[] rowDivisor = divisors(rows);
        float[] colDivisor = divisors(cols);
        float[] x = randomArray(random, planes * h * w);
        String what = planes + "×" + h + "×" + w + " k=" + k + " s=" + s + " p=" + padding;
        assertArrayEquals(
                PoolNaive.avgPool2dForward(x, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                PoolKernels.avgPool2dForward(x, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                0f, what + ": output");
        float[] gradY = randomArray(random, planes * rows[0].length * cols[0].length);
        assertArrayEquals(
                PoolNaive.avgPool2dBackward(gradY, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                PoolKernels.avgPool2dBackward(gradY, planes, h, w, rows[0], rows[1], rowDivisor, cols[0], cols[1], colDivisor),
                0f, what + ": gradient");
    }

    /** Sliding windows clipped to the input (padding not counted, as count_include_pad=False). */
    private static int[][] windows(int in, int k, int s, int padding) {
        int out = PoolKernels.outputSize(in, k, s, padding);
        int[][] windows = new int[2][out];
        for (int i = 0; i < out; i++) {
            windows[0][i] = Math.max(i * s - padding, 0);
            windows[1][i] = Math.min(i * s - padding + k, in);
        }
        return windows;
    }

    private static float[] divisors(int[][] windows) {
        float[] d = new float[windows[0].length];
        for (int i = 0; i < d.length; i++) {
            d[i] = windows[1][i] - windows[0][i];
        }
        return d;
    }
}
