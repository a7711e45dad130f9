package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.autograd.GradCheck;
import kindling.autograd.NoGrad;
import kindling.nn.functional.Convolution;
import kindling.ops.MacCounter;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConvTranspose2dTest {
    private static final GoldenCases GOLDEN = GoldenCases.CONV_TRANSPOSE;

    /** Loads the case's weight and bias into {@code layer}, then compares output and every gradient. */
    private static void check(String name, ConvTranspose2d layer) {
        layer.weight.detach().copy_(GOLDEN.get(name + "_weight"));
        if (layer.bias != null) {
            layer.bias.detach().copy_(GOLDEN.get(name + "_bias"));
        }
        GOLDEN.check(name, layer);
    }

    @Test
    void matchesPyTorchForEveryOption() {
        check("convt_plain", new ConvTranspose2d(2, 3, 3));
        check("convt_stride2", ConvTranspose2d.builder(3, 2, 3).stride(2).build());
        check("convt_stride2_outpad1", ConvTranspose2d.builder(2, 3, 3).stride(2).padding(1).outputPadding(1).build());
        check("convt_pad_hw", ConvTranspose2d.builder(2, 2, 3).kernelSize(3, 5).stride(2, 1).padding(1, 2).build());
        check("convt_outpad_dilation", ConvTranspose2d.builder(2, 2, 3).dilation(2).outputPadding(1).build());
        check("convt_dilation2", ConvTranspose2d.builder(2, 3, 3).dilation(2).padding(1).build());
        check("convt_groups2", ConvTranspose2d.builder(4, 6, 3).groups(2).stride(2).padding(1).build());
        check("convt_depthwise", ConvTranspose2d.builder(3, 3, 4).groups(3).stride(2).padding(1).build());
        check("convt_nobias", ConvTranspose2d.builder(3, 2, 2).stride(2).bias(false).build());
        check("convt_1x1", new ConvTranspose2d(5, 4, 1));
        check("convt_unbatched", ConvTranspose2d.builder(2, 3, 3).stride(2).padding(1).outputPadding(1).build());
    }

    @Test
    void gradientsPassTheFiniteDifferenceCheck() {
        Generator generator = new Generator(5);
        List<ConvTranspose2d> layers = List.of(
                ConvTranspose2d.builder(2, 3, 3).stride(2).padding(1).outputPadding(1).build(),
                ConvTranspose2d.builder(4, 2, 2).groups(2).dilation(2).build(),
                ConvTranspose2d.builder(2, 2, 3).kernelSize(1, 3).stride(1, 2).bias(false).build());
        for (ConvTranspose2d layer : layers) {
            Tensor x = Tensor.randn(generator, 2, layer.inChannels(), 3, 4).requiresGrad_();
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), 1e-3, 1e-2, 1e-2, x);
            assertTrue(r.passed(), layer + " (input): " + r);
            GradCheck.Result rw = GradCheck.check(in -> Convolution.convTranspose2d(in[0], in[1], in[2],
                    layer.stride(), layer.padding(), layer.outputPadding(), layer.dilation(), layer.groups()),
                    1e-3, 1e-2, 1e-2, x.detach(), layer.weight.detach().copy().requiresGrad_(),
                    Tensor.randn(generator, layer.outChannels()).requiresGrad_());
            assertTrue(rw.passed(), layer + " (weight, bias): " + rw);
        }
    }

    @Test
    void anInputUsedTwiceAccumulatesItsGradient() {
        ConvTranspose2d layer = ConvTranspose2d.builder(2, 2, 3).stride(2).build();
        Tensor x = Tensor.randn(new Generator(2), 1, 2, 3, 3).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]).add(layer.forward(in[0].mul(in[0]))),
                1e-3, 1e-2, 1e-2, x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void parametersHavePyTorchsShapesNamesAndInitBounds() {
        ConvTranspose2d conv = ConvTranspose2d.builder(4, 6, 3).groups(2).build();
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {4, 3, 3, 3}, conv.weight.shape());   // (C_in, C_out/groups, kH, kW)
        assertArrayEquals(new int[] {6}, conv.bias.shape());
        double bound = 1 / Math.sqrt(3 * 3 * 3);                           // fan_in = dim 1 · kH · kW = 27
        assertTrue(conv.weight.abs().max().item() <= bound);
        assertTrue(conv.bias.abs().max().item() <= bound);
        assertTrue(conv.weight.abs().max().item() > bound / 2, "drawn from the whole interval");
        assertNull(ConvTranspose2d.builder(1, 1, 1).bias(false).build().bias);
        assertEquals(4 * 3 * 9 + 6, conv.numParameters());
    }

    @Test
    void printsAsPyTorch() {
        // The lines printed by tools/golden/gen_conv_transpose.py (PyTorch 1.13).
        assertEquals("ConvTranspose2d(16, 33, kernel_size=(3, 3), stride=(2, 2))",
                ConvTranspose2d.builder(16, 33, 3).stride(2).build().toString());
        assertEquals("ConvTranspose2d(16, 33, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2))",
                ConvTranspose2d.builder(16, 33, 3).kernelSize(3, 5).stride(2, 1).padding(4, 2).build().toString());
        assertEquals("ConvTranspose2d(4, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
                        + "output_padding=(1, 1), groups=4, bias=False)",
                ConvTranspose2d.builder(4, 4, 3).stride(2).padding(1).outputPadding(1).dilation(2).groups(4)
                        .bias(false).build().toString());
    }

    @Test
    void outputSizeAndMacs() {
        ConvTranspose2d up = ConvTranspose2d.builder(8, 4, 3).stride(2).padding(1).outputPadding(1).build();
        try (NoGrad ignored = NoGrad.enter(); MacCounter.Counting counting = MacCounter.start()) {
            Tensor y = up.forward(Tensor.zeros(2, 8, 7, 7));
            assertArrayEquals(new int[] {2, 4, 14, 14}, y.shape());                 // (7−1)·2 − 2 + 2 + 1 + 1
            assertEquals(2L * 8 * 7 * 7 * 4 * 3 * 3, counting.total());             // N·C_in·H·W·(C_out/g)·k·k
        }
        assertArrayEquals(new int[] {4, 13, 13}, new ConvTranspose2d(8, 4, 3, 2, 1).forward(Tensor.zeros(8, 7, 7)).shape());
    }

    @Test
    void outputSizePicksTheOutputPaddingAsPyTorchDoes() {
        // Stride 3, padding 1, k 3: a 5×4 input reaches 13…15 rows and 10…12 columns.
        ConvTranspose2d up = ConvTranspose2d.builder(2, 3, 3).stride(3).padding(1).build();
        ConvTranspose2d padded = ConvTranspose2d.builder(2, 3, 3).stride(3).padding(1).outputPadding(2, 1).build();
        padded.weight.detach().copy_(up.weight.detach());
        padded.bias.detach().copy_(up.bias.detach());
        Tensor x = Tensor.randn(new Generator(7), 2, 2, 5, 4);
        Tensor y = up.forward(x, 15, 11);
        assertArrayEquals(new int[] {2, 3, 15, 11}, y.shape());
        assertArrayEquals(padded.forward(x).toArray(), y.toArray());
        assertArrayEquals(y.toArray(), up.forward(x, 2, 3, 15, 11).toArray());   // the whole shape; N and C are not read
        assertArrayEquals(new int[] {2, 3, 13, 10}, up.forward(x, 13, 10).shape());
        assertArrayEquals(new int[] {3, 14, 12}, up.forward(Tensor.zeros(2, 5, 4), 3, 14, 12).shape());

        Tensor leaf = x.detach().requiresGrad_();
        up.forward(leaf, 15, 11).sum().backward();
        Tensor leafPadded = x.detach().requiresGrad_();
        padded.forward(leafPadded).sum().backward();
        assertArrayEquals(leafPadded.grad().toArray(), leaf.grad().toArray());
    }

    @Test
    void outputSizeErrorsGiveTheReachableRange() {
        ConvTranspose2d up = new ConvTranspose2d(16, 8, 3, 2, 1);
        Tensor x = Tensor.zeros(1, 16, 7, 7);
        assertEquals("ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1)): requested an output "
                        + "size of [15, 14], but valid sizes range from [13, 13] to [14, 14] (for an input of [7, 7])",
                assertThrows(IllegalArgumentException.class, () -> up.forward(x, 15, 14)).getMessage());
        assertEquals("ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1)): for 4-D input, "
                        + "outputSize must have 2 or 4 elements, got [14]",
                assertThrows(IllegalArgumentException.class, () -> up.forward(x, 14)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> up.forward(x, 12, 13));
        assertThrows(ShapeException.class, () -> up.forward(Tensor.zeros(16, 7), 14, 14));
    }

    @Test
    void shapeErrorsNameTheLayerItsPathAndTheShapes() {
        Sequential decoder = new Sequential(new ConvTranspose2d(16, 8, 3, 2, 1));
        Sequential model = new Sequential();
        model.add("decoder", decoder);
        ShapeException e = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(2, 8, 7, 7)));
        assertEquals("ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1)) at decoder.0: expected input (N, 16, H, W) but got (2, 8, 7, 7)",
                e.getMessage());
        ShapeException small = assertThrows(ShapeException.class,
                () -> new ConvTranspose2d(1, 1, 1, 1, 1).forward(Tensor.zeros(1, 1, 2, 2)));
        assertTrue(small.getMessage().startsWith("ConvTranspose2d(1, 1, kernel_size=(1, 1), stride=(1, 1), padding=(1, 1)): input (1, 1, 2, 2)"), small.getMessage());
    }

    @Test
    void badArgumentsNameTheValue() {
        assertEquals("ConvTranspose2d(in=3, out=4): inChannels 3 is not divisible by groups 2",
                assertThrows(IllegalArgumentException.class,
                        () -> ConvTranspose2d.builder(3, 4, 3).groups(2).build()).getMessage());
        assertEquals("ConvTranspose2d(in=2, out=2): outputPadding must be >= 0 and smaller than either stride or "
                        + "dilation, got outputPadding [2, 2] with stride [2, 2] and dilation [1, 1]",
                assertThrows(IllegalArgumentException.class,
                        () -> ConvTranspose2d.builder(2, 2, 3).stride(2).outputPadding(2).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.builder(2, 2, 3).outputPadding(1).build());
        assertThrows(IllegalArgumentException.class, () -> Convolution.convTranspose2d(Tensor.zeros(1, 1, 3, 3),
                Tensor.zeros(1, 1, 3, 3), null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                new int[] {1, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 4, 3, 0, 0));
    }
}
