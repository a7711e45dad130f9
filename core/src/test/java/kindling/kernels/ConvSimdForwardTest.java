package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forward path of the direct convolution: the ways its outputs are written back, held to the textbook loops. */
class ConvSimdForwardTest {
    private final SplittableRandom random = new SplittableRandom(23);

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(Kernels.vectorModulePresent(), "ConvSimd needs --add-modules jdk.incubator.vector");
    }

    private float[] randomArray(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Test
    void rowsNarrowerAndWiderThanAVectorMatchAtAnyThreadCount() {
        // Output rows of 1, 3, 10 (LeNet), a vector's width give or take one (8 and 16 lanes), 54
        // (AlexNet's first layer); many images, so that neighbouring images are written by other
        // threads while a narrow row's vector runs on past its end.
        int[] widths = {1, 3, 7, 8, 9, 10, 15, 16, 17, 54};
        int before = Threads.get();
        try {
            for (int outWidth : widths) {
                ConvGeometry g = ConvGeometry.of(9, 2, 6, outWidth + 2, 5, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1);
                float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
                float[] w = randomArray(g.outChannels() * g.patchSize());
                float[] bias = randomArray(g.outChannels());
                float[] expected = ConvNaive.forward(x, w, bias, g);
                Threads.set(1);
                float[] one = ConvSimd.forward(x, w, bias, g);
                assertClose(expected, one, g.toString());
                Threads.set(3);
                for (int repeat = 0; repeat < 5; repeat++) {
                    assertArrayEquals(one, ConvSimd.forward(x, w, bias, g), g + " threads");
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-4f * Math.max(1f, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, where + " at " + i);
        }
    }
}
