package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The SIMD elementwise kernels against the plain loops. */
class ElementwiseTest {

    @Test
    void simdAgreesWithThePlainLoopToAFewUlps() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[1003];                       // not a multiple of the vector length: the tail too
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * (i % 3 == 0 ? 100 : 8));
        }
        float[] special = {0f, -0f, 1e-8f, -1e-8f, 88f, -88f, 104f, -104f, Float.MAX_VALUE, -Float.MAX_VALUE,
                           Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 17f, -17f, 0.5f};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] plain = new float[x.length];
        float[] simd = new float[x.length];
        Elementwise.sigmoidPlain(x, plain, 0, x.length);
        ElementwiseSimd.sigmoid(x, simd, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            String where = "sigmoid(" + x[i] + ")";
            if (Float.isNaN(plain[i])) {
                assertTrue(Float.isNaN(simd[i]), where);
                continue;
            }
            assertTrue(simd[i] >= 0f && simd[i] <= 1f, where + " = " + simd[i]);
            // a few ulps of the result (relative), and never more than 1e-7 absolute near 0 and 1
            float tolerance = Math.max(4 * Math.ulp(plain[i]), 1e-7f);
            assertEquals(plain[i], simd[i], tolerance, where);
        }
        assertEquals(0.5f, simd[0]);
        assertEquals(1f, simd[10]);
        assertEquals(0f, simd[11]);
    }

    @Test
    void writesOnlyTheRangeAsked() {
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f};
        float[] y = new float[x.length];
        Arrays.fill(y, -1f);
        Elementwise.sigmoid(x, y, 2, 11);
        assertEquals(-1f, y[0]);
        assertEquals(-1f, y[1]);
        assertEquals(-1f, y[11]);
        assertEquals(Elementwise.sigmoid(3f), y[2], 1e-7f);
        assertEquals(Elementwise.sigmoid(11f), y[10], 1e-7f);
    }

    /**
     * The SIMD sigmoid against σ computed in double and rounded to float, on floats spread evenly over
     * the bits of [−104, 104] (every binade, both signs, through the vector exponential's whole range):
     * within {@value #SIGMOID_ULPS} ulps of the result (ulps of the smallest normal float where the
     * result is subnormal). The exponential behind it is within about one ulp of e^(−|x|) (an
     * exhaustive run over every float in [−104, 0] found 99.2 % correctly rounded and 1.01 ulp at
     * worst); the add, the division and, for x &lt; 0, the product add a rounding each.
     */
    @Test
    void simdSigmoidIsWithinAFewUlpsOfTheExactValue() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes * 20011];
        int zero = Float.floatToIntBits(0f);
        int last = Float.floatToIntBits(104f);
        for (int i = 0; i < x.length; i++) {                 // evenly spaced in the bits, alternating signs
            float magnitude = Float.intBitsToFloat(zero + (int) ((long) (last - zero) * i / (x.length - 1)));
            x[i] = i % 2 == 0 ? magnitude : -magnitude;
        }
        float[] y = new float[x.length];
        ElementwiseSimd.sigmoid(x, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) (1 / (1 + Math.exp(-(double) x[i])));
            float ulp = Math.max(Math.ulp(expected), Math.ulp(Float.MIN_NORMAL));
            assertEquals(expected, y[i], SIGMOID_ULPS * ulp, "sigmoid(" + x[i] + ")");
        }
        float[][] cases = {{0f, 0.5f}, {-0f, 0.5f}, {-104f, 0f}, {-1000f, 0f}, {Float.NEGATIVE_INFINITY, 0f},
                           {104f, 1f}, {Float.POSITIVE_INFINITY, 1f}};
        float[] special = new float[lanes];
        float[] out = new float[lanes];
        for (float[] c : cases) {
            Arrays.fill(special, c[0]);
            ElementwiseSimd.sigmoid(special, out, 0, lanes);
            assertEquals(c[1], out[0], "sigmoid(" + c[0] + ")");
        }
        Arrays.fill(special, Float.NaN);
        ElementwiseSimd.sigmoid(special, out, 0, lanes);
        assertTrue(Float.isNaN(out[0]), "sigmoid(NaN)");
    }

    private static final int SIGMOID_ULPS = 2;

    /**
     * {@code ElementwiseSimd.sigmoid} must stay larger than the JIT's limit for inlining a hot method
     * (HotSpot's {@code FreqInlineSize}, 325 bytes of bytecode), so that it is always compiled on its
     * own and never several calls deep inside a parallel loop's task, where the Vector API's intrinsics
     * failed and every vector became a heap object. Splitting its exponential back into a method of
     * its own, or shrinking it, makes this fail.
     */
    @Test
    void sigmoidKernelIsTooLargeToBeInlinedIntoItsCallers() throws Exception {
        int size = BytecodeSize.of(ElementwiseSimd.class, "sigmoid", "([F[FII)V");
        assertTrue(size > 325, "ElementwiseSimd.sigmoid has " + size + " bytes of bytecode");
    }

    @Test
    void simdReluMaskIsThePlainOneExactly() {
        float[] y = new float[37];
        float[] g = new float[37];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3 == 0 ? 0f : (i % 3 == 1 ? i : -i);
            g[i] = 100 + i;
        }
        y[4] = Float.NaN;                                  // a NaN output passes its gradient (PyTorch)
        y[5] = -0f;
        float[] plain = new float[y.length];
        float[] simd = new float[y.length];
        Elementwise.reluBackwardPlain(y, g, plain, 0, y.length);
        ElementwiseSimd.reluBackward(y, g, simd, 0, y.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain, simd);
        assertEquals(104f, simd[4]);
        assertEquals(0f, simd[5]);
        assertEquals(0f, simd[3]);
        assertEquals(101f, simd[1]);
    }
}
