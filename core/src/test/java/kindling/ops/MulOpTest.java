package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * MulOp's backward, every path, to the bit against the formula ∂L/∂a = ∂L/∂c · b, ∂L/∂b = ∂L/∂c · a
 * computed here in float: both inputs from one pass, with the incoming gradient the caller's (kept) or
 * an intermediate one (written over); one input only, either one; the same tensor twice (x · x); and
 * a broadcast operand. The values include 0, −0, ±∞ and NaN, so that 0 · ∞ = NaN and a NaN carry
 * through the gradients as in PyTorch.
 */
class MulOpTest {
    private static final int[] SHAPE = {3, 4, 5};
    private final SplittableRandom random = new SplittableRandom(31);

    /** Random values in [−2, 2) with 0, −0, +∞, −∞ and NaN at the given positions of the first five. */
    private float[] values(int n, int... specialAt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 4 - 2);
        }
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int k = 0; k < specialAt.length; k++) {
            v[specialAt[k]] = specials[k];
        }
        return v;
    }

    private static float[] times(float[] x, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * y[i];
        }
        return out;
    }

    @Test
    void bothGradientsWithTheCallersGradientKept() {
        float[] av = values(60, 0, 1, 2, 3, 4);
        float[] bv = values(60, 2, 3, 0, 1, 9);           // 0 · ∞ at 0..3, NaN in a at 4 and in b at 9
        float[] gv = values(60, 10, 11, 12, 13, 14);
        Tensor a = Tensor.of(av, SHAPE).requiresGrad_();
        Tensor b = Tensor.of(bv, SHAPE).requiresGrad_();
        Tensor g = Tensor.of(gv, SHAPE);
        a.mul(b).backward(g);
        assertArrayEquals(times(gv, bv), a.grad().toArray(), 0f);
        assertArrayEquals(times(gv, av), b.grad().toArray(), 0f);
        assertArrayEquals(gv, g.toArray(), 0f, "the caller's gradient is not written");
    }

    @Test
    void bothGradientsWithAnIntermediateGradient() {
        // c · w with w constant hands c's MulOp a new ∂L/∂c = g · w that no one else sees, which the
        // backward may write ∂L/∂b over.
        float[] av = values(60, 0, 1, 2, 3, 4);
        float[] bv = values(60, 2, 3, 0, 1, 9);
        float[] wv = values(60);
        float[] gv = values(60);
        Tensor a = Tensor.of(av, SHAPE).requiresGrad_();
        Tensor b = Tensor.of(bv, SHAPE).requiresGrad_();
        a.mul(b).mul(Tensor.of(wv, SHAPE)).backward(Tensor.of(gv, SHAPE));
        float[] gradC = times(gv, wv);
        assertArrayEquals(times(gradC, bv), a.grad().toArray(), 0f);
        assertArrayEquals(times(gradC, av), b.grad().toArray(), 0f);
    }

    @Test
    void oneInputOnlyEitherOne() {
        float[] av = values(60, 0, 1, 2, 3, 4);
        float[] bv = values(60, 2, 3, 0, 1, 9);
        float[] gv = values(60);
        for (boolean first : new boolean[] {true, false}) {
            for (boolean intermediate : new boolean[] {false, true}) {
                Tensor a = first ? Tensor.of(av, SHAPE).requiresGrad_() : Tensor.of(av, SHAPE);
                Tensor b = first ? Tensor.of(bv, SHAPE) : Tensor.of(bv, SHAPE).requiresGrad_();
                Tensor c = a.mul(b);
                float[] gradC = gv;
                if (intermediate) {
                    c = c.mul(2f);
                    gradC = new float[gv.length];
                    for (int i = 0; i < gv.length; i++) {
                        gradC[i] = gv[i] * 2f;
                    }
                }
                c.backward(Tensor.of(gv, SHAPE));
                String where = (first ? "a" : "b") + (intermediate ? ", intermediate gradient" : ", caller's gradient");
                if (first) {
                    assertArrayEquals(times(gradC, bv), a.grad().toArray(), 0f, where);
                    assertNull(b.grad(), where);
                } else {
                    assertArrayEquals(times(gradC, av), b.grad().toArray(), 0f, where);
                    assertNull(a.grad(), where);
                }
            }
        }
    }

    @Test
    void theSameTensorTwiceGetsBothProducts() {
        float[] xv = values(60, 0, 1, 2, 3, 4);
        float[] gv = values(60);
        for (boolean intermediate : new boolean[] {false, true}) {
            Tensor x = Tensor.of(xv, SHAPE).requiresGrad_();
            Tensor c = x.mul(x);
            float[] gradC = gv;
            if (intermediate) {
                c = c.mul(-3f);
                gradC = new float[gv.length];
                for (int i = 0; i < gv.length; i++) {
                    gradC[i] = gv[i] * -3f;
                }
            }
            c.backward(Tensor.of(gv, SHAPE));
            float[] half = times(gradC, xv);
            float[] expected = new float[half.length];
            for (int i = 0; i < half.length; i++) {
                expected[i] = half[i] + half[i];
            }
            assertArrayEquals(expected, x.grad().toArray(), 0f, intermediate ? "intermediate gradient" : "caller's gradient");
        }
    }

    @Test
    void aBroadcastOperandHasItsGradientSummedBack() {
        float[] av = values(60);
        float[] bv = values(5);
        float[] gv = values(60);
        Tensor a = Tensor.of(av, SHAPE).requiresGrad_();
        Tensor b = Tensor.of(bv, 5).requiresGrad_();
        a.mul(b).backward(Tensor.of(gv, SHAPE));
        float[] expectedA = new float[60];
        double[] expectedB = new double[5];
        for (int i = 0; i < 60; i++) {
            expectedA[i] = gv[i] * bv[i % 5];
            expectedB[i % 5] += gv[i] * av[i];
        }
        assertArrayEquals(expectedA, a.grad().toArray(), 0f);
        float[] gradB = b.grad().toArray();
        for (int k = 0; k < 5; k++) {
            assertEquals(expectedB[k], gradB[k], 1e-5, "∂L/∂b[" + k + "], a sum of 12 products");
        }
    }
}
