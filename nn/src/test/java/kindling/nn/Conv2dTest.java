package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.autograd.GradCheck;
import kindling.nn.functional.Convolution;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class Conv2dTest {
    private static final GoldenCases GOLDEN = GoldenCases.CONV;

    /** Loads the case's weight and bias into {@code layer}, then compares output and every gradient. */
    private static void check(String name, Conv2d layer) {
        layer.weight.detach().copy_(GOLDEN.get(name + "_weight"));
        if (layer.bias != null) {
            layer.bias.detach().copy_(GOLDEN.get(name + "_bias"));
        }
        GOLDEN.check(name, layer);
    }

    @Test
    void matchesPyTorchForEveryOption() {
        check("conv_plain", new Conv2d(2, 3, 3));
        check("conv_stride2", Conv2d.builder(3, 4, 3).stride(2).build());
        check("conv_pad1", new Conv2d(2, 3, 3, 1, 1));
        check("conv_pad_hw", Conv2d.builder(2, 2, 3).kernelSize(3, 5).stride(2, 1).padding(1, 2).build());
        check("conv_same_odd", Conv2d.builder(2, 3, 5).padding("same").build());
        check("conv_same_even", Conv2d.builder(2, 3, 4).padding("same").build());
        check("conv_same_dilated", Conv2d.builder(2, 2, 2).kernelSize(2, 3).padding("same").dilation(3, 2).build());
        check("conv_dilation2", Conv2d.builder(2, 3, 3).dilation(2).padding(1).build());
        check("conv_groups2", Conv2d.builder(4, 6, 3).groups(2).padding(1).build());
        check("conv_depthwise", Conv2d.builder(3, 3, 3).groups(3).stride(2).padding(1).build());
        check("conv_nobias", Conv2d.builder(3, 2, 2).bias(false).build());
        check("conv_1x1", new Conv2d(5, 4, 1));
        check("conv_unbatched", new Conv2d(2, 3, 3, 1, 1));
        check("conv_lenet1", new Conv2d(1, 6, 5, 1, 2));
    }

    @Test
    void paddingMeansRowsAndColumnsOnBothSidesEverywhere() {
        // PyTorch's meaning in the function, the module's accessor and the transposed module alike.
        Generator generator = new Generator(8);
        Tensor x = Tensor.randn(generator, 1, 2, 6, 5);
        Conv2d layer = new Conv2d(2, 3, 3, 1, 1);
        assertArrayEquals(new int[] {1, 1}, layer.padding());
        assertArrayEquals(new int[] {1, 1}, new ConvTranspose2d(2, 3, 3, 1, 1).padding());
        Tensor pair = Convolution.conv2d(x, layer.weight, layer.bias, new int[] {1, 1}, layer.padding(),
                new int[] {1, 1}, 1);
        Tensor named = Convolution.conv2d("conv2d", x, layer.weight, layer.bias, new int[] {1, 1}, layer.padding(),
                new int[] {1, 1}, 1);
        Tensor sides = Convolution.conv2d(x, layer.weight, layer.bias, new int[] {1, 1}, layer.paddingSides(),
                new int[] {1, 1}, 1);
        assertArrayEquals(layer.forward(x).toArray(), pair.toArray(), 0f);
        assertArrayEquals(pair.toArray(), named.toArray(), 0f);
        assertArrayEquals(pair.toArray(), sides.toArray(), 0f);
        Conv2d even = Conv2d.builder(2, 3, 2).padding("same").build();         // total 1: the extra row below
        assertArrayEquals(new int[] {0, 0}, even.padding());
        assertArrayEquals(new int[] {0, 1, 0, 1}, even.paddingSides());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x,
                layer.weight, null, new int[] {1, 1}, new int[] {1, 1, 1}, new int[] {1, 1}, 1));
        assertTrue(bad.getMessage().contains("{p_h, p_w}") && bad.getMessage().contains("[1, 1, 1]"), bad.getMessage());
    }

    @Test
    void gradientsPassTheFiniteDifferenceCheck() {
        Generator generator = new Generator(3);
        List<Conv2d> layers = List.of(
                new Conv2d(2, 3, 3, 2, 1),
                Conv2d.builder(4, 2, 2).groups(2).dilation(2).padding("same").build(),
                Conv2d.builder(2, 2, 3).kernelSize(1, 3).bias(false).build());
        for (Conv2d layer : layers) {
            Tensor x = Tensor.randn(generator, 2, layer.inChannels(), 5, 4).requiresGrad_();
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), 1e-3, 1e-2, 1e-2, x);
            assertTrue(r.passed(), layer + " (input): " + r);
            GradCheck.Result rw = GradCheck.check(in -> Convolution.conv2d("conv2d", in[0], in[1], in[2],
                    layer.stride(), layer.padding(), layer.dilation(), layer.groups()),
                    1e-3, 1e-2, 1e-2, x.detach(), layer.weight.detach().copy().requiresGrad_(),
                    Tensor.randn(generator, layer.outChannels()).requiresGrad_());
            assertTrue(rw.passed(), layer + " (weight, bias): " + rw);
        }
    }

    @Test
    void parametersHavePyTorchsShapesNamesAndInitBounds() {
        Conv2d conv = Conv2d.builder(4, 6, 3).groups(2).build();
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {6, 2, 3, 3}, conv.weight.shape());
        assertArrayEquals(new int[] {6}, conv.bias.shape());
        double bound = 1 / Math.sqrt(2 * 3 * 3);
        assertTrue(conv.weight.abs().max().item() <= bound);
        assertTrue(conv.bias.abs().max().item() <= bound);
        assertTrue(conv.weight.abs().max().item() > bound / 2, "drawn from the whole interval");
        assertNull(Conv2d.builder(1, 1, 1).bias(false).build().bias);
        assertEquals(6 * 2 * 9 + 6, conv.numParameters());
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))", new Conv2d(1, 6, 5, 1, 2).toString());
        assertEquals("Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2), groups=4, bias=False)",
                Conv2d.builder(4, 4, 3).padding("same").dilation(2).groups(4).bias(false).build().toString());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 1))",
                Conv2d.builder(3, 8, 3).kernelSize(3, 5).stride(2, 1).padding("valid").build().toString());
    }

    @Test
    void shapeErrorsNameTheLayerItsPathAndTheShapes() {
        Sequential features = new Sequential(new Conv2d(3, 16, 5));
        Sequential model = new Sequential();
        model.add("features", features);
        ShapeException e = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(8, 1, 28, 28)));
        assertEquals("Conv2d(3, 16, kernel_size=(5, 5), stride=(1, 1)) at features.0: expected input (N, 3, H, W) but got (8, 1, 28, 28)",
                e.getMessage());
        ShapeException small = assertThrows(ShapeException.class, () -> new Conv2d(1, 1, 5).forward(Tensor.zeros(1, 1, 3, 3)));
        assertTrue(small.getMessage().startsWith("Conv2d(1, 1, kernel_size=(5, 5), stride=(1, 1)): input (1, 1, 3, 3) is too small for kernel (5, 5)"),
                small.getMessage());
    }

    @Test
    void badArgumentsNameTheValue() {
        assertEquals("Conv2d(in=3, out=4): inChannels 3 is not divisible by groups 2",
                assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).groups(2).build()).getMessage());
        assertEquals("Conv2d(in=3, out=4): padding=\"same\" needs stride 1, got [2, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> Conv2d.builder(3, 4, 3).padding("same").stride(2).build()).getMessage());
        assertEquals("Conv2d: padding must be \"same\", \"valid\" or a number, got \"full\"",
                assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).padding("full")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 0, 0));
    }

    @Test
    void stateDictRoundTripsAndSamePaddingKeepsTheSize() {
        Conv2d a = Conv2d.builder(2, 3, 4).padding("same").build();
        Conv2d b = Conv2d.builder(2, 3, 4).padding("same").build();
        b.loadStateDict(a.stateDict());
        Tensor x = Tensor.randn(new Generator(1), 1, 2, 7, 6);
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
        assertArrayEquals(new int[] {1, 3, 7, 6}, a.forward(x).shape());
    }
}
