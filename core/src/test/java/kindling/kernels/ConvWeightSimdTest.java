package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The weight gradient with output positions in the lanes against the textbook loop, whatever the
 * kernel mode of the run, with the micro-kernels for 16 and 32 vector registers alike.
 */
class ConvWeightSimdTest {
    private final SplittableRandom random = new SplittableRandom(29);

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(Kernels.vectorModulePresent(), "ConvWeightSimd needs --add-modules jdk.incubator.vector");
    }

    private static int lanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    private float[] randomArray(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Test
    void suitsLeNetsFirstLayerOnly() {
        ConvGeometry conv1 = ConvGeometry.of(4, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
        assertEquals(lanes() > 6, ConvWeightSimd.suits(conv1));
        assertFalse(ConvWeightSimd.suits(ConvGeometry.of(4, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));   // conv2
        assertFalse(ConvWeightSimd.suits(ConvGeometry.of(4, 4, 28, 28, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2)));    // groups
    }

    @Test
    void suitsAShortPatchWhateverTheFilters() {
        // ResNet.small()'s stem, 1 → 16 3×3: 9 taps, which ConvSimd's weight kernel computes in 16 with
        // 16 lanes (one vector of filters). With 8 lanes its two vectors of filters take blocks of 6
        // taps, 12 for 9, and ConvSimd keeps the layer.
        ConvGeometry stem = ConvGeometry.of(4, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(lanes() == 16, ConvWeightSimd.suits(stem));
        assertEquals(lanes() == 16, ConvSimd.wastesWeightTaps(16, 9));
        // ResNet's 16 → 16 3×3, 144 taps, fills the blocks: ConvSimd's own weight kernel stays.
        assertFalse(ConvWeightSimd.suits(ConvGeometry.of(4, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
    }

    @Test
    void matchesTheTextbookLoopWithMoreFiltersThanLanes() {
        assertMatches(ConvGeometry.of(3, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));    // the stem
        assertMatches(ConvGeometry.of(2, 1, 13, 11, 37, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));    // 37 filters
        assertMatches(ConvGeometry.of(2, 2, 9, 12, 20, 2, 2, 1, 1, 0, 1, 1, 0, 1, 1, 1));     // 8 taps
    }

    @Test
    void sameResultAtAnyThreadCountOnTheStem() {
        assertSameBitsAtAnyThreadCount(ConvGeometry.of(21, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                Conv2dKernels::backwardWeight, 2, 3);
    }

    @Test
    void matchesTheTextbookLoopOnRandomGeometries() {
        // 1 to 7 filters (not multiples of the blocks' 2 or 3), 1 to 3 channels, strides, dilations,
        // uneven padding, planes from 1 pixel up, batches of 1 and more.
        for (int trial = 0; trial < 120; trial++) {
            int kh = 1 + random.nextInt(5);
            int kw = 1 + random.nextInt(5);
            int dh = 1 + random.nextInt(2);
            int dw = 1 + random.nextInt(2);
            int height = (kh - 1) * dh + 1 + random.nextInt(20);
            int width = (kw - 1) * dw + 1 + random.nextInt(30);
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), 1 + random.nextInt(3), height, width,
                    1 + random.nextInt(7), kh, kw, 1 + random.nextInt(3), 1 + random.nextInt(3),
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3), dh, dw, 1);
            assertMatches(g);
        }
    }

    @Test
    void matchesTheTextbookLoopOnLeNetsFirstLayerAndNeighbours() {
        assertMatches(ConvGeometry.of(3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1));     // LeNet conv1
        assertMatches(ConvGeometry.of(2, 1, 28, 28, 6, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1));     // no padding
        assertMatches(ConvGeometry.of(2, 3, 17, 19, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));     // 3×3, odd sizes
        assertMatches(ConvGeometry.of(9, 1, 28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1));     // one filter
    }

    @Test
    void sameResultAtAnyThreadCount() {
        assertSameBitsAtAnyThreadCount(ConvGeometry.of(19, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1),
                ConvWeightSimd::backwardWeight, 2, 3, 8);
    }

    /** A weight gradient: (x, ∂L/∂y, geometry) → ∂L/∂W. */
    private interface WeightGradient {
        float[] of(float[] x, float[] gradY, ConvGeometry g);
    }

    /** ∂L/∂W by {@code gradient} on random inputs has the same bits at each thread count as on one thread. */
    private void assertSameBitsAtAnyThreadCount(ConvGeometry g, WeightGradient gradient, int... threadCounts) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        int before = Threads.get();
        try {
            Threads.set(1);
            float[] one = gradient.of(x, gradY, g);
            for (int threads : threadCounts) {
                Threads.set(threads);
                assertArrayEquals(one, gradient.of(x, gradY, g), threads + " threads");
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void anEmptyBatchHasAZeroGradient() {
        ConvGeometry g = ConvGeometry.of(0, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
        assertArrayEquals(new float[6 * 25], ConvWeightSimd.backwardWeight(new float[0], new float[0], g));
    }

    private void assertMatches(ConvGeometry g) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        float[] expected = ConvNaive.backwardWeight(x, gradY, g);
        for (int registers : new int[] {16, 32}) {
            float[] actual = ConvWeightSimd.backwardWeight(x, gradY, g, registers);
            assertEquals(expected.length, actual.length, g.toString());
            for (int i = 0; i < expected.length; i++) {
                float tolerance = 1e-4f * Math.max(1f, Math.abs(expected[i]));
                assertEquals(expected[i], actual[i], tolerance, g + " dw, registers " + registers + ", at " + i);
            }
        }
    }
}
