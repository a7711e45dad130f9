package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvTransposeKernelsTest {
    private final SplittableRandom random = new SplittableRandom(11);

    private float[] randomArray(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** A random small geometry (batch 0 included) whose output is at least 1×1, outputPadding legal. */
    private ConvTransposeGeometry randomGeometry() {
        while (true) {
            int groups = 1 + random.nextInt(3);
            int strideH = 1 + random.nextInt(3);
            int strideW = 1 + random.nextInt(3);
            int dilationH = 1 + random.nextInt(2);
            int dilationW = 1 + random.nextInt(2);
            ConvTransposeGeometry g = ConvTransposeGeometry.of(random.nextInt(4),
                    groups * (1 + random.nextInt(3)), 1 + random.nextInt(6), 1 + random.nextInt(6),
                    groups * (1 + random.nextInt(3)), 1 + random.nextInt(4), 1 + random.nextInt(4),
                    strideH, strideW, random.nextInt(3), random.nextInt(3),
                    random.nextInt(Math.max(strideH, dilationH)), random.nextInt(Math.max(strideW, dilationW)),
                    dilationH, dilationW, groups);
            if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                return g;
            }
        }
    }

    @Test
    void fastKernelsMatchTheTextbookScatterOnRandomGeometries() {
        for (int trial = 0; trial < 300; trial++) {
            ConvTransposeGeometry g = randomGeometry();
            float[] x = randomArray(g.batch() * g.inChannels() * g.inPlane());
            float[] w = randomArray(g.inChannels() * g.outPerGroup() * g.kernelH() * g.kernelW());
            float[] bias = randomArray(g.outChannels());
            float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
            String where = g.toString();
            assertClose(ConvTransposeNaive.forward(x, w, bias, g), ConvTransposeKernels.forward(x, w, bias, g), where + " forward");
            assertClose(ConvTransposeNaive.forward(x, w, null, g), ConvTransposeKernels.forward(x, w, null, g), where + " no bias");
            assertClose(ConvTransposeNaive.backwardInput(gradY, w, g), ConvTransposeKernels.backwardInput(gradY, w, g), where + " dx");
            assertClose(ConvTransposeNaive.backwardWeight(x, gradY, g), ConvTransposeKernels.backwardWeight(x, gradY, g), where + " dw");
        }
    }

    @Test
    void theTransposeOfAConvolutionIsItsAdjoint() {
        // ⟨conv_transpose(x), u⟩ = ⟨x, conv(u)⟩ for any x and u: the defining property, on the naive kernels.
        for (int trial = 0; trial < 50; trial++) {
            ConvTransposeGeometry g = randomGeometry();
            float[] x = randomArray(g.batch() * g.inChannels() * g.inPlane());
            float[] w = randomArray(g.inChannels() * g.outPerGroup() * g.kernelH() * g.kernelW());
            float[] u = randomArray(g.batch() * g.outChannels() * g.outPlane());
            double left = dot(ConvTransposeNaive.forward(x, w, null, g), u);
            double right = dot(x, ConvNaive.forward(u, w, null, g.asConv()));
            assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), g.toString());
        }
    }

    @Test
    void outputSizeIsPyTorchsFormula() {
        // nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1) on 5×5 gives 10×10.
        assertEquals(10, ConvTransposeGeometry.outputSize(5, 3, 2, 1, 1, 1));
        assertEquals(9, ConvTransposeGeometry.outputSize(5, 3, 2, 1, 0, 1));
        assertEquals(7, ConvTransposeGeometry.outputSize(3, 3, 1, 0, 0, 2));   // (3−1)·1 + 2·2 + 1
        ConvTransposeGeometry g = ConvTransposeGeometry.of(1, 1, 5, 5, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
        assertArrayEquals(new int[] {5, 5}, new int[] {g.asConv().outHeight(), g.asConv().outWidth()});
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }
}
