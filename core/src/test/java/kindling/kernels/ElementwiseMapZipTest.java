package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Elementwise map and zip in parallel blocks against their naive twins, bit for bit, over lengths 0, 1,
 * odd, one block, and not a multiple of the block; and each function against its formula on a few values.
 */
class ElementwiseMapZipTest {
    private static final int[] LENGTHS = {0, 1, 7, Threads.ELEMENTWISE_BLOCK, 2 * Threads.ELEMENTWISE_BLOCK + 13};
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
