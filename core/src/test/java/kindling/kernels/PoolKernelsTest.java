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

    private void checkAvg(int planes, int h, int w, int k, int s) {
        int[][] rows = windows(h, k, s);
        int[][] cols = windows(w, k, s);
        float[] rowDivisor = divisors(rows);
        float[] colDivisor = divisors(cols);
        float[] x = randomArray(random, planes * h * w);
        String what = planes + "×" + h + "×" + w + " k=" + k + " s=" + s;
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

    private static int[][] windows(int in, int k, int s) {
        int out = PoolKernels.outputSize(in, k, s, 0);
        int[][] windows = new int[2][out];
        for (int i = 0; i < out; i++) {
            windows[0][i] = i * s;
            windows[1][i] = i * s + k;
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
