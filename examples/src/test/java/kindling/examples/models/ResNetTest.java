package kindling.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.nn.BasicBlock;
import kindling.nn.Conv2d;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ResNetTest {
    @Test
    void theShapeTraceIsTheBooks() {
        // d2l 0.17, §7.6, the trace of one 96×96 image (the size the book trains at), with
        // torch.Size([1, 64, 24, 24]) written as (1, 64, 24, 24).
        assertEquals("""
                Sequential output shape:\t(1, 64, 24, 24)
                Sequential output shape:\t(1, 64, 24, 24)
                Sequential output shape:\t(1, 128, 12, 12)
                Sequential output shape:\t(1, 256, 6, 6)
                Sequential output shape:\t(1, 512, 3, 3)
                AdaptiveAvgPool2d output shape:\t(1, 512, 1, 1)
                Flatten output shape:\t(1, 512)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(ResNet.d2l(), 96));
    }

    @Test
    void theSmallVariantHalvesTheSizeAtEachStage() {
        assertEquals("""
                Sequential output shape:\t(1, 16, 14, 14)
                Sequential output shape:\t(1, 16, 14, 14)
                Sequential output shape:\t(1, 32, 7, 7)
                Sequential output shape:\t(1, 64, 4, 4)
                Sequential output shape:\t(1, 128, 2, 2)
                AdaptiveAvgPool2d output shape:\t(1, 128, 1, 1)
                Flatten output shape:\t(1, 128)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(ResNet.small(), 28));
    }

    @Test
    void parameterCountsAddUp() {
        Sequential net = ResNet.d2l();
        // PyTorch counts 11,178,378 for the book's code; its conv biases in the blocks (3,840) and its
        // projection biases (896) are not here, the projection's BatchNorm (2·(128 + 256 + 512)) is.
        assertEquals(11_178_378 - 3_840 - 896 + 1_792, net.numParameters());
        long stem = 64 * 49 + 64 + 2 * 64;
        long stages = 4 * (9L * 64 * 64 + 2 * 64)
                + blockWithProjection(64, 128) + block(128)
                + blockWithProjection(128, 256) + block(256)
                + blockWithProjection(256, 512) + block(512);
        assertEquals(stem + stages + 512 * 10 + 10, net.numParameters());
        assertTrue(net.get(1) instanceof Sequential stage && stage.get(0) instanceof BasicBlock);
        // The CPU variant: stem conv 16·9 + 16 and its BN, four stages, Linear(128, 10).
        long small = 16 * 9 + 16 + 2 * 16 + 2 * block(16)
                + blockWithProjection(16, 32) + block(32)
                + blockWithProjection(32, 64) + block(64)
                + blockWithProjection(64, 128) + block(128) + 128 * 10 + 10;
        assertEquals(701_194, small);
        assertEquals(small, Summary.of(ResNet.small(), 1, 1, 28, 28).totalParameters());
    }

    @Test
    void theBooksNetworkIsXavierInitialisedAsTrainCh6Does() {
        Sequential stem = (Sequential) ResNet.d2l().get(0);
        Tensor weight = ((Conv2d) stem.get(0)).weight;          // (64, 1, 7, 7): fan_in 49, fan_out 3,136
        double xavier = Math.sqrt(6.0 / (49 + 64 * 49));          // 0.0434; PyTorch's default would be 1/7
        double largest = weight.abs().max().item();
        assertTrue(largest <= xavier && largest > 0.9 * xavier, "largest |w| " + largest + ", Xavier bound " + xavier);
    }

    private static long block(int c) {
        return 2 * (9L * c * c + 2 * c);
    }

    private static long blockWithProjection(int in, int out) {
        return 9L * in * out + 9L * out * out + 4 * out + (long) in * out + 2 * out;
    }

    @Test
    void theSmallVariantOverfitsOneSmallBatch() throws IOException {
        Generator.manualSeed(0);
        ImageData data = FashionMnist.loadBundledSubset();
        Tensor images = data.train().inputs().narrow(0, 0, 16);
        Tensor targets = data.train().targets().narrow(0, 0, 16);
        Sequential net = ResNet.small();
        Optimizer optimizer = Adam.builder(net.parameters()).lr(0.01f).build();
        CrossEntropyLoss loss = new CrossEntropyLoss();
        float last = Float.NaN;
        // From ln 10 ≈ 2.3; 2·10⁻⁴ after 30 steps with seed 0, so 0.05 leaves a wide margin.
        for (int step = 0; step < 30; step++) {
            Tensor l = loss.forward(net.forward(images), targets);
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
            last = l.item();
        }
        assertTrue(last < 0.05, "small ResNet's loss on 16 images after 30 steps: " + last);
    }
}
