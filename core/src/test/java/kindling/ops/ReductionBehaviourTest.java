package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Tensor;
import kindling.tensor.ValuesAndIndices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shapes, edge cases (NaN, ±inf, empty, 0-dim) and error messages of the reductions. */
class ReductionBehaviourTest {
    private static final Tensor X = Tensor.arange(6).reshape(2, 3);

    private static void assertDimError(String op, int dim, Executable call) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(error.getMessage().startsWith(op + ": dim " + dim + " is out of range"), error.getMessage());
    }

    @Test
    void aDimOutOfRangeNamesTheOpAndTheDim() {
        assertDimError("mean", 2, () -> X.mean(2));
        assertDimError("max", -3, () -> X.max(-3, false));
        assertDimError("min", 2, () -> X.min(2, true));
        assertDimError("argmax", 5, () -> X.argmax(5, false));
        assertDimError("argmin", -3, () -> X.argmin(-3, false));
        assertDimError("var", 2, () -> X.var(2, true, false));
        assertDimError("std", -3, () -> X.std(new int[] {0, -3}, true, false));
        assertDimError("logsumexp", 2, () -> X.logsumexp(2));
        assertDimError("softmax", 2, () -> X.softmax(2));
        assertDimError("logSoftmax", -3, () -> X.logSoftmax(-3));
    }

    @Test
    void aRepeatedDimIsRefusedWithTheDims() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> X.var(new int[] {1, -1}, true, false));
        assertEquals("var: dim -1 appears more than once in (1, -1)", error.getMessage());
    }

    @Test
    void maxOfNothingIsAnErrorNamingTheShape() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).max());
        assertEquals("max: cannot reduce over zero elements in a tensor of shape (0, 3)", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmin(1, false));
        assertTrue(error.getMessage().startsWith("argmin: cannot reduce"), error.getMessage());
    }

    @Test
    void keepDimKeepsASizeOneDim() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[] {2, 1, 4}, x.mean(1, true).shape());
        assertArrayEquals(new int[] {2, 4}, x.var(1, true, false).shape());
        assertArrayEquals(new int[] {1, 3, 1}, x.std(new int[] {0, 2}, true, true).shape());
        assertArrayEquals(new int[] {2, 3}, x.logsumexp(-1).shape());
        ValuesAndIndices m = x.max(-1, true);
        assertArrayEquals(new int[] {2, 3, 1}, m.values().shape());
        assertArrayEquals(new int[] {2, 3, 1}, m.indices().shape());
        assertArrayEquals(new int[0], x.max().shape());
        assertArrayEquals(new int[0], x.argmax().shape());
    }

    @Test
    void indicesAndArgmaxCarryNoGradient() {
        Tensor x = Tensor.of(new float[] {3, 1, 2}).requiresGrad_();
        ValuesAndIndices m = x.max(0, false);
        assertTrue(m.values().requiresGrad());
        assertFalse(m.indices().requiresGrad());
        assertFalse(x.argmax().requiresGrad());
        assertFalse(x.argmin(0, true).requiresGrad());
        assertEquals(1f, x.argmin().item());
    }

    @Test
    void changingTheReturnedIndicesDoesNotMoveTheGradient() {
        Tensor x = Tensor.of(new float[] {3, 1, 2}).requiresGrad_();
        ValuesAndIndices m = x.max(0, false);
        m.indices().fill_(2f);
        m.values().backward();
        assertArrayEquals(new float[] {1, 0, 0}, x.grad().toArray());
    }

    @Test
    void nanIsTheMaxAndTheMinAsInPyTorch() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3});
        assertTrue(Float.isNaN(x.max().item()));
        assertTrue(Float.isNaN(x.min(0, false).values().item()));
        assertEquals(1f, x.argmax().item());
        assertEquals(1f, x.argmin(0, false).item());
    }

    @Test
    void varianceOfOneElementIsNaNWhenUnbiased() {
        Tensor x = Tensor.of(new float[] {4}).requiresGrad_();
        Tensor v = x.var();
        assertTrue(Float.isNaN(v.item()));
        assertEquals(0f, x.var(false).item());
        v.backward();
        assertTrue(Float.isNaN(x.grad().item()));
    }

    @Test
    void meanOfNothingIsNaN() {
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()));
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 3).mean(1).shape());
    }

    @Test
    void logsumexpOfInfinities() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {-inf, -inf, 1, inf, 0, 0}, 3, 2);
        assertArrayEquals(new float[] {-inf, inf, (float) Math.log(2)}, x.logsumexp(1).toArray(), 1e-6f);
    }

    @Test
    void softmaxOfExtremeValuesStaysAProbability() {
        Tensor x = Tensor.of(new float[] {1000, -1000, 0, 999, -1e4f, 1e4f}, 2, 3);
        float[] p = x.softmax(1).toArray();
        for (float v : p) {
            assertTrue(v >= 0 && v <= 1, "softmax gave " + v);
        }
        assertEquals(1f, p[0] + p[1] + p[2], 1e-6f);
        assertEquals(1f, p[3] + p[4] + p[5], 1e-6f);
        float[] logP = x.logSoftmax(1).toArray();
        assertEquals(-2000f, logP[1], 1e-3f);
        assertEquals(-2e4f, logP[4], 1e-2f);
    }

    @Test
    void aZeroDimTensorReducesAlongItsOnlyDim() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(1f, s.softmax(0).item());
        assertEquals(0f, s.logSoftmax(-1).item());
        assertEquals(3f, s.max(0, false).values().item());
        assertEquals(0f, s.argmax().item());
        assertEquals(3f, s.mean(0).item());
    }
}
