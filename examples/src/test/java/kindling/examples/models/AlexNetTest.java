package kindling.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import kindling.nn.Sequential;
import kindling.tensor.Generator;
import org.junit.jupiter.api.Test;

class AlexNetTest {
    @Test
    void theShapeTraceAt224IsTheBooks() {
        // d2l 0.17, §7.1.2, with torch.Size([1, 96, 54, 54]) written as (1, 96, 54, 54).
        assertEquals("""
                Conv2d output shape:\t(1, 96, 54, 54)
                ReLU output shape:\t(1, 96, 54, 54)
                MaxPool2d output shape:\t(1, 96, 26, 26)
                Conv2d output shape:\t(1, 256, 26, 26)
                ReLU output shape:\t(1, 256, 26, 26)
                MaxPool2d output shape:\t(1, 256, 12, 12)
                Conv2d output shape:\t(1, 384, 12, 12)
                ReLU output shape:\t(1, 384, 12, 12)
                Conv2d output shape:\t(1, 384, 12, 12)
                ReLU output shape:\t(1, 384, 12, 12)
                Conv2d output shape:\t(1, 256, 12, 12)
                ReLU output shape:\t(1, 256, 12, 12)
                MaxPool2d output shape:\t(1, 256, 5, 5)
                Flatten output shape:\t(1, 6400)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(AlexNet.d2l(), 224));
    }

    @Test
    void theBooksAlexNetHas46764746Parameters() {
        // conv: 96·(1·121 + 1) + 256·(96·25 + 1) + 384·(256·9 + 1) + 384·(384·9 + 1) + 256·(384·9 + 1)
        long conv = 11_712 + 614_656 + 885_120 + 1_327_488 + 884_992;
        // linear: 4096·(6400 + 1) + 4096·(4096 + 1) + 10·(4096 + 1); PyTorch counts the same
        long linear = 26_218_496 + 16_781_312 + 40_970;
        assertEquals(conv + linear, ModelChecks.parameters(AlexNet.d2l()));
        assertEquals(46_764_746, conv + linear);
    }

    @Test
    void theSmallVariantKeepsTheLayersAndEndsAtOnePixel() {
        assertEquals("""
                Conv2d output shape:\t(1, 24, 15, 15)
                ReLU output shape:\t(1, 24, 15, 15)
                MaxPool2d output shape:\t(1, 24, 7, 7)
                Conv2d output shape:\t(1, 64, 7, 7)
                ReLU output shape:\t(1, 64, 7, 7)
                MaxPool2d output shape:\t(1, 64, 3, 3)
                Conv2d output shape:\t(1, 96, 3, 3)
                ReLU output shape:\t(1, 96, 3, 3)
                Conv2d output shape:\t(1, 96, 3, 3)
                ReLU output shape:\t(1, 96, 3, 3)
                Conv2d output shape:\t(1, 64, 3, 3)
                ReLU output shape:\t(1, 64, 3, 3)
                MaxPool2d output shape:\t(1, 64, 1, 1)
                Flatten output shape:\t(1, 64)
                Linear output shape:\t(1, 512)
                ReLU output shape:\t(1, 512)
                Dropout output shape:\t(1, 512)
                Linear output shape:\t(1, 512)
                ReLU output shape:\t(1, 512)
                Dropout output shape:\t(1, 512)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(AlexNet.small(), AlexNet.SMALL_INPUT));
        // The same arithmetic as above with widths 24, 64, 96, 96, 64 and 512 hidden units; PyTorch agrees.
        assertEquals(536_250, ModelChecks.parameters(AlexNet.small()));
    }

    @Test
    void theSmallVariantOverfitsOneBatch() throws IOException {
        Generator.manualSeed(0);
        Sequential net = AlexNet.small();
        // Dropout slows memorising: measured 1.6 after 25 steps, 0.14 after 100, 0.001 after 150.
        float loss = ModelChecks.overfitLoss(net, 16, AlexNet.SMALL_INPUT, 0.001f, 150);
        assertTrue(loss < 0.1, "small AlexNet's loss on 16 images after 150 Adam steps: " + loss);
    }
}
