package kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The calls written as in PyTorch: {@code argmax(dim)}, {@code full(size, value)}, {@code allclose}. */
class PyTorchSpellingsTest {

    @Test
    void argmaxAlongADimDropsTheDimAsTorchArgmaxDoes() {
        Tensor logits = Tensor.of(new float[][] {{0.1f, 2f, 0.3f}, {5f, 1f, 5f}});
        assertArrayEquals(new int[] {2}, logits.argmax(1).shape());
        assertArrayEquals(new float[] {1, 0}, logits.argmax(1).toArray());      // ties: the first index
        assertArrayEquals(new float[] {0, 1}, logits.argmin(1).toArray());
        assertArrayEquals(new float[] {1, 0, 1}, logits.argmax(-2).toArray());
        assertArrayEquals(logits.argmax(1, false).toArray(), logits.argmax(1).toArray());
    }

    @Test
    void fullTakesPyTorchsOrderForAShapeInAnArray() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor sevens = Tensor.full(x.shape(), 7f);
        assertArrayEquals(new int[] {2, 3}, sevens.shape());
        assertArrayEquals(Tensor.full(7f, 2, 3).toArray(), sevens.toArray());
        assertArrayEquals(sevens.toArray(), Tensor.fullLike(x, 7f).toArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.full(new int[] {-1}, 0f));
    }

    @Test
    void allcloseUsesTorchsToleranceAndBroadcasts() {
        Tensor a = Tensor.of(new float[] {1f, 100f});
        assertTrue(a.allclose(Tensor.of(new float[] {1f + 5e-6f, 100f + 5e-4f})));   // within rtol·|b| + atol
        assertFalse(a.allclose(Tensor.of(new float[] {1f + 5e-5f, 100f})));
        assertTrue(a.allclose(Tensor.of(new float[] {1.05f, 100f}), 0.1, 0));
        assertTrue(Tensor.full(3f, 2, 2).allclose(Tensor.scalar(3f)));                 // broadcast
        assertThrows(IllegalArgumentException.class, () -> a.allclose(Tensor.zeros(3)));
        Tensor special = Tensor.of(new float[] {Float.POSITIVE_INFINITY});
        assertTrue(special.allclose(special));
        assertFalse(special.allclose(Tensor.of(new float[] {Float.NEGATIVE_INFINITY})));
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertFalse(nan.allclose(nan));                                                // equal_nan=False
    }
}
