package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The direct Vector API convolution against the textbook loops, whatever the kernel mode of the run. */
class ConvSimdTest {
    private final SplittableRandom random = new SplittableRandom(11);

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
    void matchesTheTextbookLoopsOnRandomGeometries() {
        // Widths past several panels of positions, channel counts off the filter block and the vector
        // width, strides, dilations, uneven padding, groups, batches of 1.
        for (int trial = 0; trial < 300; trial++) {
            int groups = 1 + random.nextInt(3);
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), groups * (1 + random.nextInt(5)),
                    1 + random.nextInt(40), 1 + random.nextInt(40), groups * (1 + random.nextInt(9)),
                    1 + random.nextInt(5), 1 + random.nextInt(5), 1 + random.nextInt(4), 1 + random.nextInt(4),
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
                    1 + random.nextInt(3), 1 + random.nextInt(3), groups);
            if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                assertMatches(g);
            }
        }
    }

    @Test
    void matchesTheTextbookLoopsOnTheBenchmarkLayers() {
        assertMatches(ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1));     // LeNet conv2
        assertMatches(ConvGeometry.of(2, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));    // ResNet 3×3
        assertMatches(ConvGeometry.of(1, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1)); // AlexNet conv1
        assertMatches(ConvGeometry.of(1, 3, 1, 1, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1));        // one pixel
    }

    @Test
    void smallPlanesGoToTheGemmPathAndTheBenchmarkLayersStayDirect() {
        // A 2×2 output (ResNet's last stage at 28×28 input) would fill a tenth of one panel at most.
        assertFalse(ConvSimd.suits(ConvGeometry.of(8, 64, 2, 2, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
        assertTrue(ConvSimd.suits(ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));     // LeNet conv2
        assertTrue(ConvSimd.suits(ConvGeometry.of(2, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));    // ResNet 3×3
        assertTrue(ConvSimd.suits(ConvGeometry.of(1, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1))); // AlexNet conv1
    }

    @Test
    void filtersThatSkipAPhaseOfTheStrideGoToTheGemmPathAndMatch() {
        // ResNet-18's downsampling shortcut: a 1×1 filter with stride 2 reads one phase plane of four.
        ConvGeometry shortcut = ConvGeometry.of(3, 8, 24, 24, 16, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1);
        assertFalse(ConvSimd.readsEveryPhase(shortcut));
        assertFalse(ConvSimd.suits(shortcut));
        // 3 taps 2 apart with stride 2 land on phase 0 only; with stride 3 on phases 0, 2 and 1.
        assertFalse(ConvSimd.readsEveryPhase(ConvGeometry.of(1, 2, 20, 20, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 1)));
        assertTrue(ConvSimd.readsEveryPhase(ConvGeometry.of(1, 2, 20, 20, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1)));
        // A 1×2 filter with stride (1, 2) reads both column phases; 1×1 with stride 1 has one phase.
        assertTrue(ConvSimd.readsEveryPhase(ConvGeometry.of(1, 2, 9, 12, 4, 1, 2, 1, 2, 0, 0, 0, 0, 1, 1, 1)));
        assertTrue(ConvSimd.readsEveryPhase(ConvGeometry.of(1, 2, 9, 12, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
        assertTrue(ConvSimd.readsEveryPhase(ConvGeometry.of(1, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1)));
        float[] x = randomArray(shortcut.batch() * shortcut.inChannels() * shortcut.height() * shortcut.width());
        float[] w = randomArray(shortcut.outChannels() * shortcut.patchSize());
        float[] gradY = randomArray(shortcut.batch() * shortcut.outChannels() * shortcut.outPlane());
        assertClose(ConvNaive.forward(x, w, null, shortcut), Conv2dKernels.forward(x, w, null, shortcut), "forward");
        assertClose(ConvNaive.backwardWeight(x, gradY, shortcut), Conv2dKernels.backwardWeight(x, gradY, shortcut), "dw");
        assertClose(ConvNaive.backwardInput(gradY, w, shortcut), Conv2dKernels.backwardInput(gradY, w, shortcut), "dx");
    }

    @Test
    void manyFiltersUseTheTwoVectorWeightKernelAndMatch() {
        // More filters per group than one vector holds (16 with AVX-512, 8 with AVX2), not a multiple
        // of two vectors, a tap count that is not a multiple of the 6- or 8-tap block, and groups.
        assertMatches(ConvGeometry.of(2, 3, 13, 9, 37, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertMatches(ConvGeometry.of(3, 4, 10, 11, 70, 2, 3, 2, 1, 0, 1, 1, 0, 1, 2, 2));
        assertMatches(ConvGeometry.of(1, 5, 7, 7, 33, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1));
    }

    @Test
    void weightGradientWalksEveryFlatPositionOrATableAndMatches() {
        // Every flat position (few extra columns: 'same' padding on a wide plane, groups) and the table
        // of valid positions (LeNet-like, 4 extra columns of 14; a strided layer like AlexNet's conv1),
        // with filter counts on and off the blocks, at 16 and 32 registers, and the same bits at any
        // thread count. Planes of 420 and 100 positions end in a part of a block of the transposition
        // of ∂L/∂y; on the flat walk its blocks span two output rows.
        ConvGeometry[] flat = {
            ConvGeometry.of(3, 5, 20, 21, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(9, 4, 18, 34, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
            ConvGeometry.of(2, 4, 12, 40, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),   // whole blocks of filters per group
        };
        ConvGeometry[] table = {
            ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(2, 3, 9, 12, 5, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(2, 2, 47, 65, 37, 7, 7, 4, 4, 1, 1, 1, 1, 1, 1, 1),
        };
        for (ConvGeometry g : flat) {
            assertTrue(ConvSimd.walksEveryPosition(new ConvSimd.Layout(g), g), g.toString());
            assertMatches(g);
        }
        for (ConvGeometry g : table) {
            assertFalse(ConvSimd.walksEveryPosition(new ConvSimd.Layout(g), g), g.toString());
            assertMatches(g);
        }
        int before = Threads.get();
        try {
            ConvGeometry g = flat[1];
            float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
            float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
            Threads.set(1);
            float[] one = ConvSimd.backwardWeight(x, gradY, g);
            Threads.set(3);
            assertArrayEquals(one, ConvSimd.backwardWeight(x, gradY, g), g + " threads");
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void inputGradientAsADirectConvolutionMatchesTheTextbookLoops() {
        // In simd mode ∂L/∂x of a stride-1 layer is the direct convolution by the flipped filters at any
        // channel count: few input channels (a partial filter block), dilation, uneven padding, groups.
        ConvGeometry[] layers = {
            ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(2, 1, 9, 23, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(1, 4, 11, 8, 6, 3, 2, 1, 1, 2, 1, 0, 1, 2, 1, 2),
        };
        KernelMode before = Kernels.setMode(KernelMode.SIMD);
        try {
            for (ConvGeometry g : layers) {
                assertTrue(Conv2dKernels.gradientAsConvolution(g) != null, g.toString());
                float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                float[] w = randomArray(g.outChannels() * g.patchSize());
                assertClose(ConvNaive.backwardInput(gradY, w, g), Conv2dKernels.backwardInput(gradY, w, g), g + " dx");
            }
        } finally {
            Kernels.setMode(before);
        }
    }

    @Test
    void theSmallVggLayersMatchTheTextbookLoops() {
        // 3×3 convolutions with padding 1 on planes from 32×32 down to 2×2 (the rows next to an edge skip
        // the filter rows that read only padding), each through Conv2dKernels, so whichever path the
        // layer takes: forward, ∂L/∂x and ∂L/∂W. The layers run twice in turn, so each call finds the
        // per-thread buffers left behind by a layer of another shape.
        int[][] layers = {{1, 8, 32}, {8, 16, 16}, {16, 32, 8}, {32, 32, 8}, {32, 64, 4}, {64, 64, 4}, {64, 64, 2}};
        KernelMode before = Kernels.setMode(KernelMode.SIMD);
        try {
            for (int pass = 0; pass < 2; pass++) {
                for (int[] layer : layers) {
                    ConvGeometry g = ConvGeometry.of(16, layer[0], layer[2], layer[2], layer[1], 3, 3, 1, 1,
                            1, 1, 1, 1, 1, 1, 1);
                    float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
                    float[] w = randomArray(g.outChannels() * g.patchSize());
                    float[] bias = randomArray(g.outChannels());
                    float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                    assertClose(ConvNaive.forward(x, w, bias, g), Conv2dKernels.forward(x, w, bias, g), g + " forward");
                    assertClose(ConvNaive.backwardInput(gradY, w, g), Conv2dKernels.backwardInput(gradY, w, g), g + " dx");
                    assertClose(ConvNaive.backwardWeight(x, gradY, g), Conv2dKernels.backwardWeight(x, gradY, g), g + " dw");
                }
            }
        } finally {
            Kernels.setMode(before);
        }
    }

    @Test
    void col2imByPhaseIsCol2imToTheBit() {
        // Strides 1 to 4 on either axis, dilations, uneven padding, kernels wider than the image,
        // several images side by side in col, and AlexNet's conv1 (rows of 54, not whole vectors).
        for (int trial = 0; trial < 200; trial++) {
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), 1 + random.nextInt(4),
                    1 + random.nextInt(30), 1 + random.nextInt(30), 1 + random.nextInt(3),
                    1 + random.nextInt(6), 1 + random.nextInt(6), 1 + random.nextInt(4), 1 + random.nextInt(4),
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
                    1 + random.nextInt(3), 1 + random.nextInt(3), 1);
            if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                assertCol2imByPhaseMatches(g);
            }
        }
        assertCol2imByPhaseMatches(ConvGeometry.of(2, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1));
    }

    private void assertCol2imByPhaseMatches(ConvGeometry g) {
        int columns = g.batch() * g.outPlane();
        float[] col = randomArray(g.inChannels() * g.kernelH() * g.kernelW() * columns);
        float[] expected = new float[g.batch() * g.inChannels() * g.height() * g.width()];
        float[] actual = new float[expected.length];
        for (int n = 0; n < g.batch(); n++) {
            Im2Col.col2im(col, n, columns, g, n, expected);
            Col2ImSimd.col2imByPhase(col, n, columns, g, n, actual);
        }
        assertArrayEquals(expected, actual, g.toString());
    }

    @Test
    void stridedInputGradientMatchesTheTextbookLoops() {
        // In simd mode ∂L/∂x of a strided layer is Wᵀ · ∂L/∂Y, then col2im by phase.
        KernelMode before = Kernels.setMode(KernelMode.SIMD);
        try {
            for (int trial = 0; trial < 60; trial++) {
                int groups = 1 + random.nextInt(2);
                ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), groups * (1 + random.nextInt(3)),
                        1 + random.nextInt(25), 1 + random.nextInt(25), groups * (1 + random.nextInt(4)),
                        1 + random.nextInt(5), 1 + random.nextInt(5), 2 + random.nextInt(3), 1 + random.nextInt(4),
                        random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
                        1 + random.nextInt(2), 1 + random.nextInt(2), groups);
                if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                    float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                    float[] w = randomArray(g.outChannels() * g.patchSize());
                    assertClose(ConvNaive.backwardInput(gradY, w, g), Conv2dKernels.backwardInput(gradY, w, g), g + " dx");
                }
            }
        } finally {
            Kernels.setMode(before);
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        ConvGeometry g = ConvGeometry.of(11, 5, 17, 19, 13, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1);   // 11 images: 8 partial sums of dW
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        int before = Threads.get();
        try {
            Threads.set(1);
            float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
            float[] one = ConvSimd.forward(x, w, bias, g);
            float[] dwOne = ConvSimd.backwardWeight(x, gradY, g);
            Threads.set(3);
            assertArrayEquals(one, ConvSimd.forward(x, w, bias, g));
            assertArrayEquals(dwOne, ConvSimd.backwardWeight(x, gradY, g));
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void imagesStagedBeforeTheOutputExistsAreStoredWhenItIsAllocated() {
        ConvSimd.Output output = new ConvSimd.Output(4);
        assertNull(output.ready());
        assertTrue(output.stage(y -> y[1] = 7f, 1));                  // before y: kept
        assertNull(output.ready());
        float[] y = output.array();                                   // allocates and runs the staged store
        assertEquals(7f, y[1]);
        assertTrue(output.stage(into -> into[2] = 5f, 1));           // after: stored at once
        assertEquals(5f, y[2]);
        assertSame(y, output.array());
    }

    @Test
    void stagingStopsAtItsBudgetAndTheThreadWaitsForTheOutputInstead() {
        ConvSimd.Output output = new ConvSimd.Output(4);
        assertTrue(output.stage(y -> y[0] = 1f, ConvSimd.Output.MAX_STAGED_FLOATS));
        assertFalse(output.stage(y -> y[3] = 3f, 1));                // over the budget: not kept
        float[] y = output.array();
        assertEquals(1f, y[0]);
        assertEquals(0f, y[3]);
    }

    @Test
    void resNetSmallFirstStageIsBitIdenticalForAnyThreadCountAndMatches() {
        // 16 → 16 channels on 14×14 planes: images take a few microseconds each, so at 2 and 3 threads
        // the first ones are computed while image 0's task allocates y, and go through staging.
        ConvGeometry g = ConvGeometry.of(48, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        assertClose(ConvNaive.forward(x, w, bias, g), ConvSimd.forward(x, w, bias, g), g + " forward");
        int before = Threads.get();
        try {
            Threads.set(1);
            float[] one = ConvSimd.forward(x, w, bias, g);
            for (int threads : new int[] {2, 3}) {
                Threads.set(threads);
                for (int repeat = 0; repeat < 20; repeat++) {
                    assertArrayEquals(one, ConvSimd.forward(x, w, bias, g), threads + " threads");
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void filterCountsThatThreeDividesUseTheThreeFilterKernelAndMatch() {
        assertEquals(ConvSimd.NARROW_MR, ConvSimd.filtersPerBlock(6, 16));
        assertEquals(ConvSimd.NARROW_MR, ConvSimd.filtersPerBlock(9, 16));
        assertEquals(ConvSimd.MR, ConvSimd.filtersPerBlock(16, 16));
        // With 32 registers: blocks of 8 or 6 filters where they pad no more than 4 or 3 would.
        assertEquals(8, ConvSimd.filtersPerBlock(16, 32));
        assertEquals(8, ConvSimd.filtersPerBlock(96, 32));
        assertEquals(6, ConvSimd.filtersPerBlock(6, 32));
        assertEquals(6, ConvSimd.filtersPerBlock(5, 32));
        assertEquals(ConvSimd.MR, ConvSimd.filtersPerBlock(4, 32));
        assertEquals(ConvSimd.NARROW_MR, ConvSimd.filtersPerBlock(3, 32));
        assertMatches(ConvGeometry.of(3, 16, 10, 10, 6, 5, 5, 1, 1, 4, 4, 4, 4, 1, 1, 1));   // LeNet conv2's ∂L/∂x
        assertMatches(ConvGeometry.of(2, 4, 11, 13, 9, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1));
        assertMatches(ConvGeometry.of(2, 3, 9, 9, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void biasGradientMatchesTheTextbookSumAndIsBitIdenticalForAnyThreadCount() {
        ConvGeometry[] geometries = {
            ConvGeometry.of(3, 1, 30, 29, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // planes of 870: vectors and a tail
            ConvGeometry.of(5, 2, 4, 4, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1),      // planes of 9: shorter than a vector
            ConvGeometry.of(2, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1),
        };
        int before = Threads.get();
        try {
            for (ConvGeometry g : geometries) {
                float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                Threads.set(1);
                float[] one = ConvSimd.sumPerChannel(gradY, g.batch(), g.outChannels(), g.outPlane());
                assertClose(ConvNaive.backwardBias(gradY, g), one, g + " db");
                Threads.set(3);
                assertArrayEquals(one, ConvSimd.sumPerChannel(gradY, g.batch(), g.outChannels(), g.outPlane()), g + " db threads");
            }
        } finally {
            Threads.set(before);
        }
    }

    private void assertMatches(ConvGeometry g) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        float[] expected = ConvNaive.forward(x, w, bias, g);
        float[] expectedNoBias = ConvNaive.forward(x, w, null, g);
        // The micro-kernels for 16 and 32 vector registers, whichever this machine has.
        for (int registers : new int[] {16, 32}) {
            assertClose(expected, ConvSimd.forward(x, w, bias, g, registers), g + " forward, registers " + registers);
            assertClose(expectedNoBias, ConvSimd.forward(x, w, null, g, registers), g + " no bias, registers " + registers);
        }
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        float[] expectedGradW = ConvNaive.backwardWeight(x, gradY, g);
        for (int registers : new int[] {16, 32}) {
            assertClose(expectedGradW, ConvSimd.backwardWeight(x, gradY, g, registers), g + " dw, registers " + registers);
        }
    }

    @Test
    void weightGradientTakesFourVectorsOfFiltersOnlyOnTheFlatWalk() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        // With 32 registers, the blocks that pad the filters least, the most vectors on a tie; four
        // only where every position is walked (the table walk ran slower with them).
        assertEquals(4, ConvSimd.weightBlockVectors(4 * lanes, 32, true));
        assertEquals(2, ConvSimd.weightBlockVectors(4 * lanes, 32, false));
        assertEquals(4, ConvSimd.weightBlockVectors(8 * lanes, 32, true));
        assertEquals(3, ConvSimd.weightBlockVectors(3 * lanes, 32, true));
        assertEquals(3, ConvSimd.weightBlockVectors(6 * lanes, 32, true));
        assertEquals(2, ConvSimd.weightBlockVectors(2 * lanes, 32, true));
        assertEquals(4, ConvSimd.weightBlockVectors(7 * lanes + 1, 32, true));   // lanes − 1 zero filters, as two
        assertEquals(2, ConvSimd.weightBlockVectors(4 * lanes, 16, true));
        assertEquals(1, ConvSimd.weightBlockVectors(lanes, 32, true));
        // Whole blocks of four vectors and a padded last block, walked flat, against the textbook
        // loop with both register counts, the same bits at 1 and 3 threads, whole and in chunks.
        ConvGeometry[] geometries = {
                ConvGeometry.of(3, 3, 8, 33, 4 * lanes, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                ConvGeometry.of(2, 2, 6, 33, 7 * lanes + 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)};
        int before = Threads.get();
        try {
            for (ConvGeometry g : geometries) {
                assertTrue(ConvSimd.walksEveryPosition(new ConvSimd.Layout(g), g), g + " walked flat");
                float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
                float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                float[] expected = ConvNaive.backwardWeight(x, gradY, g);
                for (int registers : new int[] {16, 32}) {
                    Threads.set(1);
                    float[] one = ConvSimd.backwardWeight(x, gradY, g, registers);
                    assertClose(expected, one, g + " dw, registers " + registers);
                    assertClose(expected, ConvSimd.backwardWeight(x, gradY, g, registers, 0, 64),
                            g + " dw in chunks, registers " + registers);
                    Threads.set(3);
                    assertArrayEquals(one, ConvSimd.backwardWeight(x, gradY, g, registers),
                            g + " dw, 3 threads, registers " + registers);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void weightGradientWalkedInChunksMatchesTheNaiveTwinAtAnyThreadCount() {
        // Layers whose slabs (positions × filters of a block) are cut into chunks of at most 64 floats
        // here, as AlexNet's conv1 is with the real limits: a strided layer (its positions walked
        // through a table) and a stride-1 layer (walked flat), each with a last chunk shorter than the
        // others; both register counts' kernels, and the same bits at 1 and 3 threads.
        ConvGeometry[] geometries = {
                ConvGeometry.of(3, 2, 23, 23, 20, 5, 5, 2, 2, 1, 1, 1, 1, 1, 1, 1),
                ConvGeometry.of(3, 3, 12, 33, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)};
        int before = Threads.get();
        try {
            for (ConvGeometry g : geometries) {
                float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
                float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                float[] expected = ConvNaive.backwardWeight(x, gradY, g);
                for (int registers : new int[] {16, 32}) {
                    Threads.set(1);
                    float[] one = ConvSimd.backwardWeight(x, gradY, g, registers, 0, 64);
                    assertClose(expected, one, g + " dw in chunks, registers " + registers);
                    Threads.set(3);
                    assertArrayEquals(one, ConvSimd.backwardWeight(x, gradY, g, registers, 0, 64),
                            g + " dw in chunks, 3 threads, registers " + registers);
                }
            }
        } finally {
            Threads.set(before);
        }
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
