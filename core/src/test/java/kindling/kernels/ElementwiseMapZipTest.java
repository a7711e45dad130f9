package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Elementwise map and zip in parallel blocks against their naive twins, bit for bit, over lengths 0, 1,
 * odd, one block, not a multiple of the block, and long enough to be split over the threads; and each function against its formula on a few values.
 */
class ElementwiseMapZipTest {
    private static final int[] LENGTHS = {0, 1, 7, Threads.ELEMENTWISE_BLOCK, 2 * Threads.ELEMENTWISE_BLOCK + 13,
        Threads.CHEAP_PASS_MIN + 13};
    private final SplittableRandom random = new SplittableRandom(17);
    private final int threadsBefore = Threads.get();

    @Test
    void mapAndZipMatchTheirTwinsForEveryFunction() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int length : LENGTHS) {
                    float[] x = randomArray(random, length);
                    float[] y = randomArray(random, length);
                    for (Elementwise.Unary f : Elementwise.Unary.values()) {
                        float[] naive = new float[length];
                        float[] fast = new float[length];
                        Elementwise.mapNaive(f, x, naive);
                        Elementwise.map(f, x, fast);
                        assertArrayEquals(naive, fast, 0f, f + " on " + length);
                    }
                    for (Elementwise.Binary f : Elementwise.Binary.values()) {
                        float[] naive = new float[length];
                        float[] fast = new float[length];
                        Elementwise.zipNaive(f, x, y, naive);
                        Elementwise.zip(f, x, y, fast);
                        assertArrayEquals(naive, fast, 0f, f + " on " + length);
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void derivativesAndTernaryFormsMatchTheirTwinsForEveryFunction() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int length : LENGTHS) {
                    float[] g = randomArray(random, length);
                    float[] x = withSpecialValues(randomArray(random, length));
                    float[] y = withSpecialValues(randomArray(random, length));
                    tieSome(x, y);
                    for (Elementwise.Derivative f : Elementwise.Derivative.values()) {
                        float[] naive = new float[length];
                        float[] fast = new float[length];
                        Elementwise.derivativeNaive(f, g, x, naive);
                        Elementwise.derivative(f, g, x, fast);
                        assertArrayEquals(naive, fast, 0f, f + " on " + length);
                    }
                    for (Elementwise.Ternary f : Elementwise.Ternary.values()) {
                        float[] naive = new float[length];
                        float[] fast = new float[length];
                        Elementwise.zip3Naive(f, g, x, y, naive);
                        Elementwise.zip3(f, g, x, y, fast);
                        assertArrayEquals(naive, fast, 0f, f + " on " + length);
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void namedKernelsMatchTheirTwins() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int length : LENGTHS) {
                    float[] g = randomArray(random, length);
                    float[] x = withSpecialValues(randomArray(random, length));
                    float[] y = withSpecialValues(randomArray(random, length));
                    float[] c = new float[length];
                    Elementwise.zipNaive(Elementwise.Binary.POW, x, y, c);
                    float[][] pairs = new float[10][length];
                    Elementwise.clampNaive(x, -0.5f, 1f, pairs[0]);
                    Elementwise.clamp(x, -0.5f, 1f, pairs[1]);
                    Elementwise.clampBackwardNaive(g, x, -0.5f, 1f, pairs[2]);
                    Elementwise.clampBackward(g, x, -0.5f, 1f, pairs[3]);
                    Elementwise.powExponentGradNaive(g, x, y, c, pairs[4]);
                    Elementwise.powExponentGrad(g, x, y, c, pairs[5]);
                    Elementwise.reluBackwardNaive(x, g, pairs[6]);
                    Elementwise.reluBackward(x, g, pairs[7]);
                    Elementwise.sigmoidNaive(x, pairs[8]);
                    Elementwise.sigmoid(x, pairs[9]);
                    String[] names = {"clamp", "clampBackward", "powExponentGrad", "reluBackward"};
                    for (int k = 0; k < names.length; k++) {
                        assertArrayEquals(pairs[2 * k], pairs[2 * k + 1], 0f, names[k] + " on " + length);
                    }
                    // the SIMD sigmoid agrees with the double-precision loop to a few float ulps (ElementwiseTest)
                    float tolerance = Kernels.simd() ? 3e-7f : 0f;
                    assertArrayEquals(pairs[8], pairs[9], tolerance, "sigmoid on " + length);
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void inModeNaiveTheFacadesRunTheTwinsOnTheCallingThread() {
        KernelMode before = Kernels.setMode(KernelMode.NAIVE);
        try {
            Threads.set(3);
            int length = 2 * Threads.ELEMENTWISE_BLOCK + 13;
            float[] g = randomArray(random, length);
            float[] x = randomArray(random, length);
            Thread caller = Thread.currentThread();
            float[] out = new float[length];
            Elementwise.derivative(Elementwise.Derivative.TANH, g, x, out);
            float[] twin = new float[length];
            Elementwise.derivativeNaive(Elementwise.Derivative.TANH, g, x, twin);
            assertArrayEquals(twin, out, 0f);
            // a sigmoid in naive mode is the plain double-precision loop, bit for bit, whatever the JVM has
            Elementwise.sigmoid(x, out);
            Elementwise.sigmoidPlain(x, twin, 0, length);
            assertArrayEquals(twin, out, 0f);
            assertEquals(caller, Thread.currentThread());
        } finally {
            Kernels.setMode(before);
            Threads.set(threadsBefore);
        }
    }

    @Test
    void eachNewFunctionIsItsFormula() {
        float[] x = {-2f, 0f, 0.5f, Float.NaN};
        float[] y = {2f, 3f, 0f, 1f};
        float[] g = {1f, 1f, 4f, 1f};
        float[] out = new float[4];
        Elementwise.mapNaive(Elementwise.Unary.RELU, x, out);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, Float.NaN}, out);
        Elementwise.mapNaive(Elementwise.Unary.LOG_SIGMOID, new float[] {0f, -200f, 200f, 1f}, out);
        assertEquals((float) Math.log(0.5), out[0]);
        assertEquals(-200f, out[1]);
        assertEquals(-0f, out[2]);      // −(0 + e^(−200) rounded away)
        Elementwise.mapNaive(Elementwise.Unary.GELU, new float[] {0f, 1f, -1f, 3f}, out);
        assertEquals(0.8413447f, out[1], 1e-6f);
        assertEquals(-0.15865526f, out[2], 1e-6f);
        Elementwise.zipNaive(Elementwise.Binary.POW, x, y, out);
        assertArrayEquals(new float[] {4f, 0f, 1f, Float.NaN}, out);
        Elementwise.zip3Naive(Elementwise.Ternary.WHERE, new float[] {1f, 0f, Float.NaN, 0f}, x, y, out);
        assertArrayEquals(new float[] {-2f, 3f, 0.5f, 1f}, out);
        Elementwise.zip3Naive(Elementwise.Ternary.MAXIMUM_GRAD_FIRST, g, new float[] {1f, 2f, 3f, 0f},
                new float[] {1f, 1f, 4f, 0f}, out);
        assertArrayEquals(new float[] {0.5f, 1f, 0f, 0.5f}, out);
        Elementwise.zip3Naive(Elementwise.Ternary.MINIMUM_GRAD_SECOND, g, new float[] {1f, 2f, 3f, 0f},
                new float[] {1f, 1f, 4f, 0f}, out);
        assertArrayEquals(new float[] {0.5f, 1f, 0f, 0.5f}, out);
        // x⁰ has no gradient in x even at x = 0, where b · xᵇ⁻¹ would be 0 · ∞
        Elementwise.zip3Naive(Elementwise.Ternary.POW_GRAD_BASE, g, new float[] {0f, 2f, 3f, 1f},
                new float[] {0f, 3f, 0f, 2f}, out);
        assertArrayEquals(new float[] {0f, 12f, 0f, 2f}, out);
        Elementwise.derivativeNaive(Elementwise.Derivative.WHERE_ZERO, g, new float[] {0f, 1f, Float.NaN, 0f}, out);
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, out);
        Elementwise.clampBackwardNaive(g, new float[] {-1f, 0f, 1f, 2f}, 0f, 1f, out);
        assertArrayEquals(new float[] {0f, 1f, 4f, 0f}, out);
        float[] left = {1f, 2f, Float.NaN, -0f};
        float[] right = {2f, 2f, Float.NaN, 0f};
        Elementwise.zipNaive(Elementwise.Binary.LE, left, right, out);
        assertArrayEquals(new float[] {1f, 1f, 0f, 1f}, out);
        Elementwise.zipNaive(Elementwise.Binary.NE, left, right, out);    // NaN ≠ NaN; −0 = 0
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f}, out);
        Elementwise.zipNaive(Elementwise.Binary.GT, left, right, out);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, out);
    }

    /** Puts 0, 1, −1 and NaN at a few places, where the masks and guards of the formulas switch. */
    private static float[] withSpecialValues(float[] a) {
        float[] special = {0f, 1f, -1f, Float.NaN, 0f};
        for (int i = 0; i < a.length; i += 5) {
            a[i] = special[(i / 5) % special.length];
        }
        return a;
    }

    /** Makes x and y equal at every third index, where maximum and minimum split the gradient. */
    private static void tieSome(float[] x, float[] y) {
        for (int i = 1; i < x.length; i += 3) {
            y[i] = x[i];
        }
    }

    @Test
    void eachFunctionIsItsFormula() {
        float[] x = {-2f, 0.5f, 4f};
        float[] y = {3f, -0.25f, Float.NaN};
        float[] out = new float[3];
        Elementwise.mapNaive(Elementwise.Unary.SQRT, x, out);
        assertEquals(2f, out[2]);
        assertEquals(Float.NaN, out[0]);
        Elementwise.mapNaive(Elementwise.Unary.NEG, x, out);
        assertArrayEquals(new float[] {2f, -0.5f, -4f}, out);
        Elementwise.zipNaive(Elementwise.Binary.DIV, x, y, out);
        assertEquals(-2f / 3f, out[0]);
        Elementwise.zipNaive(Elementwise.Binary.MAXIMUM, x, y, out);
        assertArrayEquals(new float[] {3f, 0.5f, Float.NaN}, out);
        Elementwise.zipNaive(Elementwise.Binary.MINIMUM, x, y, out);
        assertArrayEquals(new float[] {-2f, -0.25f, Float.NaN}, out);
    }
}
