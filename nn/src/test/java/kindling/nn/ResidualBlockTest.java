package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import kindling.autograd.GradCheck;
import kindling.io.GoldenText;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ResidualBlockTest {
    private static final GoldenCases GOLDEN = GoldenCases.RESNET;

    /**
     * Loads the state dict PyTorch saved for the case (strictly: every key, num_batches_tracked
     * included), compares the eval-mode output, then the train-mode output, the gradients of the
     * input and every parameter, and the running statistics that training pass left behind.
     */
    private static void check(String name, Module block) throws IOException {
        block.load(GoldenText.path("resnet_" + name + ".safetensors"));
        block.eval();
        LayerGolden.assertClose(name + "_out_eval", GOLDEN.get(name + "_out_eval"), block.forward(GOLDEN.get(name + "_x")));
        block.train();
        GOLDEN.check(name, block);
        for (var buffer : block.namedBuffers().entrySet()) {
            if (buffer.getKey().contains("running")) {
                String key = name + "_after_" + buffer.getKey();
                LayerGolden.assertClose(key, GOLDEN.get(key), buffer.getValue());
            }
        }
    }

    @Test
    void torchvisionStateDictsLoadAndGiveTheSameOutputsAndGradients() throws IOException {
        check("basic_identity", new BasicBlock(4, 4, 1));
        check("basic_projection", new BasicBlock(4, 6, 2));
        check("bottleneck_identity", new Bottleneck(8, 2, 1));
        check("bottleneck_projection", new Bottleneck(4, 2, 2));
    }

    @Test
    void gradientsPassTheFiniteDifferenceCheck() {
        // Seeded, so the layers' initial weights do not depend on which tests ran before: a ReLU kink
        // that a finite difference steps across makes the numeric derivative meaningless there.
        Generator.manualSeed(4);
        Generator generator = new Generator(4);
        for (Module block : List.of(new BasicBlock(2, 3, 2), new Bottleneck(4, 1, 1))) {
            int inChannels = block instanceof BasicBlock b ? b.inChannels() : ((Bottleneck) block).inChannels();
            for (boolean training : new boolean[] {true, false}) {
                block.train(training);
                Tensor x = Tensor.randn(generator, 2, inChannels, 4, 3).requiresGrad_();
                GradCheck.Result r = GradCheck.check(in -> block.forward(in[0]), 1e-3, 1e-2, 1e-2, x);
                assertTrue(r.passed(), block.name() + (training ? " train: " : " eval: ") + r);
            }
        }
    }

    @Test
    void inPlaceReluAndSumGiveTheOutOfPlaceOutputAndGradientsToTheBit() {
        Generator.manualSeed(9);
        for (BasicBlock block : List.of(new BasicBlock(3, 3, 1), new BasicBlock(3, 5, 2))) {
            Tensor x = Tensor.randn(new Generator(1), 2, 3, 6, 5).requiresGrad_();
            Tensor y = block.forward(x);
            Tensor w = Tensor.randn(new Generator(2), y.shape());
            y.mul(w).sum().backward();
            List<float[]> inPlaceGrads = new java.util.ArrayList<>();
            inPlaceGrads.add(x.grad().toArray());
            block.parameters().forEach(p -> inPlaceGrads.add(p.grad().toArray()));
            block.zeroGrad();

            // The same block written out of place: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).
            Tensor x2 = Tensor.randn(new Generator(1), 2, 3, 6, 5).requiresGrad_();
            Tensor out = block.bn1.forward(block.conv1.forward(x2)).relu();
            out = block.bn2.forward(block.conv2.forward(out));
            Tensor identity = block.downsample == null ? x2 : block.downsample.forward(x2);
            Tensor y2 = out.add(identity).relu();
            y2.mul(w).sum().backward();
            assertArrayEquals(y2.toArray(), y.toArray());
            assertArrayEquals(x2.grad().toArray(), inPlaceGrads.get(0));
            for (int i = 0; i < block.parameters().size(); i++) {
                assertArrayEquals(block.parameters().get(i).grad().toArray(), inPlaceGrads.get(i + 1), "parameter " + i);
            }
        }
    }

    @Test
    void childrenAndKeysAreTorchvisions() {
        BasicBlock basic = new BasicBlock(64, 128, 2);
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean",
                "bn2.running_var", "bn2.num_batches_tracked", "downsample.0.weight", "downsample.1.weight",
                "downsample.1.bias", "downsample.1.running_mean", "downsample.1.running_var",
                "downsample.1.num_batches_tracked"), List.copyOf(basic.stateDict().keySet()));
        // print(torchvision.models.resnet.BasicBlock(64, 128, 2, downsample)) in PyTorch 1.13
        assertEquals("""
                BasicBlock(
                  (conv1): Conv2d(64, 128, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
                  (bn1): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (relu): ReLU(inplace=True)
                  (conv2): Conv2d(128, 128, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
                  (bn2): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (downsample): Sequential(
                    (0): Conv2d(64, 128, kernel_size=(1, 1), stride=(2, 2), bias=False)
                    (1): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  )
                )""", basic.toString());
        assertNull(new BasicBlock(8, 8, 1).downsample);
        assertNull(new Bottleneck(256, 64, 1).downsample);
        assertEquals(List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "relu", "downsample"),
                List.copyOf(new Bottleneck(64, 64, 1).namedChildren().keySet()));
    }

    @Test
    void parameterCountsAreTheClosedForms() {
        // 9·C_in·C_out + 9·C_out² + 4·C_out, plus C_in·C_out + 2·C_out for the projection.
        assertEquals(9 * 64 * 64 + 9 * 64 * 64 + 4 * 64, new BasicBlock(64, 64, 1).numParameters());
        assertEquals(9 * 64 * 128 + 9 * 128 * 128 + 4 * 128 + 64 * 128 + 2 * 128, new BasicBlock(64, 128, 2).numParameters());
        // ResNet-50's layer1.1: 256·64 + 9·64² + 64·256 weights, BN 2·(64 + 64 + 256).
        assertEquals(256 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256), new Bottleneck(256, 64, 1).numParameters());
    }

    @Test
    void summaryShowsOneRowPerBlock() {
        Sequential net = new Sequential(new BasicBlock(3, 4, 1), new Bottleneck(4, 2, 2));
        Summary summary = Summary.of(net, 1, 3, 8, 8);
        assertEquals(2, summary.rows().size());
        Summary.Row basic = summary.rows().get(0);
        assertEquals("BasicBlock", basic.type());
        assertArrayEquals(new int[] {1, 4, 8, 8}, basic.outputShape());
        assertEquals(new BasicBlock(3, 4, 1).numParameters(), basic.parameters());
        // conv1 64·4·27 + conv2 64·4·36 + projection 64·4·3
        assertEquals(64L * 4 * 27 + 64L * 4 * 36 + 64L * 4 * 3, basic.macs());
        Summary.Row bottleneck = summary.rows().get(1);
        assertEquals("Bottleneck", bottleneck.type());
        assertArrayEquals(new int[] {1, 8, 4, 4}, bottleneck.outputShape());
        // conv1 64·2·4 (at 8×8) + conv2 16·2·18 + conv3 16·8·2 + projection 16·8·4
        assertEquals(64L * 2 * 4 + 16L * 2 * 18 + 16L * 8 * 2 + 16L * 8 * 4, bottleneck.macs());
    }

    @Test
    void errorsNameTheBlockItsPathAndTheShape() {
        Sequential layer2 = new Sequential(new BasicBlock(64, 128, 2));
        Sequential model = new Sequential();
        model.add("layer2", layer2);
        ShapeException e = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(2, 32, 8, 8)));
        assertEquals("BasicBlock(in=64, out=128, stride=2) at layer2.0: expected input (N, 64, H, W) but got (2, 32, 8, 8)",
                e.getMessage());
        assertEquals("Bottleneck(in=4, width=1, stride=1): expected input (N, 4, H, W) but got (4, 8, 8)",
                assertThrows(ShapeException.class, () -> new Bottleneck(4, 1, 1).forward(Tensor.zeros(4, 8, 8))).getMessage());
        assertEquals("BasicBlock: stride must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new BasicBlock(4, 4, 0)).getMessage());
        assertEquals("Bottleneck: channels must be >= 1, got 4 and 0",
                assertThrows(IllegalArgumentException.class, () -> new Bottleneck(4, 0, 1)).getMessage());
    }
}
