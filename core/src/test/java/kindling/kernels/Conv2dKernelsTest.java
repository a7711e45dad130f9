package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Conv2dKernelsTest {
    private final SplittableRandom random = new SplittableRandom(7);

    private float[] randomArray(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** A random small geometry whose output is at least 1×1. */
    private ConvGeometry randomGeometry() {
        while (true) {
            int groups = 1 + random.nextInt(3);
            int inChannels = groups * (1 + random.nextInt(3));
            int outChannels = groups * (1 + random.nextInt(3));
            int kernelH = 1 + random.nextInt(4);
            int kernelW = 1 + random.nextInt(4);
            int dilationH = 1 + random.nextInt(2);
            int dilationW = 1 + random.nextInt(2);
            int padTop = random.nextInt(3);
            int padBottom = random.nextInt(3);
            int padLeft = random.nextInt(3);
            int padRight = random.nextInt(3);
            ConvGeometry g = ConvGeometry.of(random.nextInt(4), inChannels, 1 + random.nextInt(9), 1 + random.nextInt(9),
                    outChannels, kernelH, kernelW, 1 + random.nextInt(3), 1 + random.nextInt(3),
                    padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups);
            if (g.outHeight() >= 1 && g.outWidth() >= 1) {
                return g;
            }
        }
    }

    @Test
    void fastKernelsMatchTheTextbookLoopsOnRandomGeometries() {
        for (int trial = 0; trial < 300; trial++) {
            assertFastMatchesNaive(randomGeometry());
        }
    }

    @Test
    void chunksOfTheBatchGiveTheSameResultAsOneChunk() {
        // 64 channels · 3·3 taps · 32·32 positions per image: several chunks of COL_FLOATS for 8 images.
        ConvGeometry g = ConvGeometry.of(8, 64, 32, 32, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertTrue(Conv2dKernels.imagesPerChunk(g) < g.batch(), "the test needs more than one chunk");
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        assertClose(ConvNaive.forward(x, w, null, g), Conv2dKernels.forward(x, w, null, g), "forward");
        assertClose(ConvNaive.backwardWeight(x, gradY, g), Conv2dKernels.backwardWeight(x, gradY, g), "dw");
        assertClose(ConvNaive.backwardInput(gradY, w, g), Conv2dKernels.backwardInput(gradY, w, g), "dx");
    }

    @Test
    void smallPlanesWithManyImagesPerChunkMatchTheTextbookLoops() {
        // Output planes of at most Im2Col.SMALL_PLANE positions (im2col through the chunk-wide table),
        // several images per chunk and a shorter last chunk: ResNet's last stages in miniature,
        // with padding on every side (2×2 and 4×4 planes), a stride-2 1×1 shortcut and a 7×7 plane.
        ConvGeometry[] layers = {
            ConvGeometry.of(70, 5, 4, 4, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(70, 4, 2, 2, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(29, 6, 8, 8, 4, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(11, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(23, 5, 7, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),   // stride 2, 7×7 → 4×4
        };
        for (ConvGeometry g : layers) {
            assertTrue(g.outPlane() <= Im2Col.SMALL_PLANE, g.toString());
            assertTrue(Conv2dKernels.imagesPerChunk(g) > 1 && g.batch() % Conv2dKernels.imagesPerChunk(g) != 0,
                    g + " needs several images per chunk and a shorter last chunk");
            assertFastMatchesNaive(g);
        }
    }

    @Test
    void tinyPlanesAsOneDenseProductMatchTheTextbookLoops() {
        // Planes of at most k_h·k_w pixels: in mode simd one dense product per call (ConvDense).
        ConvGeometry[] layers = {
            ConvGeometry.of(9, 12, 2, 2, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // ResNet's last stage: 3×3 on 2×2
            ConvGeometry.of(5, 7, 3, 3, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),       // stride 2, 3×3 → 2×2
            ConvGeometry.of(4, 3, 1, 1, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),       // a single pixel
            ConvGeometry.of(3, 4, 2, 3, 2, 3, 3, 1, 1, 2, 1, 1, 0, 2, 1, 1),       // uneven padding, dilation
            ConvGeometry.of(6, 2, 3, 2, 3, 2, 4, 1, 2, 1, 0, 2, 1, 1, 1, 1),       // a wide kernel, stride across
            ConvGeometry.of(3, 45, 2, 2, 47, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // M large enough to be built in parallel
        };
        for (ConvGeometry g : layers) {
            assertTrue(ConvDense.suits(g), g.toString());
            assertFastMatchesNaive(g);
            float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
            float[] w = randomArray(g.outChannels() * g.patchSize());
            float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
            assertClose(ConvNaive.forward(x, w, null, g), ConvDense.forward(x, w, null, g), g + " dense forward");
            assertClose(ConvNaive.backwardInput(gradY, w, g), ConvDense.backwardInput(gradY, w, g), g + " dense dx");
            assertClose(ConvNaive.backwardWeight(x, gradY, g), ConvDense.backwardWeight(x, gradY, g), g + " dense dw");
            int before = Threads.get();
            try {
                Threads.set(1);
                float[] y1 = ConvDense.forward(x, w, null, g);
                float[] dx1 = ConvDense.backwardInput(gradY, w, g);
                float[] dw1 = ConvDense.backwardWeight(x, gradY, g);
                for (int threads = 2; threads <= 3; threads++) {
                    Threads.set(threads);
                    assertArrayEquals(y1, ConvDense.forward(x, w, null, g), g + " dense forward at " + threads + " threads");
                    assertArrayEquals(dx1, ConvDense.backwardInput(gradY, w, g), g + " dense dx at " + threads + " threads");
                    assertArrayEquals(dw1, ConvDense.backwardWeight(x, gradY, g), g + " dense dw at " + threads + " threads");
                }
            } finally {
                Threads.set(before);
            }
        }
        assertTrue(!ConvDense.suits(ConvGeometry.of(2, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)), "4×4 > 3·3 pixels");
        assertTrue(!ConvDense.suits(ConvGeometry.of(2, 4, 2, 2, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2)), "groups");
    }

    @Test
    void stackedSmallPlanesMatchTheTextbookLoops() {
        // ConvStacked: images stacked into tall ones for the direct kernel. Odd batches (the last stack
        // short), strides whose phase needs a wider gap between images, uneven padding, dilation, groups.
        ConvGeometry[] layers = {
            ConvGeometry.of(21, 5, 7, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // ResNet's 7×7 stage
            ConvGeometry.of(19, 6, 4, 4, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // 4×4
            ConvGeometry.of(13, 4, 9, 9, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),     // stride 2 on an odd plane
            ConvGeometry.of(10, 3, 8, 8, 7, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),     // the 1×1 stride-2 shortcut
            ConvGeometry.of(9, 4, 5, 6, 3, 3, 2, 1, 3, 2, 0, 1, 2, 2, 1, 1),      // uneven padding, dilation, strides
            ConvGeometry.of(17, 4, 6, 5, 6, 3, 3, 3, 1, 0, 2, 1, 1, 1, 1, 2),     // stride 3 down, groups
            ConvGeometry.of(2, 3, 3, 3, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1),      // two images, no padding
            ConvGeometry.of(16, 2, 3, 3, 2, 3, 3, 1, 1, 3, 3, 3, 3, 1, 1, 1),     // padding wider than the filter
        };
        for (ConvGeometry g : layers) {
            float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
            float[] w = randomArray(g.outChannels() * g.patchSize());
            float[] bias = randomArray(g.outChannels());
            float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
            assertClose(ConvNaive.forward(x, w, bias, g), ConvStacked.forward(x, w, bias, g), g + " stacked forward");
            assertClose(ConvNaive.forward(x, w, null, g), ConvStacked.forward(x, w, null, g), g + " stacked, no bias");
            assertClose(ConvNaive.backwardWeight(x, gradY, g), ConvStacked.backwardWeight(x, gradY, g), g + " stacked dw");
            int before = Threads.get();
            try {
                Threads.set(1);
                float[] y1 = ConvStacked.forward(x, w, bias, g);
                float[] dw1 = ConvStacked.backwardWeight(x, gradY, g);
                for (int threads = 2; threads <= 3; threads++) {
                    Threads.set(threads);
                    assertArrayEquals(y1, ConvStacked.forward(x, w, bias, g), g + " forward at " + threads + " threads");
                    assertArrayEquals(dw1, ConvStacked.backwardWeight(x, gradY, g), g + " dw at " + threads + " threads");
                }
            } finally {
                Threads.set(before);
            }
            assertFastMatchesNaive(g);
        }
        // ResNet.small()'s 3×3 layer on 7×7 planes, batch 128, is stacked (with 8 or 16 lanes); not one
        // image, nor a strided layer.
        assertTrue(ConvStacked.suits(ConvGeometry.of(128, 32, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
        assertTrue(!ConvStacked.suits(ConvGeometry.of(128, 16, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)), "stride");
        assertTrue(!ConvStacked.suits(ConvGeometry.of(1, 32, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)), "one image");
    }

    @Test
    void weightGradientWithManyWeightsOnSmallPlanesMatchesTheTextbookLoop() {
        // At least WIDE_WEIGHTS weights on a small output plane: one running sum over chunks of
        // images, each chunk's product split among the threads (backwardWeightWide, mode simd).
        ConvGeometry[] layers = {
            ConvGeometry.of(7, 128, 3, 3, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // ResNet-18's last stage, narrower
            ConvGeometry.of(5, 128, 6, 6, 300, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),    // stride 2, 6×6 → 3×3, odd C_out
            ConvGeometry.of(3, 256, 5, 5, 260, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),   // groups, 5×5
            // 8×8 planes, 20 images: two chunks of 10, so the second chunk adds (β = 1) its gathered
            // ∂L/∂y's product to the running sum of the first
            ConvGeometry.of(20, 128, 8, 8, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
        };
        int wideChunks = 0;
        KernelMode mode = Kernels.setMode(KernelMode.SIMD);
        try {
            for (ConvGeometry g : layers) {
                assertTrue((long) g.outChannels() * g.patchSize() >= Conv2dKernels.WIDE_WEIGHTS, g.toString());
                assertTrue(g.outPlane() <= Im2Col.SMALL_PLANE && !ConvDense.suits(g), g.toString());
                if (g.batch() > Conv2dKernels.imagesPerWideChunk(g)) {
                    wideChunks++;
                }
                float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
                float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
                float[] expected = ConvNaive.backwardWeight(x, gradY, g);
                int before = Threads.get();
                try {
                    Threads.set(1);
                    float[] dw1 = Conv2dKernels.backwardWeight(x, gradY, g);
                    assertClose(expected, dw1, g + " dw");
                    for (int threads = 2; threads <= 3; threads++) {
                        Threads.set(threads);
                        assertArrayEquals(dw1, Conv2dKernels.backwardWeight(x, gradY, g), g + " dw at " + threads + " threads");
                    }
                } finally {
                    Threads.set(before);
                }
            }
        } finally {
            Kernels.setMode(mode);
        }
        assertTrue(wideChunks > 0, "a layer needs more than one chunk of WIDE_COLUMNS positions");
    }

    @Test
    void wideWeightGradientChunksAreOneKBlockEachAndEven() {
        // A chunk's positions are the k of its product; GemmSimd sums k in blocks of DEPTH, each one
        // pass over ∂L/∂W, so a chunk must not run a few positions into a second block.
        assertEquals(GemmSimd.DEPTH, Conv2dKernels.WIDE_COLUMNS);
        ConvGeometry[] layers = {
            ConvGeometry.of(128, 256, 6, 6, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // ResNet-18, 256 channels at 6×6
            ConvGeometry.of(128, 512, 3, 3, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // 512 at 3×3 (colᵀ bound)
            ConvGeometry.of(128, 256, 6, 6, 512, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),    // 256 → 512, stride 2
            ConvGeometry.of(128, 128, 12, 12, 256, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),  // 128 → 256, stride 2
            ConvGeometry.of(20, 128, 8, 8, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ConvGeometry.of(3, 64, 40, 40, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),      // one image past 1024 positions
        };
        int[] expected = {26, 64, 64, 26, 10, 1};
        for (int i = 0; i < layers.length; i++) {
            ConvGeometry g = layers[i];
            int chunk = Conv2dKernels.imagesPerWideChunk(g);
            assertEquals(expected[i], chunk, g.toString());
            int chunks = (g.batch() + chunk - 1) / chunk;
            assertTrue(chunk == 1 || chunk * g.outPlane() <= Conv2dKernels.WIDE_COLUMNS, g + ": " + chunk + " images");
            assertTrue(chunk == 1 || (long) chunk * g.outPlane() * g.inChannels() * 9 <= Conv2dKernels.COL_FLOATS, g.toString());
            // even: no chunk has fewer images than one less than the others, beyond the last one's remainder
            assertTrue(g.batch() - (chunks - 1) * chunk > chunk - chunks, g + ": last chunk of " + (g.batch() - (chunks - 1) * chunk));
        }
    }

    @Test
    void im2colByShiftsCopiesExactlyWhatTheScalarOneDoes() {
        // Stride 1 with W_out = W: Im2ColSimd.im2col takes its shifted loads. Planes narrower and wider
        // than a vector, uneven top and bottom padding, dilation, chunks ending at the end of x.
        for (int trial = 0; trial < 300; trial++) {
            int kernelW = 1 + random.nextInt(4);
            int dilationW = 1 + random.nextInt(2);
            int spanW = dilationW * (kernelW - 1);
            int padLeft = random.nextInt(spanW + 1);
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(5), 1 + random.nextInt(4), 1 + random.nextInt(9),
                    1 + random.nextInt(10), 1 + random.nextInt(3), 1 + random.nextInt(4), kernelW, 1, 1,
                    random.nextInt(3), random.nextInt(3), padLeft, spanW - padLeft, 1 + random.nextInt(2), dilationW, 1);
            if (g.outHeight() < 1 || g.outPlane() > Im2Col.SMALL_PLANE) {
                continue;
            }
            assertTrue(Im2ColSimd.keepsRows(g), g.toString());
            float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
            x[random.nextInt(x.length)] = Float.POSITIVE_INFINITY;         // must not leak into the padding
            int first = random.nextInt(g.batch());
            int images = 1 + random.nextInt(g.batch() - first);
            int columns = images * g.outPlane();
            float[] expected = new float[g.inChannels() * g.kernelH() * g.kernelW() * columns];
            for (int slot = 0; slot < images; slot++) {
                Im2Col.im2col(x, g, first + slot, expected, slot, columns);
            }
            float[] actual = new float[expected.length];
            java.util.Arrays.fill(actual, Float.NaN);                          // every value must be written
            Im2ColSimd.im2col(x, g, first, images, actual);
            assertArrayEquals(expected, actual, g + " images " + first + ".." + (first + images - 1));
        }
    }

    @Test
    void vectorIm2colCopiesExactlyWhatTheScalarOneDoes() {
        for (int trial = 0; trial < 200; trial++) {
            ConvGeometry g = randomGeometry();
            if (g.batch() == 0 || g.outPlane() > Im2Col.SMALL_PLANE) {
                continue;
            }
            float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
            if (x.length > 0) {
                x[random.nextInt(x.length)] = Float.POSITIVE_INFINITY;     // must not leak into the padding
            }
            int first = random.nextInt(g.batch());
            int images = 1 + random.nextInt(g.batch() - first);
            int columns = images * g.outPlane();
            float[] expected = new float[g.inChannels() * g.kernelH() * g.kernelW() * columns];
            float[] actual = new float[expected.length];
            java.util.Arrays.fill(actual, Float.NaN);                          // every value must be written
            for (int slot = 0; slot < images; slot++) {
                Im2Col.im2col(x, g, first + slot, expected, slot, columns);
            }
            Im2ColSimd.im2col(x, g, first, images, actual);
            assertArrayEquals(expected, actual, g + " images " + first + ".." + (first + images - 1));

            // colᵀ: the same values with rows and columns exchanged, from the scalar and the vector loop
            int rowLength = g.inChannels() * g.kernelH() * g.kernelW();
            float[] transposed = new float[expected.length];
            for (int r = 0; r < rowLength; r++) {
                for (int u = 0; u < columns; u++) {
                    transposed[u * rowLength + r] = expected[r * columns + u];
                }
            }
            float[] scalar = new float[expected.length];
            java.util.Arrays.fill(scalar, Float.NaN);
            for (int slot = 0; slot < images; slot++) {
                Im2Col.im2colTransposed(x, g, first + slot, scalar, slot);
            }
            assertArrayEquals(transposed, scalar, g + " colᵀ, scalar");
            float[] vector = new float[expected.length];
            java.util.Arrays.fill(vector, Float.NaN);
            Im2ColSimd.im2colTransposed(x, g, first, images, new Im2ColSimd.TransposedTable(g), vector);
            assertArrayEquals(transposed, vector, g + " colᵀ, vector");
        }
    }

    @Test
    void vectorCol2imAddsExactlyWhatTheScalarOneDoes() {
        for (int trial = 0; trial < 200; trial++) {
            ConvGeometry g = randomGeometry();
            if (g.batch() == 0 || g.outPlane() > Im2Col.SMALL_PLANE) {
                continue;
            }
            int first = random.nextInt(g.batch());
            int images = 1 + random.nextInt(g.batch() - first);
            int columns = images * g.outPlane();
            float[] col = randomArray(g.inChannels() * g.kernelH() * g.kernelW() * columns);
            // Entries that lie in the padding are never added: NaN there must not reach x.
            int[] source = Im2Col.sourceTable(g);
            int taps = g.kernelH() * g.kernelW();
            for (int c = 0; c < g.inChannels(); c++) {
                for (int t = 0; t < taps; t++) {
                    for (int u = 0; u < columns; u++) {
                        if (source[t * g.outPlane() + u % g.outPlane()] == g.height() * g.width()) {
                            col[(c * taps + t) * columns + u] = Float.NaN;
                        }
                    }
                }
            }
            float[] expected = randomArray(g.batch() * g.inChannels() * g.height() * g.width());  // added into
            float[] actual = expected.clone();
            for (int slot = 0; slot < images; slot++) {
                Im2Col.col2im(col, slot, columns, g, first + slot, expected);
            }
            Im2ColSimd.col2im(col, columns, g, first, images, actual);
            assertArrayEquals(expected, actual, g + " images " + first + ".." + (first + images - 1));
        }
    }

    @Test
    void anOddNumberOfFewChunksBecomesAnEvenNumberOfLargerOnes() {
        // ResNet-18's 512-channel layer on 3×3 planes: 4 chunks of 29 images and one of 12 become 4 of 32.
        ConvGeometry resnet = ConvGeometry.of(128, 512, 3, 3, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(29, Conv2dKernels.imagesPerChunk(resnet));
        assertEquals(32, Conv2dKernels.imagesPerEvenChunk(resnet));
        // A stride-2 layer on 8×8 planes (4×4 outputs): 4 chunks of 16 images and one of 8 become 4 of
        // 18 (the last one shorter). No other kernel of mode simd suits it, so forward and ∂L/∂x
        // (through Im2ColSimd's col2im) run these chunks in modes plain and simd alike.
        ConvGeometry strided = ConvGeometry.of(72, 2, 8, 8, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(16, Conv2dKernels.imagesPerChunk(strided));
        assertEquals(18, Conv2dKernels.imagesPerEvenChunk(strided));
        assertTrue(!ConvChannelSimd.suits(strided) && !ConvPanelSimd.suits(strided) && !ConvSimd.suits(strided)
                && !ConvDense.suits(strided) && !ConvStacked.suits(strided), "the chunks must run in mode simd too");
        // 32 channels on 3×3 planes: 3 chunks of 29 images become 2 of 35, for the forward and for
        // ∂L/∂x as a convolution. In mode plain only: in mode simd ConvDense takes this layer.
        ConvGeometry channels = ConvGeometry.of(70, 32, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(35, Conv2dKernels.imagesPerEvenChunk(channels));
        assertEquals(35, Conv2dKernels.imagesPerEvenChunk(Conv2dKernels.gradientAsConvolution(channels)));
        for (ConvGeometry g : new ConvGeometry[] {strided, channels}) {
            assertFastMatchesNaive(g);
            assertSameForAnyThreadCount(g);
        }
        // Small chunks stay as they are: 7 chunks of one image would become 4 of two.
        ConvGeometry single = ConvGeometry.of(7, 1, 16, 16, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(1, Conv2dKernels.imagesPerChunk(single));
        assertEquals(1, Conv2dKernels.imagesPerEvenChunk(single));
        // Chunks already even, or too many to matter, stay as they are.
        ConvGeometry even = ConvGeometry.of(8, 64, 32, 32, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(Conv2dKernels.imagesPerChunk(even), Conv2dKernels.imagesPerEvenChunk(even));
    }

    @Test
    void flippedAndPackedFiltersFollowTheirDefinitionsOnAnyThreadCount() {
        // Small (copied on the calling thread) and large enough to be shared by the threads; input
        // channels per group not a multiple of the flip's tile, output channels not a multiple of mr.
        ConvGeometry[] layers = {
            ConvGeometry.of(1, 6, 5, 5, 4, 3, 2, 1, 1, 1, 1, 0, 1, 1, 1, 2),
            ConvGeometry.of(1, 2 * 37, 5, 5, 2 * 110, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
        };
        assertTrue(layers[1].outChannels() * layers[1].patchSize() >= Conv2dKernels.FLIP_PARALLEL);
        int before = Threads.get();
        try {
            for (ConvGeometry g : layers) {
                int taps = g.kernelH() * g.kernelW();
                float[] w = randomArray(g.outChannels() * g.patchSize());
                float[] flipped = new float[w.length];
                int[] order = new int[g.patchSize()];
                for (int k = 0; k < order.length; k++) {
                    order[k] = order.length - 1 - k;                     // any order of the taps
                }
                int mr = 8;
                int blocks = (g.outPerGroup() + mr - 1) / mr;
                float[] packed = new float[g.groups() * blocks * g.patchSize() * mr];
                for (int group = 0; group < g.groups(); group++) {
                    for (int o = 0; o < g.outPerGroup(); o++) {
                        int filter = (group * g.outPerGroup() + o) * g.patchSize();
                        for (int c = 0; c < g.inPerGroup(); c++) {
                            for (int t = 0; t < taps; t++) {
                                flipped[((group * g.inPerGroup() + c) * g.outPerGroup() + o) * taps + t] =
                                        w[filter + c * taps + taps - 1 - t];
                            }
                        }
                        for (int k = 0; k < g.patchSize(); k++) {
                            packed[((group * blocks + o / mr) * g.patchSize() + k) * mr + o % mr] = w[filter + order[k]];
                        }
                    }
                }
                for (int threads : new int[] {1, 3}) {
                    Threads.set(threads);
                    assertArrayEquals(flipped, Conv2dKernels.flippedFilters(w, g), g + " flipped, threads " + threads);
                    float[] reused = new float[w.length + 5];
                    java.util.Arrays.fill(reused, Float.NaN);
                    Conv2dKernels.flippedFilters(w, g, reused);
                    assertArrayEquals(flipped, java.util.Arrays.copyOf(reused, w.length),
                            g + " flipped into a longer buffer, threads " + threads);
                    assertArrayEquals(packed, ConvSimd.packFilters(w, g, mr, order), g + " packed, threads " + threads);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void chunkShapesOfRealLayersMatchTheTextbookLoops() {
        // One image per chunk (written in place, several partial weight sums), a few images per chunk
        // with a shorter last chunk (copied), and a stride-2 padded layer (edges of im2col).
        ConvGeometry[] layers = {
            ConvGeometry.of(11, 3, 20, 20, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            // ∂L/∂x as a convolution by the flipped filters: stride 1, enough input channels per group,
            // uneven padding, dilation, groups
            ConvGeometry.of(3, 64, 9, 11, 5, 3, 3, 1, 1, 1, 0, 2, 1, 1, 1, 1),
            ConvGeometry.of(2, 66, 10, 7, 4, 3, 2, 1, 1, 2, 1, 0, 1, 2, 1, 2),
            ConvGeometry.of(13, 4, 12, 12, 6, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(5, 2, 23, 17, 7, 4, 3, 2, 3, 2, 1, 0, 2, 1, 1, 1),
        };
        assertEquals(1, Conv2dKernels.imagesPerChunk(layers[0]));
        assertTrue(Conv2dKernels.gradientAsConvolution(layers[1]) != null && Conv2dKernels.gradientAsConvolution(layers[2]) != null);
        assertTrue(Conv2dKernels.imagesPerChunk(layers[3]) > 1 && 13 % Conv2dKernels.imagesPerChunk(layers[3]) != 0);
        for (ConvGeometry g : layers) {
            assertFastMatchesNaive(g);
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        // 40 images of 10·10 outputs: 14 chunks of 3 images and 8 partial weight sums.
        assertSameForAnyThreadCount(ConvGeometry.of(40, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1));
        // Small planes (4×4 outputs, 16 images a chunk): 7×7 → 4×4 with stride 2 (the gathering col2im)
        // and 4×4 → 4×4 (the weight gradient from colᵀ), 100 images in 7 chunks.
        assertSameForAnyThreadCount(ConvGeometry.of(100, 6, 7, 7, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1));
        assertSameForAnyThreadCount(ConvGeometry.of(100, 6, 4, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        // A tiny plane (3×3 on 2×2, ConvDense in mode simd) whose products, 128 × 256 × 256 multiply-adds,
        // are large enough for the GEMM to split them across threads.
        ConvGeometry tiny = ConvGeometry.of(128, 64, 2, 2, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertTrue(ConvDense.suits(tiny), tiny.toString());
        assertTrue(128L * 256 * 256 >= GemmSimd.PARALLEL_THRESHOLD);
        assertSameForAnyThreadCount(tiny);
    }

    private void assertSameForAnyThreadCount(ConvGeometry g) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        int before = Threads.get();
        try {
            Threads.set(1);
            float[] y1 = Conv2dKernels.forward(x, w, null, g);
            float[] dx1 = Conv2dKernels.backwardInput(gradY, w, g);
            float[] dw1 = Conv2dKernels.backwardWeight(x, gradY, g);
            Threads.set(3);
            assertArrayEquals(y1, Conv2dKernels.forward(x, w, null, g));
            assertArrayEquals(dx1, Conv2dKernels.backwardInput(gradY, w, g));
            assertArrayEquals(dw1, Conv2dKernels.backwardWeight(x, gradY, g));
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void outputSizeFollowsTheFormula() {
        assertEquals(28, ConvGeometry.outputSize(28, 5, 1, 4, 1));     // LeNet conv1, padding 2
        assertEquals(54, ConvGeometry.outputSize(224, 11, 4, 2, 1));   // AlexNet conv1
        assertEquals(12, ConvGeometry.outputSize(28, 3, 2, 0, 2));     // dilation 2: effective kernel 5
        assertEquals(-2, ConvGeometry.outputSize(2, 5, 1, 0, 1));   // the kernel does not fit: callers reject it
    }

    @Test
    void biasGradientSumsOverImagesAndPositions() {
        ConvGeometry g = ConvGeometry.of(2, 1, 3, 3, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1);
        float[] gradY = new float[2 * 2 * 4];
        for (int i = 0; i < gradY.length; i++) {
            gradY[i] = i;
        }
        // channel 0: images' positions 0..3 and 8..11; channel 1: 4..7 and 12..15
        assertArrayEquals(new float[] {0 + 1 + 2 + 3 + 8 + 9 + 10 + 11, 4 + 5 + 6 + 7 + 12 + 13 + 14 + 15},
                Conv2dKernels.backwardBias(gradY, g));
    }

    /** Forward (with and without bias), ∂L/∂x and ∂L/∂W of Conv2dKernels against ConvNaive on random data. */
    private void assertFastMatchesNaive(ConvGeometry g) {
        float[] x = randomArray(g.batch() * g.inChannels() * g.height() * g.width());
        float[] w = randomArray(g.outChannels() * g.patchSize());
        float[] bias = randomArray(g.outChannels());
        float[] gradY = randomArray(g.batch() * g.outChannels() * g.outPlane());
        String where = g.toString();
        assertClose(ConvNaive.forward(x, w, bias, g), Conv2dKernels.forward(x, w, bias, g), where + " forward");
        assertClose(ConvNaive.forward(x, w, null, g), Conv2dKernels.forward(x, w, null, g), where + " no bias");
        assertClose(ConvNaive.backwardInput(gradY, w, g), Conv2dKernels.backwardInput(gradY, w, g), where + " dx");
        assertClose(ConvNaive.backwardWeight(x, gradY, g), Conv2dKernels.backwardWeight(x, gradY, g), where + " dw");
    }

    private static void assertClose(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-4f * Math.max(1f, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, where + " at " + i);
        }
    }
}
