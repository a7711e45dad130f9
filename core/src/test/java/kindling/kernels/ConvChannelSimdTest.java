package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direct convolution vectorised over output channels against the textbook loops, whatever the
 * kernel mode of the run, with the micro-kernels for 16 and 32 vector registers alike.
 */
class ConvChannelSimdTest {
    private final SplittableRandom random = new SplittableRandom(23);

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(Kernels.vectorModulePresent(), "ConvChannelSimd needs --add-modules jdk.incubator.vector");
    }

    private static int lanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    private float[] randomArray(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** A random input x of layer g. */
    private float[] input(ConvGeometry g) {
        return randomArray(g.batch() * g.inChannels() * g.height() * g.width());
    }

    /** Random weights W of layer g. */
    private float[] weights(ConvGeometry g) {
        return randomArray(g.outChannels() * g.patchSize());
    }

    /** A random bias of layer g. */
    private float[] bias(ConvGeometry g) {
        return randomArray(g.outChannels());
    }

    /** A random ∂L/∂y of layer g. */
    private float[] gradOutput(ConvGeometry g) {
        return randomArray(g.batch() * g.outChannels() * g.outPlane());
    }

    @Test
    void matchesTheTextbookLoopsOnRandomGeometries() {
        // One and two vectors of filters, odd input channel counts, row strides, dilations, uneven
        // padding (and none: x read in place), rows and columns that are not a multiple of the block,
        // batches of 1.
        int tested = 0;
        for (int trial = 0; tested < 100; trial++) {
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), 1 + random.nextInt(5),
                    2 + random.nextInt(30), 10 + random.nextInt(30), lanes() * (1 + random.nextInt(2)),
                    1 + random.nextInt(5), 1 + random.nextInt(5), 1 + random.nextInt(3), 1,
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
                    1 + random.nextInt(3), 1 + random.nextInt(2), 1);
            if (ConvChannelSimd.accepts(g)) {
                assertMatches(g);
                tested++;
            }
        }
    }

    @Test
    void matchesTheTextbookLoopsOnTheBenchmarkLayerAndItsNeighbours() {
        assertMatches(ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1));     // LeNet conv2
        assertMatches(ConvGeometry.of(2, 6, 14, 14, 16, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1));     // padded
        assertMatches(ConvGeometry.of(1, 3, 15, 19, 2 * lanes(), 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)); // two vectors, odd plane
        // No padding but a window smaller than the image (a row stride leaves the last rows unread):
        // read in place, the last image's last window ends before x does.
        assertMatches(ConvGeometry.of(2, 3, 23, 21, lanes(), 3, 4, 2, 1, 0, 0, 0, 0, 2, 1, 1));
    }

    @Test
    void takesTheRowKernelForOneVectorOfFiltersFiveTapsWideWithNoColumnDilationOnly() {
        ConvChannelSimd.Block rowBlock = ConvChannelSimd.Block.of(1, 32);
        // The row kernel with a row stride, a row dilation, uneven padding and odd input channels.
        ConvGeometry[] rows = {
            ConvGeometry.of(2, 3, 25, 17, lanes(), 4, 5, 2, 1, 1, 0, 2, 1, 2, 1, 1),
            ConvGeometry.of(1, 1, 12, 14, lanes(), 1, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        };
        for (ConvGeometry g : rows) {
            assertTrue(ConvChannelSimd.accepts(g) && rowBlock.sharesRows(g), g.toString());
            assertMatches(g);
        }
        // Tap by tap: columns dilated, filters 4 or 6 wide, two vectors of filters, 16 registers.
        ConvGeometry[] taps = {
            ConvGeometry.of(2, 3, 25, 22, lanes(), 3, 5, 1, 1, 0, 0, 1, 1, 1, 2, 1),
            ConvGeometry.of(2, 2, 14, 16, lanes(), 5, 4, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(2, 2, 14, 16, lanes(), 5, 6, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        };
        for (ConvGeometry g : taps) {
            assertTrue(ConvChannelSimd.accepts(g) && !rowBlock.sharesRows(g), g.toString());
            assertMatches(g);
        }
        ConvGeometry lenet = ConvGeometry.of(2, 6, 14, 14, 2 * lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1);
        assertFalse(ConvChannelSimd.Block.of(2, 32).sharesRows(lenet));
        assertFalse(ConvChannelSimd.Block.of(1, 16).sharesRows(ConvGeometry.of(2, 6, 14, 14, lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
        assertMatches(lenet);
    }

    @Test
    void transposeMovesEachFloatOfABlockToItsMirrorPlaceWithTheBiasAndWritesNothingElse() {
        assumeTrue(ConvChannelSimdKernels.transposes(), "no generated transposition for " + lanes() + " lanes");
        int lanes = lanes();
        int tileStride = 2 * lanes + 3;                      // a block inside a wider tile, off any alignment
        int yStride = lanes + 5;
        float[] tile = randomArray(5 + lanes * tileStride);
        float[] bias = randomArray(lanes);
        float[] y = new float[7 + lanes * yStride];
        Arrays.fill(y, Float.NaN);
        ConvChannelSimdKernels.transpose(tile, 5, tileStride, FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, bias, 0),
                y, 7, yStride);
        for (int i = 0; i < y.length; i++) {
            int l = (i - 7) / yStride;
            int r = (i - 7) % yStride;
            if (i >= 7 && r < lanes) {
                assertEquals(tile[5 + r * tileStride + l] + bias[l], y[i], 0f, "y at row " + l + ", lane " + r);
            } else {
                assertTrue(Float.isNaN(y[i]), "written outside the block at " + i);
            }
        }
    }

    /**
     * Output planes for the tile stores and ∂L/∂y's transposition: smaller than 16 lanes (1 × 10), one
     * vector exactly, one float past a vector, and planes that end in a partial block (LeNet's 10 × 10
     * among them), with one and two vectors of filters.
     */
    private static ConvGeometry[] storeLayers() {
        int lanes = lanes();
        int[][] planes = {{1, 10}, {1, lanes}, {1, lanes + 1}, {2, lanes + 3}, {10, 10}, {3, 2 * lanes + 5}};
        ConvGeometry[] layers = new ConvGeometry[2 * planes.length];
        for (int i = 0; i < planes.length; i++) {
            for (int v = 1; v <= 2; v++) {
                layers[2 * i + v - 1] = ConvGeometry.of(3, 1, planes[i][0], planes[i][1], v * lanes, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
            }
        }
        return layers;
    }

    /** Random floats with −0, +0, infinities, a NaN and the smallest subnormals among them. */
    private float[] randomArrayWithSpecialValues(int length) {
        float[] a = randomArray(length);
        float[] specials = {-0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int i = 0; i < length; i += 3) {
            a[i] = specials[random.nextInt(specials.length)];
        }
        return a;
    }

    @Test
    void storesATileAsTheTextbookTranspositionInBlocksAndByGathersWritingNothingElse() {
        for (ConvGeometry g : storeLayers()) {
            int filters = g.outChannels();
            int plane = g.outPlane();
            int tileAt = 7;                                  // the tile inside a larger buffer, as the early tiles are
            float[] tile = randomArrayWithSpecialValues(tileAt + plane * filters + 5);
            int[] tileColumn = new int[lanes()];
            for (int lane = 0; lane < lanes(); lane++) {
                tileColumn[lane] = lane * filters;
            }
            for (float[] bias : new float[][] {randomArrayWithSpecialValues(filters), null}) {
                int n = 1;                                   // the middle image: the others' planes must stay as they are
                float[] expected = new float[g.batch() * filters * plane];
                Arrays.fill(expected, 42f);
                for (int o = 0; o < filters; o++) {
                    for (int p = 0; p < plane; p++) {
                        expected[(n * filters + o) * plane + p] = tile[tileAt + p * filters + o] + (bias == null ? 0f : bias[o]);
                    }
                }
                String where = g + (bias == null ? " no bias" : " bias");
                float[] gathered = new float[expected.length];
                Arrays.fill(gathered, 42f);
                ConvChannelSimd.storeImageByGathers(tile, tileAt, tileColumn, bias, g, n, gathered);
                assertArrayEquals(expected, gathered, where + ", by gathers");
                if (ConvChannelSimdKernels.transposes() && plane >= lanes()) {
                    float[] blocks = new float[expected.length];
                    Arrays.fill(blocks, 42f);
                    ConvChannelSimd.storeImageInBlocks(tile, tileAt, bias, g, n, blocks);
                    assertArrayEquals(expected, blocks, where + ", in blocks");
                }
            }
        }
    }

    @Test
    void transposesTheOutputGradientToPixelsTimesFiltersBitForBitInBlocksAndByGathers() {
        // The blocks add −0 on the way: every value, −0, infinities, NaN and subnormals included, must
        // come out as it went in.
        for (ConvGeometry g : storeLayers()) {
            int filters = g.outChannels();
            int plane = g.outPlane();
            float[] gradY = randomArrayWithSpecialValues(g.batch() * filters * plane);
            int n = 2;                                       // the last image: a block must not read past its plane
            float[] expected = new float[plane * filters];
            for (int o = 0; o < filters; o++) {
                for (int p = 0; p < plane; p++) {
                    expected[p * filters + o] = gradY[(n * filters + o) * plane + p];
                }
            }
            float[] gathered = new float[plane * filters + 3];   // larger, as the per-thread buffer may be
            Arrays.fill(gathered, 42f);
            ConvChannelSimd.gradientByPixelsByGathers(gradY, g, n, gathered);
            assertArrayEquals(expected, Arrays.copyOf(gathered, expected.length), g + " by gathers");
            assertArrayEquals(new float[] {42f, 42f, 42f}, Arrays.copyOfRange(gathered, expected.length, gathered.length));
            if (ConvChannelSimdKernels.transposes() && plane >= lanes()) {
                float[] blocks = new float[plane * filters + 3];
                Arrays.fill(blocks, 42f);
                ConvChannelSimd.gradientByPixelsInBlocks(gradY, g, n, blocks);
                assertArrayEquals(expected, Arrays.copyOf(blocks, expected.length), g + " in blocks");
                assertArrayEquals(new float[] {42f, 42f, 42f}, Arrays.copyOfRange(blocks, expected.length, blocks.length));
            }
        }
    }

    @Test
    void takesLayersWithOneOrTwoVectorsOfFiltersWhereConvSimdWastesPositions() {
        assertTrue(ConvChannelSimd.suits(ConvGeometry.of(256, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));   // LeNet conv2
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(8, 1, 224, 224, 96, 11, 11, 4, 4, 1, 1, 1, 1, 1, 1, 1))); // AlexNet conv1
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(32, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));  // ResNet 3×3
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(256, 16, 10, 10, 6, 5, 5, 1, 1, 4, 4, 4, 4, 1, 1, 1)));  // 6 filters
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(128, 32, 14, 14, 2 * lanes(), 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1))); // padded 3×3: ConvSimd wastes little
        assertTrue(ConvChannelSimd.accepts(ConvGeometry.of(128, 32, 14, 14, 2 * lanes(), 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(4, 4, 14, 14, 32, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 2)));   // groups
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(4, 4, 6, 6, 16, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));     // 4×4 plane
        assertFalse(ConvChannelSimd.suits(ConvGeometry.of(4, 4, 3, 20, lanes(), 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));   // 1 output row
    }

    @Test
    void givesTheSameBitsAtOneTwoAndThreeThreads() {
        // Enough images for several runs of images per task, a padded layer with a row stride, and
        // planes so large that only the first images' tiles may wait while y is allocated (the others
        // wait for y).
        ConvGeometry[] layers = {
            ConvGeometry.of(41, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(5, 3, 30, 31, 2 * lanes(), 3, 5, 2, 1, 1, 2, 0, 1, 1, 1, 1),
            ConvGeometry.of(7, 2, 68, 68, lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        };
        int before = Threads.get();
        try {
            for (ConvGeometry g : layers) {
                float[] x = input(g);
                float[] w = weights(g);
                float[] bias = bias(g);
                Threads.set(1);
                float[] one = ConvChannelSimd.forward(x, w, bias, g);
                assertClose(ConvNaive.forward(x, w, bias, g), one, g + " at 1 thread");
                for (int threads : new int[] {2, 3}) {
                    Threads.set(threads);
                    assertArrayEquals(one, ConvChannelSimd.forward(x, w, bias, g), g + " at " + threads + " threads");
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    /**
     * y's allocation held back until the other threads have done all they can without y: the tiles of
     * the early images (all but image 0, which the allocating thread computes after) parked in the
     * calling thread's buffer, and every other thread that took a later image spinning for y. Both
     * counts only grow while y is missing, so once they are reached nothing moves until y is there.
     */
    private static final class HeldAllocation implements ConvChannelSimd.Allocation {
        private final int parks;
        private final int spinners;
        private final Error failure;
        private volatile String seen;

        HeldAllocation(int parks, int spinners, Error failure) {
            this.parks = parks;
            this.spinners = spinners;
            this.failure = failure;
        }

        @Override
        public float[] allocate(int size, ConvChannelSimd.Output output) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((output.waitingTiles() != parks || output.spinningThreads() != spinners)
                    && System.nanoTime() < deadline) {
                Thread.yield();
            }
            seen = output.waitingTiles() + " tiles parked and " + output.spinningThreads() + " threads spinning";
            if (failure != null) {
                throw failure;
            }
            return new float[size];
        }

        void assertReached(String where) {
            assertEquals(parks + " tiles parked and " + spinners + " threads spinning", seen, where);
        }
    }

    /** Layers of one image per task whose first images' tiles fit the early buffer: 4, 2 or 1 of them. */
    private static ConvGeometry[] layersWithEarlyTiles() {
        return new ConvGeometry[] {
            ConvGeometry.of(7, 2, 68, 68, lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),       // the row kernel
            ConvGeometry.of(7, 2, 68, 68, 2 * lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),   // half as many early
            ConvGeometry.of(2, 2, 68, 68, lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),       // fewer tasks than threads
        };
    }

    @Test
    void tilesThatWaitForYAndThreadsThatSpinForItGiveTheSameBitsAtOneTwoAndThreeThreads() {
        int before = Threads.get();
        try {
            for (ConvGeometry g : layersWithEarlyTiles()) {
                // One image per task: the images are handed out one by one, in order.
                assertTrue(2L * g.outChannels() * g.outPlane() * g.patchSize() > ConvChannelSimd.TASK_MULTIPLY_ADDS, g.toString());
                float[] x = input(g);
                float[] w = weights(g);
                float[] bias = bias(g);
                Threads.set(1);
                float[] expected = ConvChannelSimd.forward(x, w, bias, g);
                assertClose(ConvNaive.forward(x, w, bias, g), expected, g + " at 1 thread");
                for (int threads = 1; threads <= 3; threads++) {
                    Threads.set(threads);
                    HeldAllocation held = held(g, threads, null);
                    float[] y = ConvChannelSimd.forward(x, w, bias, g, ConvSimd.REGISTERS, held);
                    String where = g + " at " + threads + " threads";
                    held.assertReached(where);
                    assertArrayEquals(expected, y, where);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void aFailedAllocationReachesTheCallerAsItselfAndTheNextCallWorks() {
        int before = Threads.get();
        try {
            ConvGeometry g = layersWithEarlyTiles()[0];
            float[] x = input(g);
            float[] w = weights(g);
            Threads.set(1);
            float[] expected = ConvChannelSimd.forward(x, w, null, g);
            for (int threads = 1; threads <= 3; threads++) {
                Threads.set(threads);
                OutOfMemoryError error = new OutOfMemoryError("held back by the test");
                HeldAllocation held = held(g, threads, error);
                String where = g + " at " + threads + " threads";
                assertSame(error, assertThrows(OutOfMemoryError.class,
                        () -> ConvChannelSimd.forward(x, w, null, g, ConvSimd.REGISTERS, held)), where);
                held.assertReached(where);
                assertArrayEquals(expected, ConvChannelSimd.forward(x, w, null, g), where + ", the call after");
            }
        } finally {
            Threads.set(before);
        }
    }

    /**
     * The allocation for layer g at this thread count (one image per task): with one thread (or in
     * kernel mode naive, where every loop runs on the calling thread) y comes first and nothing waits;
     * else images 1 .. early − 1 park, and each other thread that takes a later image spins.
     */
    private static HeldAllocation held(ConvGeometry g, int threads, Error failure) {
        int tileFloats = g.outPlane() * g.outChannels();
        int early = threads > 1 ? Math.min(g.batch(), ConvChannelSimd.MAX_EARLY_FLOATS / tileFloats) : 0;
        int helpers = Kernels.naive() ? 0 : Math.min(threads, g.batch()) - 1;
        int parks = helpers > 0 ? Math.max(0, early - 1) : 0;
        int spinners = Math.min(helpers, g.batch() - Math.max(early, 1));
        return new HeldAllocation(parks, spinners, failure);
    }

    @Test
    void weightGradientMatchesTheTextbookLoopsOnRandomGeometries() {
        // Filters 5 or 10 taps high and wide (whole blocks of taps), one and two vectors of filters,
        // odd input channel counts, row strides, uneven padding (and none: x read in place), batches of 1.
        int tested = 0;
        for (int trial = 0; tested < 60; trial++) {
            ConvGeometry g = ConvGeometry.of(1 + random.nextInt(3), 1 + random.nextInt(4),
                    12 + random.nextInt(20), 14 + random.nextInt(20), lanes() * (1 + random.nextInt(2)),
                    5 * (1 + random.nextInt(2)), 5 * (1 + random.nextInt(2)), 1 + random.nextInt(3), 1,
                    random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3), 1, 1, 1);
            if (ConvChannelSimd.acceptsWeight(g)) {
                assertWeightMatches(g);
                tested++;
            }
        }
    }

    @Test
    void weightGradientMatchesTheTextbookLoopsOnTheBenchmarkLayerAndItsNeighbours() {
        assertWeightMatches(ConvGeometry.of(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1));     // LeNet conv2
        assertWeightMatches(ConvGeometry.of(2, 6, 14, 14, 16, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1));     // padded
        assertWeightMatches(ConvGeometry.of(1, 3, 15, 19, 2 * lanes(), 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)); // two vectors
        // A row stride leaves the last rows unread: x read in place, the last window ends before x does.
        assertWeightMatches(ConvGeometry.of(2, 3, 23, 21, lanes(), 5, 5, 2, 1, 0, 0, 0, 0, 1, 1, 1));
        // Two vectors of filters take blocks of one row of taps with 16 and 32 registers alike: any
        // filter height, here 3 (LeNet's conv2 with AVX2's 8 lanes is two vectors too).
        ConvGeometry threeHigh = ConvGeometry.of(2, 3, 17, 19, 2 * lanes(), 3, 5, 1, 1, 1, 0, 1, 2, 1, 1, 1);
        assertTrue(ConvChannelSimd.acceptsWeight(threeHigh));
        assertWeightMatches(threeHigh);
    }

    @Test
    void weightGradientTakesWholeBlocksOfTapsOnly() {
        assertTrue(ConvChannelSimd.suitsWeight(ConvGeometry.of(256, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1))); // LeNet conv2
        assertFalse(ConvChannelSimd.acceptsWeight(ConvGeometry.of(4, 6, 14, 14, 16, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));  // 3×3
        assertFalse(ConvChannelSimd.acceptsWeight(ConvGeometry.of(4, 6, 14, 14, 16, 5, 4, 1, 1, 0, 0, 0, 0, 1, 1, 1)));  // 4 wide
        assertFalse(ConvChannelSimd.acceptsWeight(ConvGeometry.of(4, 6, 24, 24, 16, 5, 5, 1, 1, 0, 0, 0, 0, 2, 2, 1)));  // dilated
        assertFalse(ConvChannelSimd.acceptsWeight(ConvGeometry.of(4, 6, 14, 14, 24, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1)));  // not whole vectors
    }

    @Test
    void weightGradientGivesTheSameBitsAtOneTwoAndThreeThreads() {
        // More images than runs (uneven runs), and a padded layer with a row stride and two vectors.
        ConvGeometry[] layers = {
            ConvGeometry.of(41, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            ConvGeometry.of(11, 3, 30, 31, 2 * lanes(), 5, 10, 2, 1, 1, 2, 0, 1, 1, 1, 1),
        };
        int before = Threads.get();
        try {
            for (ConvGeometry g : layers) {
                float[] x = input(g);
                float[] gradY = gradOutput(g);
                Threads.set(1);
                float[] one = ConvChannelSimd.backwardWeight(x, gradY, g);
                assertClose(ConvNaive.backwardWeight(x, gradY, g), one, g + " at 1 thread");
                for (int threads : new int[] {2, 3}) {
                    Threads.set(threads);
                    assertArrayEquals(one, ConvChannelSimd.backwardWeight(x, gradY, g), g + " at " + threads + " threads");
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    private void assertWeightMatches(ConvGeometry g) {
        float[] x = input(g);
        float[] gradY = gradOutput(g);
        float[] expected = ConvNaive.backwardWeight(x, gradY, g);
        for (int registers : new int[] {16, 32}) {
            assertClose(expected, ConvChannelSimd.backwardWeight(x, gradY, g, registers), g + " ∂L/∂W, registers " + registers);
        }
    }

    private void assertMatches(ConvGeometry g) {
        float[] x = input(g);
        float[] w = weights(g);
        float[] bias = bias(g);
        float[] expected = ConvNaive.forward(x, w, bias, g);
        float[] expectedNoBias = ConvNaive.forward(x, w, null, g);
        for (int registers : new int[] {16, 32}) {
            assertClose(expected, ConvChannelSimd.forward(x, w, bias, g, registers), g + " forward, registers " + registers);
            assertClose(expectedNoBias, ConvChannelSimd.forward(x, w, null, g, registers), g + " no bias, registers " + registers);
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
