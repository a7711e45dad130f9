package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.GradCheck;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PoolingTest {

    @Test
    void maxPoolMatchesPyTorchWithTiesPaddingAndOverlap() {
        GoldenCases.NORM.check("maxpool_ties", new MaxPool2d(2));
        GoldenCases.NORM.check("maxpool_overlap", new MaxPool2d(3, 1, 1));
        GoldenCases.NORM.check("maxpool_neg_pad", new MaxPool2d(2, 2, 1));
        GoldenCases.NORM.check("maxpool_3d", new MaxPool2d(3, 2));
    }

    @Test
    void avgPoolMatchesPyTorch() {
        GoldenCases.NORM.check("avgpool", new AvgPool2d(2));
        GoldenCases.NORM.check("avgpool_pad", new AvgPool2d(3, 2, 1));
        GoldenCases.NORM.check("avgpool_pad_exclude", new AvgPool2d(3, 2, 1, false));
    }

    @Test
    void adaptiveAvgPoolMatchesPyTorchIncludingNonDivisibleSizes() {
        GoldenCases.NORM.check("adaptive_1", new AdaptiveAvgPool2d(1));
        GoldenCases.NORM.check("adaptive_7to3", new AdaptiveAvgPool2d(3, 3));
        GoldenCases.NORM.check("adaptive_5x4to3x6", new AdaptiveAvgPool2d(3, 6));
    }

    @Test
    void tiesSendTheWholeGradientToTheFirstMaximum() {
        Tensor x = Tensor.of(new float[] {2, 2, 2, 2}, 1, 1, 2, 2).requiresGrad_();
        new MaxPool2d(2).forward(x).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0}, x.grad().toArray());
    }

    @Test
    void nanWinsAMaxWindowAsInPyTorch() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 5, 2}, 1, 1, 2, 2).requiresGrad_();
        Tensor out = new MaxPool2d(2).forward(x);
        assertTrue(Float.isNaN(out.item()));
        out.sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0}, x.grad().toArray());
        Tensor twoNaNs = Tensor.of(new float[] {1, Float.NaN, Float.NaN, 2}, 1, 1, 2, 2).requiresGrad_();
        new MaxPool2d(2).forward(twoNaNs).sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 0}, twoNaNs.grad().toArray(), "the last NaN wins, as PyTorch's");
    }

    @Test
    void gradcheckEveryPool() {
        // distinct values 0.1 apart in a shuffled order, so a step of h never changes a max window's winner
        float[] values = new float[2 * 3 * 5 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 37 % values.length) * 0.1f - 6;
        }
        Tensor x = Tensor.of(values, 2, 3, 5, 4).requiresGrad_();
        Module[] layers = {new MaxPool2d(2), new MaxPool2d(3, 2, 1), new MaxPool2d(2, 1),
            new AvgPool2d(3, 2, 1), new AvgPool2d(3, 2, 1, false), new AdaptiveAvgPool2d(3, 2)};
        for (Module layer : layers) {
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), 1e-3, 1e-2, 1e-2, x);
            assertTrue(r.passed(), layer + ": " + r);
        }
    }

    @Test
    void outputSizesFollowTheFormula() {
        Tensor x = Tensor.zeros(2, 3, 7, 6);
        assertArrayEquals(new int[] {2, 3, 3, 3}, new MaxPool2d(2).forward(x).shape());           // ⌊(7 − 2)/2⌋ + 1
        assertArrayEquals(new int[] {2, 3, 4, 3}, new AvgPool2d(3, 2, 1).forward(x).shape());     // ⌊(7 + 2 − 3)/2⌋ + 1
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1).forward(x).shape());
        assertArrayEquals(new int[] {3, 2, 5}, new AdaptiveAvgPool2d(2, 5).forward(Tensor.zeros(3, 7, 6)).shape());
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=1, padding=1)", new AvgPool2d(3, 1, 1, false).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(1, 1))", new AdaptiveAvgPool2d(1, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
    }

    @Test
    void badArgumentsAndShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertTrue(e.getMessage().contains("pad=2") && e.getMessage().contains("kernel_size=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(0));
        assertTrue(e.getMessage().contains("AvgPool2d") && e.getMessage().contains("kernelSize=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0, 2));
        assertTrue(e.getMessage().contains("(0, 2)"), e.getMessage());

        Sequential model = new Sequential(new Identity(), new MaxPool2d(3));
        ShapeException s = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(1, 1, 2, 2)));
        assertTrue(s.getMessage().startsWith("MaxPool2d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)"
                + " at 1: input (1, 1, 2, 2) is too small"), s.getMessage());
        s = assertThrows(ShapeException.class, () -> new AvgPool2d(2).forward(Tensor.zeros(4, 4)));
        assertTrue(s.getMessage().contains("AvgPool2d(") && s.getMessage().contains("(4, 4)"), s.getMessage());
        s = assertThrows(ShapeException.class, () -> new AdaptiveAvgPool2d(1).forward(Tensor.zeros(2, 3, 0, 4)));
        assertTrue(s.getMessage().contains("(2, 3, 0, 4)"), s.getMessage());
    }
}
