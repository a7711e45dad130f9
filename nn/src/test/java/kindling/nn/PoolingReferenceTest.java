package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import kindling.kernels.Threads;
import kindling.nn.functional.Pooling;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The pooling ops against textbook loops that visit all k × k window positions and test each
 * against the border (the ops clip the window once instead), over a grid of small shapes
 * including a batch of 0, 1 × 1 planes, odd sizes and every legal padding.
 */
class PoolingReferenceTest {

    /** Naive max pool of (planes, H, W) and the gradient of Σ out · w; padding positions are −∞. */
    private static float[][] naiveMax(float[] x, float[] w, int planes, int h, int wd, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (wd + 2 * p - k) / s + 1;
        float[] out = new float[planes * oh * ow];
        float[] grad = new float[x.length];
        for (int q = 0; q < planes; q++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int row = i * s - p + a;
                            int col = j * s - p + b;
                            if (row >= 0 && row < h && col >= 0 && col < wd && x[(q * h + row) * wd + col] > best) {
                                best = x[(q * h + row) * wd + col];
                                at = (q * h + row) * wd + col;
                            }
                        }
                    }
                    int o = (q * oh + i) * ow + j;
                    out[o] = best;
                    grad[at] += w[o];
                }
            }
        }
        return new float[][] {out, grad};
    }

    /** Naive average pool: divisor k² clipped to the padded input, or the count of real elements. */
    private static float[][] naiveAvg(float[] x, float[] w, int planes, int h, int wd, int k, int s, int p,
                                      boolean countIncludePad) {
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (wd + 2 * p - k) / s + 1;
        float[] out = new float[planes * oh * ow];
        float[] grad = new float[x.length];
        for (int q = 0; q < planes; q++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    int real = 0;
                    int padded = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int row = i * s - p + a;
                            int col = j * s - p + b;
                            if (row < h + p && col < wd + p) {
                                padded++;
                            }
                            if (row >= 0 && row < h && col >= 0 && col < wd) {
                                sum += x[(q * h + row) * wd + col];
                                real++;
                            }
                        }
                    }
                    int divisor = countIncludePad ? padded : real;
                    int o = (q * oh + i) * ow + j;
                    out[o] = (float) (sum / divisor);
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int row = i * s - p + a;
                            int col = j * s - p + b;
                            if (row >= 0 && row < h && col >= 0 && col < wd) {
                                grad[(q * h + row) * wd + col] += w[o] / divisor;
                            }
                        }
                    }
                }
            }
        }
        return new float[][] {out, grad};
    }

    @Test
    void fastLoopsMatchTheNaiveOnesOverSmallShapes() {
        Generator generator = new Generator(11);
        for (int n : new int[] {0, 1, 2}) {
            for (int h = 1; h <= 5; h++) {
                for (int wd = 1; wd <= 4; wd++) {
                    for (int k = 1; k <= 3; k++) {
                        for (int s = 1; s <= 3; s++) {
                            for (int p = 0; p <= k / 2; p++) {
                                if (h + 2 * p < k || wd + 2 * p < k) {
                                    continue;
                                }
                                checkShape(generator, n, h, wd, k, s, p);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void checkShape(Generator generator, int n, int h, int wd, int k, int s, int p) {
        Tensor x = Tensor.randn(generator, n, 2, h, wd);
        int planes = n * 2;
        compare(new MaxPool2d(k, s, p), x, generator, (xs, ws) -> naiveMax(xs, ws, planes, h, wd, k, s, p));
        compare(new AvgPool2d(k, s, p), x, generator, (xs, ws) -> naiveAvg(xs, ws, planes, h, wd, k, s, p, true));
        compare(new AvgPool2d(k, s, p, false), x, generator,
                (xs, ws) -> naiveAvg(xs, ws, planes, h, wd, k, s, p, false));
    }

    private interface Reference {
        float[][] run(float[] x, float[] w);
    }

    private static void compare(Module layer, Tensor input, Generator generator, Reference reference) {
        Tensor x = input.detach().requiresGrad_();
        Tensor out = layer.forward(x);
        Tensor w = Tensor.randn(generator, out.shape());
        out.mul(w).sum().backward();
        float[][] expected = reference.run(input.toArray(), w.toArray());
        String what = layer + " on " + kindling.tensor.Shape.format(input.shape());
        assertArrayEquals(expected[0], out.toArray(), 1e-5f, what + ": output");
        float[] grad = x.grad() == null ? new float[0] : x.grad().toArray();
        assertArrayEquals(expected[1], grad, 1e-5f, what + ": gradient");
    }

    /** Forward output and input gradient of max and average pooling at the current thread count. */
    private static float[][] poolAtThreads(int threads, Tensor x, Tensor w) {
        int saved = Threads.get();
        Threads.set(threads);
        try {
            Tensor leafMax = x.detach().requiresGrad_();
            Tensor max = Pooling.maxPool2d(leafMax, 3, 2, 1);
            max.mul(w).sum().backward();
            Tensor leafAvg = x.detach().requiresGrad_();
            Tensor avg = Pooling.avgPool2d(leafAvg, 3, 2, 1, true);
            avg.mul(w).sum().backward();
            return new float[][] {max.toArray(), leafMax.grad().toArray(), avg.toArray(), leafAvg.grad().toArray()};
        } finally {
            Threads.set(saved);
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Generator gen = new Generator(9);
        Tensor x = Tensor.randn(gen, 5, 7, 9, 11);
        Tensor w = Tensor.randn(gen, 5, 7, 5, 6);
        float[][] one = poolAtThreads(1, x, w);
        for (int threads : new int[] {2, 3}) {
            float[][] many = poolAtThreads(threads, x, w);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], many[i], 0f, threads + " threads, result " + i);
            }
        }
    }

    @Test
    void maxPoolWithoutGradientGivesTheSameValues() {
        Generator gen = new Generator(4);
        Tensor x = Tensor.randn(gen, 3, 4, 13, 10);
        float[] data = x.data();
        data[5] = Float.NaN;                                   // a NaN wins its windows on both paths
        data[200] = Float.POSITIVE_INFINITY;
        for (int[] kernelStridePadding : new int[][] {{3, 2, 1}, {2, 2, 0}, {3, 1, 1}, {5, 3, 2}}) {
            int k = kernelStridePadding[0];
            int s = kernelStridePadding[1];
            int p = kernelStridePadding[2];
            float[] withArgmax = Pooling.maxPool2d(x.detach().requiresGrad_(), k, s, p).toArray();
            float[] valuesOnly = Pooling.maxPool2d(x.detach(), k, s, p).toArray();
            assertArrayEquals(withArgmax, valuesOnly, "k=" + k + " s=" + s + " p=" + p);
        }
    }
}
