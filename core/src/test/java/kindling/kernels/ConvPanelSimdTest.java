package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The strided forward (outputs numbered as in y, from column-shifted copies of the phase planes)
 * against the textbook loops, whatever the kernel mode of the run, with the micro-kernels for 16 and
 * 32 vector registers alike.
 */
class ConvPanelSimdTest {
    private final SplittableRandom random = new SplittableRandom(29);

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(Kernels.vectorModulePresent(), "ConvPanelSimd needs --add-modules jdk.incubator.vector");
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
        // Strides, dilations, uneven padding, groups, filter counts on and off the blocks, output rows
        // narrower and wider than a vector and than a panel, planes of one band and of several with a
        // partial last panel; the path itself takes any geometry.
        for (int trial = 0; trial < 120; trial++) {
            int groups = 1 + random.nextInt(2);
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), groups * (1 + random.nextInt(3)),
                    1 + random.nextInt(70), 1 + random.nextInt(70), groups * (1 + random.nextInt(13)),
                    1 + random.nextInt(6), 1 + random.nextInt(6), 1 + random.nextInt(4), 1 + random.nextInt(4),
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
                    1 + random.nextInt(2), 1 + random.nextInt(2), groups);
            if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                assertMatches(g);
            }
        }
    }

    @Test
    void matchesTheTextbookLoopsOnAlexNetsFirstLayer() {
        assertTrue(ConvPanelSimd.suits(ConvGeometry.of(8, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1)));
        assertMatches(ConvGeometry.of(2, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1));
        assertMatches(ConvGeometry.of(1, 3, 67, 67, 10, 11, 11, 4, 4, 2, 2, 2, 2, 1, 1, 1));   // 3 channels, 10 filters
    }

    @Test
    void splitsRowsIntoColumnPhasesAsTheDefinitionSays() {
        // phases[p·phaseStride + m] = row[m·s + p], for the strides split in vectors (2 and 4), rows of
        // one vector and of several.
        int lanes = ConvPanelSimd.NR / 3;
        for (int s : new int[] {2, 4}) {
            for (int phaseStride : new int[] {lanes, 4 * lanes}) {
                float[] row = randomArray(s * phaseStride);
                float[] phases = new float[s * phaseStride];
                ConvPanelSimd.splitColumns(row, s, phaseStride, phases);
                for (int p = 0; p < s; p++) {
                    for (int m = 0; m < phaseStride; m++) {
                        assertEquals(row[m * s + p], phases[p * phaseStride + m], "s " + s + ", phase " + p + ", column " + m);
                    }
                }
            }
        }
    }

    @Test
    void matchesTheTextbookLoopsForEachColumnStrideAndLeftPadding() {
        // The column split takes vectors for strides 2 and 4 and a float at a time for the others;
        // left paddings shift the image inside the padded row, widths end mid-vector.
        for (int strideW = 1; strideW <= 5; strideW++) {
            for (int padLeft = 0; padLeft <= 2; padLeft++) {
                assertMatches(ConvGeometry.of(2, 2, 23, 53 + strideW, 5, 5, 7, 2, strideW, 1, 0, padLeft, 2 - padLeft, 1, 1, 1));
            }
        }
        assertMatches(ConvGeometry.of(1, 1, 40, 61, 9, 3, 3, 2, 4, 0, 0, 0, 0, 1, 2, 1));   // dilation 2 across
    }

    @Test
    void matchesTheTextbookLoopsWhenThePaddingOutreachesTheFilterOrTheImageOutreachesTheOutputs() {
        // Padding wider than a 3×3 filter reaches: whole output rows (top and bottom) and columns
        // (left and right) read only zeros; strides 2 (split in vectors) and 3 (a float at a time).
        assertMatches(ConvGeometry.of(2, 2, 30, 45, 6, 3, 3, 2, 2, 4, 5, 3, 6, 1, 1, 1));
        assertMatches(ConvGeometry.of(1, 2, 30, 47, 6, 3, 3, 3, 3, 4, 5, 5, 4, 1, 1, 1));
        // Image columns past the last output's reach ((k_w − 1)·d_w not a multiple of s_w): the padded
        // row is shorter than the image row, for strides 2, 3 and 4.
        assertMatches(ConvGeometry.of(1, 1, 41, 63, 5, 5, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1));
        assertMatches(ConvGeometry.of(1, 1, 41, 61, 5, 5, 2, 2, 3, 0, 0, 0, 0, 1, 1, 1));
        assertMatches(ConvGeometry.of(1, 1, 40, 58, 5, 9, 3, 4, 4, 0, 0, 0, 0, 1, 1, 1));
    }

    @Test
    void aThreadsBuffersLeftByAnotherLayerPutNoValuesInThePadding() {
        // One thread keeps its padded row from call to call: a wide layer without padding fills it
        // with image values, and a narrower padded layer after it must still read zeros there.
        int before = Threads.get();
        try {
            Threads.set(1);
            for (int stride : new int[] {2, 3, 4}) {
                ConvGeometry wide = ConvGeometry.of(1, 1, 20, 230, 4, 3, 5, 2, stride, 0, 0, 0, 0, 1, 1, 1);
                ConvPanelSimd.forward(randomArray(wide.height() * wide.width()), randomArray(4 * wide.patchSize()), null, wide);
                assertMatches(ConvGeometry.of(1, 1, 20, 50, 4, 3, 5, 2, stride, 1, 1, 3, 3, 1, 1, 1));
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void takesStridedLayersWithShortPatchesOnly() {
        assertFalse(ConvPanelSimd.suits(ConvGeometry.of(32, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));   // stride 1
        assertFalse(ConvPanelSimd.suits(ConvGeometry.of(256, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));   // LeNet conv2
        assertFalse(ConvPanelSimd.suits(ConvGeometry.of(8, 64, 24, 24, 128, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));   // 576 taps
        assertFalse(ConvPanelSimd.suits(ConvGeometry.of(8, 16, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));    // 7×7 plane
        assertFalse(ConvPanelSimd.suits(ConvGeometry.of(8, 64, 56, 56, 128, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1)));   // 1×1 shortcut
        assertTrue(ConvPanelSimd.suits(ConvGeometry.of(8, 16, 56, 56, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));     // 3×3 stride 2
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        ConvGeometry g = ConvGeometry.of(3, 2, 100, 90, 13, 5, 5, 2, 3, 1, 2, 0, 1, 1, 1, 1);
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        int before = Threads.get();
        try {
            for (int registers : new int[] {16, 32}) {
                Threads.set(1);
                float[] one = ConvPanelSimd.forward(x, w, bias, g, registers);
                Threads.set(3);
                for (int repeat = 0; repeat < 3; repeat++) {
                    assertArrayEquals(one, ConvPanelSimd.forward(x, w, bias, g, registers), "registers " + registers);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void alexNetsFirstLayerIsBitIdenticalOnOneTwoAndThreeThreads() {
        // y (2 MB) takes long enough to allocate that the other threads' first bands go through their
        // staging buffers (ConvPanelSimd.Output), which must change no value.
        ConvGeometry g = ConvGeometry.of(2, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1);
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        int before = Threads.get();
        try {
            Threads.set(1);
            float[] one = ConvPanelSimd.forward(x, w, bias, g);
            for (int threads : new int[] {2, 3}) {
                Threads.set(threads);
                for (int repeat = 0; repeat < 5; repeat++) {
                    assertArrayEquals(one, ConvPanelSimd.forward(x, w, bias, g), threads + " threads");
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void bandsForcedThroughTheStagingBuffersGiveTheDirectPathsBits() {
        // Which bands go through a staging buffer depends on timing; stageEveryBand sends every band
        // there (y allocated after the first band: copies before and after y exists), here with two
        // groups, filters off the blocks (the tile), and a plane of three bands, the last one short.
        ConvGeometry g = ConvGeometry.of(2, 4, 81, 81, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2);
        int bandLength = ConvPanelSimd.BAND * ConvPanelSimd.NR;
        assertTrue(g.outPlane() > 2 * bandLength && g.outPlane() % bandLength != 0, "three bands, the last short");
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        float[] naive = ConvNaive.forward(x, w, bias, g);
        int before = Threads.get();
        try {
            for (int registers : new int[] {16, 32}) {
                Threads.set(1);
                float[] direct = ConvPanelSimd.forward(x, w, bias, g, registers);
                assertClose(naive, direct, "direct, registers " + registers);
                for (int threads : new int[] {1, 2, 3}) {
                    Threads.set(threads);
                    ConvPanelSimd.stageEveryBand = true;
                    try {
                        for (int repeat = 0; repeat < 3; repeat++) {
                            float[] staged = ConvPanelSimd.forward(x, w, bias, g, registers);
                            assertArrayEquals(direct, staged, "registers " + registers + ", " + threads + " threads");
                            assertClose(naive, staged, "staged, registers " + registers);
                        }
                    } finally {
                        ConvPanelSimd.stageEveryBand = false;
                    }
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void aThreadKeepsAtMostMaxStagedFloatsOfStagingBuffersFromCallToCall() {
        ConvPanelSimd.Workspace workspace = new ConvPanelSimd.Workspace();
        int quarter = ConvPanelSimd.MAX_STAGED_FLOATS / 4;
        ConvPanelSimd.Output first = new ConvPanelSimd.Output(1, 1, 1);
        for (int band = 0; band < 4; band++) {
            assertEquals(quarter, workspace.staging(first, quarter).length);
        }
        assertEquals(null, workspace.staging(first, quarter), "a fifth band waits for y instead");
        // A later call (another layer) with larger bands: its buffers must not add to the first call's.
        ConvPanelSimd.Output second = new ConvPanelSimd.Output(1, 1, 1);
        float[] band = workspace.staging(second, 2 * quarter);
        assertTrue(workspace.stagedFloats() <= ConvPanelSimd.MAX_STAGED_FLOATS, workspace.stagedFloats() + " floats kept");
        // and a call with bands of the same size reuses the buffer
        assertSame(band, workspace.staging(new ConvPanelSimd.Output(1, 1, 1), 2 * quarter));
    }

    @Test
    void aFailedAllocationReachesTheThreadsWaitingForYWithItsCause() {
        // Past the largest array the JVM makes: the allocation fails at once, without filling the heap.
        ConvPanelSimd.Output output = new ConvPanelSimd.Output(Integer.MAX_VALUE, 1, 1);
        OutOfMemoryError failure = assertThrows(OutOfMemoryError.class, output::allocate);
        // A waiting thread's exception may be the first of the parallel loop, the one its caller sees.
        IllegalStateException waiting = assertThrows(IllegalStateException.class, output::await);
        assertSame(failure, waiting.getCause());
    }

    @Test
    void stagedBandsLandInYWhetherStagedBeforeOrAfterTheAllocation() {
        int channels = 3;
        int plane = 10;
        int bandLength = 4;
        ConvPanelSimd.Output output = new ConvPanelSimd.Output(2 * channels * plane, channels, plane);
        assertEquals(null, output.ready());
        float[] early = randomArray(channels * bandLength);
        output.stage(early, 1, 4, 8, bandLength);              // image 1, positions 4..7, before y exists
        float[] y = output.allocate();
        float[] late = randomArray(channels * bandLength);
        output.stage(late, 0, 8, 10, bandLength);              // image 0, positions 8..9 (a short last band)
        assertEquals(y, output.ready());
        assertEquals(y, output.await());
        float[] expected = new float[y.length];
        for (int o = 0; o < channels; o++) {
            System.arraycopy(early, o * bandLength, expected, (channels + o) * plane + 4, 4);
            System.arraycopy(late, o * bandLength, expected, o * plane + 8, 2);
        }
        assertArrayEquals(expected, y);
    }

    private void assertMatches(ConvGeometry g) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        float[] expected = ConvNaive.forward(x, w, bias, g);
        float[] expectedNoBias = ConvNaive.forward(x, w, null, g);
        for (int registers : new int[] {16, 32}) {
            assertClose(expected, ConvPanelSimd.forward(x, w, bias, g, registers), g + " forward, registers " + registers);
            assertClose(expectedNoBias, ConvPanelSimd.forward(x, w, null, g, registers), g + " no bias, registers " + registers);
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
