package kindling.kernels;

import static kindling.kernels.KernelTwins.inEachFastMode;
import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bias-pattern kernels against their naive twins: {@link Elementwise#zipChannels} bit for bit,
 * {@link DimReductions#sumChannels} bit for bit on rows (inner = 1) and to float rounding on runs; both
 * identical at 1 and 3 threads; and the in-place {@link Elementwise#addScaled} and {@link Elementwise#scale}.
 * The shapes (outer, mid, inner) include a channel bias, a Linear bias, one value for everything,
 * and sizes that straddle the parallel blocks.
 */
class BiasKernelsTest {
    private static final int[][] VIEWS = {
        {1, 1, 1}, {3, 1, 5}, {2, 3, 1}, {4, 6, 49}, {128, 120, 1}, {9, 64, 100}, {1, 5, 70000},
        {70000, 3, 1}, {3, 2, 3 * Threads.ELEMENTWISE_BLOCK + 7}, {5, 3000, 1}, {33, 17, 1}, {256, 84, 1},
    };
    private final SplittableRandom random = new SplittableRandom(23);
    private final int threadsBefore = Threads.get();

    @Test
    void zipChannelsMatchesItsTwinForEveryOpAndOrder() {
        withFastKernels(() -> {
            try {
                for (int[] v : VIEWS) {
                    int n = v[0] * v[1] * v[2];
                    float[] a = randomArray(random, n);
                    float[] b = randomArray(random, v[1]);
                    for (Elementwise.Binary f : new Elementwise.Binary[] {
                        Elementwise.Binary.ADD, Elementwise.Binary.SUB, Elementwise.Binary.MUL, Elementwise.Binary.DIV}) {
                        for (boolean bFirst : new boolean[] {false, true}) {
                            float[] naive = new float[n];
                            Elementwise.zipChannelsNaive(f, bFirst, a, b, naive, v[0], v[1], v[2]);
                            for (int threads : new int[] {1, 3}) {
                                Threads.set(threads);
                                float[] fast = new float[n];
                                Elementwise.zipChannels(f, bFirst, a, b, fast, v[0], v[1], v[2]);
                                assertArrayEquals(naive, fast, 0f, f + " bFirst=" + bFirst + " on "
                                        + java.util.Arrays.toString(v) + " at " + threads + " threads");
                            }
                        }
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void copyOfRangeMatchesItsTwinAtAnyThreadCount() {
        withFastKernels(() -> {
            try {
                int big = Elementwise.PARALLEL_COPY_MIN + 3 * Threads.ELEMENTWISE_BLOCK + 5;
                float[] src = randomArray(random, big + 9);
                int[][] ranges = {{0, 0}, {3, 4}, {0, 100}, {7, big + 7}, {0, big + 9}, {9, Elementwise.PARALLEL_COPY_MIN + 9}};
                for (int[] r : ranges) {
                    float[] naive = Elementwise.copyOfRangeNaive(src, r[0], r[1]);
                    for (int threads : new int[] {1, 3}) {
                        Threads.set(threads);
                        assertArrayEquals(naive, Elementwise.copyOfRange(src, r[0], r[1]), 0f,
                                "copy of [" + r[0] + ", " + r[1] + ") at " + threads + " threads");
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void zipChannelsNaiveIsTheBroadcastFormula() {
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // (2, 3, 2)
        float[] b = {100, 200, 300};
        float[] out = new float[12];
        Elementwise.zipChannelsNaive(Elementwise.Binary.SUB, true, a, b, out, 2, 3, 2);
        assertArrayEquals(new float[] {99, 98, 197, 196, 295, 294, 93, 92, 191, 190, 289, 288}, out, 0f);
    }

    /** Shapes for the sums only: empty along each dim, and one channel over a whole image. */
    private static final int[][] EMPTY_AND_ONE_CHANNEL = {{2, 0, 5}, {0, 3, 5}, {2, 3, 0}, {0, 4, 1}, {1, 1, 784}};

    @Test
    void sumChannelsMatchesItsTwinAndIsTheSameAtAnyThreadCount() {
        inEachFastMode(() -> {
            try {
                for (int[] v : concat(VIEWS, EMPTY_AND_ONE_CHANNEL)) {
                    float[] g = randomArray(random, v[0] * v[1] * v[2]);
                    float[] naive = new float[v[1]];
                    DimReductions.sumChannelsNaive(g, v[0], v[1], v[2], naive);
                    float[] one = null;
                    for (int threads : new int[] {1, 3}) {
                        Threads.set(threads);
                        float[] fast = new float[v[1]];
                        DimReductions.sumChannels(g, v[0], v[1], v[2], fast);
                        if (one == null) {
                            one = fast;
                        } else {
                            assertArrayEquals(one, fast, 0f, "thread counts differ on " + java.util.Arrays.toString(v));
                        }
                        for (int m = 0; m < v[1]; m++) {
                            double exact = 0;
                            for (int o = 0; o < v[0]; o++) {
                                for (int k = 0; k < v[2]; k++) {
                                    exact += g[(o * v[1] + m) * v[2] + k];
                                }
                            }
                            // Both within float rounding of the exact sum: ~n·ε·Σ|g| bounds either.
                            double bound = 1e-6 * v[0] * v[2] * 2 + 1e-5;
                            assertEquals(exact, naive[m], bound, "naive on " + java.util.Arrays.toString(v));
                            assertEquals(exact, fast[m], bound, "fast on " + java.util.Arrays.toString(v));
                            if (v[2] == 1) {
                                assertEquals(naive[m], fast[m], 0f, "rows are summed in the twin's order");
                            }
                        }
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void channelTotalsAreRunSumsAddedInOrderInEitherModeAndAtAnyThreadCount() {
        // Each channel's total is its run sums (eight partial sums each) added in double in o order,
        // whether the runs are read channel by channel or in memory order, by the plain or the vector code.
        // The shapes: fewer channels than blocks, more, one; runs shorter than a vector, whole vectors,
        // tails; N = 1; and (9, 64, 100) large enough to be split among threads.
        inEachFastMode(() -> {
            try {
                for (int[] v : new int[][] {{4, 6, 49}, {9, 64, 100}, {3, 5, 784}, {2, 9, 7}, {5, 3, 8}, {2, 7, 17},
                        {3, 1, 100}, {1, 64, 100}, {1, 17, 3 * Threads.ELEMENTWISE_BLOCK / 17 + 9}}) {
                    float[] g = randomArray(random, v[0] * v[1] * v[2]);
                    float[] expected = new float[v[1]];
                    for (int m = 0; m < v[1]; m++) {
                        double total = 0;
                        for (int o = 0; o < v[0]; o++) {
                            total += DimReductions.runSum(g, (o * v[1] + m) * v[2], v[2]);
                        }
                        expected[m] = (float) total;
                    }
                    for (int threads : new int[] {1, 2, 3}) {
                        Threads.set(threads);
                        float[] fast = new float[v[1]];
                        DimReductions.sumChannels(g, v[0], v[1], v[2], fast);
                        assertArrayEquals(expected, fast, 0f, java.util.Arrays.toString(v) + " at " + threads + " threads");
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void vectorRunSumsEqualThePlainRunSum() {
        assumeTrue(Kernels.vectorModulePresent(), "ElementwiseSimd needs --add-modules jdk.incubator.vector");
        for (int inner : new int[] {1, 7, 8, 9, 15, 16, 17, 100, 784}) {
            for (int runs = 1; runs <= 9; runs++) {
                int base = 3;
                float[] g = randomArray(random, base + runs * inner + 5);
                float[] sums = new float[runs];
                ElementwiseSimd.runSums(g, base, inner, runs, sums);
                for (int r = 0; r < runs; r++) {
                    assertEquals(DimReductions.runSum(g, base + r * inner, inner), sums[r], 0f,
                            "run " + r + " of " + runs + ", inner " + inner);
                }
            }
        }
    }

    @Test
    void mulBackwardMatchesItsTwinAndMayWriteOverG() {
        try {
            for (int length : new int[] {0, 1, 7, Threads.ELEMENTWISE_BLOCK + 3, Threads.CHEAP_PASS_MIN + 5}) {
                float[] g = randomArray(random, length);
                float[] a = randomArray(random, length);
                float[] b = randomArray(random, length);
                float[] naiveA = new float[length];
                float[] naiveB = new float[length];
                Elementwise.mulBackwardNaive(g, a, b, naiveA, naiveB);
                for (int i = 0; i < length; i++) {
                    assertEquals(g[i] * b[i], naiveA[i], 0f);
                    assertEquals(g[i] * a[i], naiveB[i], 0f);
                }
                for (int threads : new int[] {1, 3}) {
                    Threads.set(threads);
                    float[] fastA = new float[length];
                    float[] fastB = new float[length];
                    Elementwise.mulBackward(g, a, b, fastA, fastB);
                    assertArrayEquals(naiveA, fastA, 0f);
                    assertArrayEquals(naiveB, fastB, 0f);
                    float[] over = g.clone();                       // ∂L/∂b written over g itself
                    float[] overA = new float[length];
                    Elementwise.mulBackward(over, a, b, overA, over);
                    assertArrayEquals(naiveA, overA, 0f);
                    assertArrayEquals(naiveB, over, 0f);
                }
            }
        } finally {
            Threads.set(threadsBefore);
        }
    }

    @Test
    void addScaledAndScaleMatchTheirTwins() {
        try {
            for (int length : new int[] {0, 1, 7, Threads.ELEMENTWISE_BLOCK + 3, 3 * Threads.ELEMENTWISE_BLOCK}) {
                float[] x = randomArray(random, length);
                float[] y = randomArray(random, length);
                float[] naive = y.clone();
                Elementwise.addScaledNaive(naive, -0.05f, x);
                Elementwise.scaleNaive(naive, 0.9f);
                for (int threads : new int[] {1, 3}) {
                    Threads.set(threads);
                    float[] fast = y.clone();
                    Elementwise.addScaled(fast, -0.05f, x);
                    Elementwise.scale(fast, 0.9f);
                    assertArrayEquals(naive, fast, 0f);
                }
                if (length > 0) {
                    assertEquals((y[0] + -0.05f * x[0]) * 0.9f, naive[0], 0f);
                }
            }
        } finally {
            Threads.set(threadsBefore);
        }
    }

    private static int[][] concat(int[][] first, int[][] second) {
        int[][] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
