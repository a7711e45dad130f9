package kindling.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import kindling.nn.Sequential;
import kindling.tensor.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VggTest {
    /** The book's VGG-11, built once: 128.8 million parameters take seconds to initialise. */
    private static Sequential vgg11;

    @BeforeAll
    static void buildVgg11() {
        vgg11 = Vgg.vgg11();
    }

    @AfterAll
    static void dropVgg11() {
        vgg11 = null;
    }
    @Test
    void vgg11sShapeTraceAt224IsTheBooks() {
        // d2l 0.17, §7.2.2: each block prints as one Sequential.
        assertEquals("""
                Sequential output shape:\t(1, 64, 112, 112)
                Sequential output shape:\t(1, 128, 56, 56)
                Sequential output shape:\t(1, 256, 28, 28)
                Sequential output shape:\t(1, 512, 14, 14)
                Sequential output shape:\t(1, 512, 7, 7)
                Flatten output shape:\t(1, 25088)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(vgg11, 224));
    }

    @Test
    void vgg11Has128806154Parameters() {
        // conv (k = 3): 64·(1·9+1) + 128·(64·9+1) + 256·(128·9+1) + 256·(256·9+1)
        //             + 512·(256·9+1) + 512·(512·9+1) + 2 · 512·(512·9+1)
        long conv = 640 + 73_856 + 295_168 + 590_080 + 1_180_160 + 2_359_808 + 2 * 2_359_808;
        // linear: 4096·(25088+1) + 4096·(4096+1) + 10·(4096+1); PyTorch counts the same
        long linear = 102_764_544 + 16_781_312 + 40_970;
        assertEquals(128_806_154, conv + linear);
        assertEquals(conv + linear, ModelChecks.parameters(vgg11));
    }

    @Test
    void theBooksSmallVggHasAQuarterOfTheChannels() {
        // d2l 0.17, §7.2.3: ratio = 4, small_conv_arch, still at 224×224 and 4096 hidden units;
        // Vgg.d2l() builds it as vgg(narrow(VGG11, 4), 224, 4096).
        Sequential small = Vgg.d2l();
        assertEquals("""
                Sequential output shape:\t(1, 16, 112, 112)
                Sequential output shape:\t(1, 32, 56, 56)
                Sequential output shape:\t(1, 64, 28, 28)
                Sequential output shape:\t(1, 128, 14, 14)
                Sequential output shape:\t(1, 128, 7, 7)
                Flatten output shape:\t(1, 6272)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 4096)
                ReLU output shape:\t(1, 4096)
                Dropout output shape:\t(1, 4096)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(small, 224));
        assertEquals(43_093_322, ModelChecks.parameters(small));
    }

    @Test
    void theCpuVariantTraceAndParameters() {
        assertEquals("""
                Sequential output shape:\t(1, 8, 16, 16)
                Sequential output shape:\t(1, 16, 8, 8)
                Sequential output shape:\t(1, 32, 4, 4)
                Sequential output shape:\t(1, 64, 2, 2)
                Sequential output shape:\t(1, 64, 1, 1)
                Flatten output shape:\t(1, 64)
                Linear output shape:\t(1, 256)
                ReLU output shape:\t(1, 256)
                Dropout output shape:\t(1, 256)
                Linear output shape:\t(1, 256)
                ReLU output shape:\t(1, 256)
                Dropout output shape:\t(1, 256)
                Linear output shape:\t(1, 10)
                """, ModelChecks.trace(Vgg.small(), Vgg.SMALL_INPUT));
        assertEquals(229_418, ModelChecks.parameters(Vgg.small()));
    }

    @Test
    void blocksAndSizesAreChecked() {
        Sequential block = Vgg.block(2, 3, 8);
        assertEquals("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (1): ReLU()\n"
                + "  (2): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (3): ReLU()\n"
                + "  (4): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n)",
                block.toString().replace(System.lineSeparator(), "\n"));
        String message = assertThrows(IllegalArgumentException.class,
                () -> Vgg.vgg(Vgg.VGG11, 28, 256)).getMessage();
        assertTrue(message.contains("multiple of 32") && message.contains("got 28"), message);
        assertEquals(List.of(new Vgg.Block(1, 8), new Vgg.Block(2, 64)),
                Vgg.narrow(List.of(new Vgg.Block(1, 32), new Vgg.Block(2, 256)), 4));
    }

    @Test
    void theCpuVariantOverfitsOneBatch() throws IOException {
        Generator.manualSeed(0);
        Sequential net = Vgg.small();
        // Learning rate 0.002: at 0.003 Adam memorised the batch (training loss 0.0007 at step 130) and
        // then blew up (2.05 at step 140), or did not, depending on the last bits of the convolutions'
        // sums: once the loss nears zero its second-moment estimates shrink and a step can overshoot.
        // At 0.002, with either rounding, the training loss was 0.15 after 90 steps and below 0.006
        // after 140.
        float loss = ModelChecks.overfitLoss(net, 16, Vgg.SMALL_INPUT, 0.002f, 150);
        assertTrue(loss < 0.1, "small VGG's loss on 16 images after 150 Adam steps: " + loss);
    }
}
