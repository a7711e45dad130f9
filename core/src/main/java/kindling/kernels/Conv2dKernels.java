package kindling.kernels;

/**
 * The fast 2-D convolution: im2col, then one GEMM per group; {@link ConvNaive} is the same contract
 * written as the textbook sum, and the tests hold this class to it. In kernel mode simd the forward,
 * the weight gradient and the input gradient of a stride-1 layer go to {@code ConvSimd} instead, a
 * direct convolution that never writes the im2col matrix, when the layer's output plane is large
 * enough for it ({@code ConvSimd.suits}: the direct kernel computes whole vectors of output
 * positions, so on a 4×4 or 2×2 plane most of its lanes would be thrown away, while im2col + GEMM
 * puts the positions of many images side by side) and its filters read every phase of the stride
 * (a 1×1 filter with stride 2, a ResNet's shortcut, reads a quarter of the image: im2col copies just
 * that quarter, and one GEMM does the rest). A tiny plane (at most k_h·k_w pixels, such as a
 * 3×3 layer on 2×2) goes in mode simd to {@code ConvDense}: one dense product over the batch, no im2col.
 * A stride-1 layer on a small plane whose images, stacked one above the other, fill the direct
 * kernel's panels well enough (ResNet.small()'s 7×7 stage) goes in mode simd to {@code ConvStacked},
 * which runs {@code ConvSimd} on tall stacks of images.
 * A forward whose filters fill one or two vectors exactly (LeNet's conv2: 16) and on which ConvSimd
 * would compute many positions for nothing goes in mode simd to {@code ConvChannelSimd}, a direct
 * convolution with the filters in the lanes, before all of these ({@code ConvChannelSimd.suits});
 * so does such a layer's weight gradient when its filters are whole blocks of taps
 * ({@code ConvChannelSimd.suitsWeight}: a width multiple of 5, and with one vector of filters a height
 * multiple of 5 too, as LeNet's 5×5).
 * A strided forward with a short filter (AlexNet's conv1) goes in mode simd to {@code ConvPanelSimd},
 * which numbers its outputs as y does and stores them there directly ({@code ConvPanelSimd.suits}).
 * What follows is the path of mode plain, and of mode simd for small planes and for ∂L/∂x with a stride.
 * <pre>
 *   forward:   col = im2col(x)                      (C_in·k_h·k_w) × (images·H_out·W_out)
 *              Y   = W · col                        W viewed as C_out × (C_in/groups·k_h·k_w), per group
 *   backward:  ∂L/∂W   = ∂L/∂Y · colᵀ              (computed as (col · ∂L/∂Yᵀ)ᵀ, summed over chunks of images,
 *                                                    on small planes in mode simd as written, with colᵀ built directly)
 *              ∂L/∂col = Wᵀ · ∂L/∂Y,  ∂L/∂x = col2im(∂L/∂col)
 *                        (with stride 1: ∂L/∂x = conv(∂L/∂y, flipped W), no col2im; see backwardInput)
 *              ∂L/∂b   = Σ over images and positions of ∂L/∂Y
 * </pre>
 * Where the speed comes from:
 * <ul>
 *   <li>All the multiply-adds happen in {@link Gemm} (SIMD, packing, cache blocking and threads).</li>
 *   <li>The batch is cut into small chunks of images, each with its own im2col matrix: a chunk has
 *       just enough images for its GEMM to be wide ({@link #MIN_COLUMNS} output positions, so
 *       packing and panel edges stay a small part of it), which keeps its col matrix small enough to
 *       stay in cache between im2col writing it and the GEMM reading it. (One col matrix for the whole
 *       batch goes to memory and back: im2col then cost more than the GEMM.)</li>
 *   <li>The chunks run in parallel, one per thread, each GEMM on its own thread (see {@link Threads}
 *       on nested loops); with too few chunks to share out, they run one by one and each GEMM uses
 *       the threads instead. A chunk of one image reads ∂L/∂y and writes y in place, since the
 *       per-image block of (C_out, H_out, W_out) is already the C_out × (H_out·W_out) matrix the
 *       GEMM wants; larger chunks copy to and from that layout.</li>
 *   <li>The col buffers are per thread and reused from call to call, so training does not churn the
 *       garbage collector.</li>
 *   <li>The chunks depend only on the shapes and the weight gradient sums them in a fixed order, so
 *       results are bit-identical for any {@link Threads#get()}.</li>
 * </ul>
 * Arrays are row-major: x (N, C_in, H, W), w (C_out, C_in/groups, k_h, k_w), y (N, C_out, H_out, W_out).
 */
public final class Conv2dKernels {
    /** A chunk holds at least this many output positions (unless the batch has fewer). */
    static final int MIN_COLUMNS = 256;
    /** ∂L/∂x is computed as a convolution (see {@link #backwardInput}) from this many input channels per group. */
    static final int MIN_CHANNELS_AS_CONVOLUTION = 32;
    /** Upper bound on the floats of one chunk's col matrix (at least one image per chunk). */
    static final int COL_FLOATS = 1 << 22;
    /** The weight gradient is summed in at most this many partial sums, computed in parallel. */
    static final int MAX_PARTIALS = 8;
    /** ... and only while the partial sums together stay under this many floats. */
    static final int PARTIAL_FLOATS = 1 << 22;
    /** {@link #imagesPerEvenChunk} merges an odd number of chunks only up to this many. */
    static final int MAX_MERGED_CHUNKS = 7;
    /** ... and only when each chunk grows by at most 1/MERGE_GROWTH of its images (29 → 32 does). */
    static final int MERGE_GROWTH = 4;
    /**
     * From this many weights on, a small plane's weight gradient is one running sum that the threads
     * share by splitting each chunk's product ({@link #backwardWeightWide}) instead of partial sums.
     */
    static final int WIDE_WEIGHTS = 1 << 18;
    /**
     * A chunk of {@link #backwardWeightWide} holds at most this many output positions (unless one image
     * has more): the length of {@code GemmSimd}'s k-blocks, so that each chunk's product is one pass
     * over ∂L/∂W ({@link #imagesPerWideChunk}).
     */
    static final int WIDE_COLUMNS = 1024;

    /**
     * Per-thread buffer for the flipped filters of {@link #backwardInput}, reused from call to call: a
     * new array for them each call was a large allocation (9 MB on a 512-channel 3×3 layer) that the
     * JVM zeroes before the copy fills it, on the calling thread alone.
     */
    private static final ThreadLocal<float[]> FLIPPED = ThreadLocal.withInitial(() -> new float[0]);

    /** Per-thread buffers for a chunk's col matrix and its (C_out × columns) product. */
    private static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(() -> new float[2][0]);

    private Conv2dKernels() {
    }

    /**
     * y = conv(x, w) + bias; {@code bias} may be null. {@code w} may be longer than the weights: only
     * its first C_out · C_in/groups · k_h · k_w floats are read ({@link #backwardInput} passes its
     * reused buffer of flipped filters), and no path decides anything from {@code w.length}.
     */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        if (Kernels.simd() && ConvChannelSimd.suits(g)) {
            return ConvChannelSimd.forward(x, w, bias, g);
        }
        if (Kernels.simd() && ConvPanelSimd.suits(g)) {
            return ConvPanelSimd.forward(x, w, bias, g);
        }
        if (Kernels.simd() && ConvSimd.suits(g)) {
            return ConvSimd.forward(x, w, bias, g);
        }
        if (Kernels.simd() && ConvDense.suits(g)) {
            return ConvDense.forward(x, w, bias, g);
        }
        if (Kernels.simd() && ConvStacked.suits(g)) {
            return ConvStacked.forward(x, w, bias, g);
        }
        // y is allocated by the first chunk's task, while the other threads compute their chunks (see ConvSimd.Output).
        ConvSimd.Output output = new ConvSimd.Output(g.batch() * g.outChannels() * g.outPlane());
        int chunk = imagesPerEvenChunk(g);
        int chunks = chunkCount(g, chunk);
        forEachChunk(chunks, c -> {
            if (c == 0) {
                output.array();
            }
            int first = c * chunk;
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] col = im2colChunk(x, g, first, images);
            // One image: its block of y is the C_out × columns product itself.
            boolean inPlace = images == 1;
            float[] y = inPlace ? output.array() : null;
            float[] product = inPlace ? y : workspace(1, g.outChannels() * columns);
            int productOffset = inPlace ? first * g.outChannels() * g.outPlane() : 0;
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(g.outPerGroup(), columns, g.patchSize(),
                        Operand.of(w, group * g.outPerGroup() * g.patchSize(), g.patchSize()),
                        Operand.of(col, group * g.patchSize() * columns, columns),
                        0f, Operand.of(product, productOffset + group * g.outPerGroup() * columns, columns));
            }
            if (inPlace && bias == null) {
                return;
            }
            y = output.array();
            for (int slot = 0; slot < images; slot++) {                        // back to (N, C_out, H_out, W_out)
                for (int o = 0; o < g.outChannels(); o++) {
                    float b = bias == null ? 0f : bias[o];
                    int from = productOffset + o * columns + slot * g.outPlane();
                    int to = ((first + slot) * g.outChannels() + o) * g.outPlane();
                    for (int p = 0; p < g.outPlane(); p++) {
                        y[to + p] = product[from + p] + b;            // in place: from == to
                    }
                }
            }
        });
        return output.array();
    }

    /**
     * ∂L/∂x. With stride 1 it is itself a convolution, of ∂L/∂y by the flipped filters with the
     * channels' roles exchanged ({@link #flippedFilters}), padded so that the output is H × W:
     * <pre>
     *   ∂L/∂x[c][h][w] = Σ_o Σ_a Σ_b ∂L/∂y[o][h + pad_top − a·d_h][w + pad_left − b·d_w] · W[o][c][a][b]
     *                  = conv(∂L/∂y, W'),   W'[c][o][a][b] = W[o][c][k_h−1−a][k_w−1−b],
     *                    padding d·(k−1) − pad before and H − H_out + pad after
     * </pre>
     * which runs as {@link #forward}: im2col of ∂L/∂y, then GEMMs writing ∂L/∂x in place. Otherwise
     * (stride &gt; 1, or few input channels) Wᵀ · ∂L/∂Y per group, then col2im, which adds each value
     * back where it came from. The first is faster because im2col copies whole runs of a row, while
     * col2im must add element by element (figures for ResNet's 3×3 layer in docs/performance.md).
     * In mode simd a strided layer's col2im goes by phase ({@code Col2ImSimd}), in whole vectors, and
     * on a small output plane ({@link Im2Col#SMALL_PLANE}) each pixel gathers its contributions
     * through a table instead ({@code Im2ColSimd.col2im}), for all the images of a chunk. Before all
     * of this, in mode simd, a tiny plane ({@code ConvDense.suits}) goes to {@code ConvDense}: ∂L/∂X =
     * ∂L/∂Y · M, one dense product over the batch, with no im2col and no col2im.
     */
    public static float[] backwardInput(float[] gradY, float[] w, ConvGeometry g) {
        if (Kernels.simd() && ConvDense.suits(g)) {
            return ConvDense.backwardInput(gradY, w, g);
        }
        ConvGeometry asConvolution = gradientAsConvolution(g);
        if (asConvolution != null) {
            float[] flipped = FLIPPED.get();
            if (flipped.length < w.length) {
                flipped = new float[w.length];
                FLIPPED.set(flipped);
            }
            return forward(gradY, flippedFilters(w, g, flipped), null, asConvolution);
        }
        float[] gradX = new float[g.batch() * g.inChannels() * g.height() * g.width()];
        int chunk = imagesPerEvenChunk(g);
        forEachChunk(chunkCount(g, chunk), c -> {
            int first = c * chunk;
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] gradProduct = images == 1 ? gradY : gatherGradient(gradY, g, first, images);
            int productOffset = images == 1 ? first * g.outChannels() * g.outPlane() : 0;
            float[] gradCol = workspace(0, g.inChannels() * g.kernelH() * g.kernelW() * columns);
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(g.patchSize(), columns, g.outPerGroup(),
                        Operand.ofTransposed(w, group * g.outPerGroup() * g.patchSize(), g.patchSize()),
                        Operand.of(gradProduct, productOffset + group * g.outPerGroup() * columns, columns),
                        0f, Operand.of(gradCol, group * g.patchSize() * columns, columns));
            }
            if (smallPlaneInSimd(g)) {
                Im2ColSimd.col2im(gradCol, columns, g, first, images, gradX);
                return;
            }
            boolean byPhase = Kernels.simd() && (g.strideH() > 1 || g.strideW() > 1);
            for (int slot = 0; slot < images; slot++) {
                if (byPhase) {
                    Col2ImSimd.col2imByPhase(gradCol, slot, columns, g, first + slot, gradX);
                } else {
                    Im2Col.col2im(gradCol, slot, columns, g, first + slot, gradX);
                }
            }
        });
        return gradX;
    }

    /**
     * ∂L/∂W = ∂L/∂Y · colᵀ per group, computed transposed, as col · ∂L/∂Yᵀ: then the large col matrix
     * is GEMM's A, read along its rows as stored, and only the small ∂L/∂Y (C_out rows) is read
     * across (faster on ResNet's 3×3 layer; see docs/performance.md). The chunks are dealt out in order to a fixed number
     * of partial sums (chunks 0..a to the first, a+1..b to the second, ...), computed in parallel and
     * then added in order, and the sum is transposed back to (C_out, C_in/groups, k_h, k_w).
     *
     * <p>In mode simd the other paths are tried first, in this order: a small output plane
     * ({@code Im2Col.SMALL_PLANE}) with at least {@code WIDE_WEIGHTS} weights that {@code ConvDense}
     * does not suit goes to {@code backwardWeightWide}; then a layer with fewer filters than a
     * vector's lanes, or with a short patch, that {@code ConvWeightSimd} suits to it (positions in the lanes); then a layer
     * whose filters fill one or two vectors that {@code ConvChannelSimd.suitsWeight} suits to it
     * (filters in the lanes, LeNet's conv2); then a layer that {@code ConvSimd} suits to its direct kernel; a tiny plane to {@code ConvDense}; a stride-1 small plane of several images
     * that {@code ConvStacked} suits to it; any other small plane to {@code backwardWeightSmallPlane}
     * (∂L/∂Y · colᵀ as written). The wide path comes before {@code ConvSimd} because with that many
     * weights the direct kernel's partial sums, each an array as large as ∂L/∂W, and the short
     * product per image cost more than they save: ResNet-18's 256 → 256 layer on 6×6 planes, which
     * {@code ConvSimd} suits, was faster on the wide path (docs/kernels.md).
     */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        if (smallPlaneInSimd(g) && !ConvDense.suits(g) && (long) g.outChannels() * g.patchSize() >= WIDE_WEIGHTS) {
            return backwardWeightWide(x, gradY, g, imagesPerWideChunk(g));
        }
        if (Kernels.simd() && ConvWeightSimd.suits(g)) {
            return ConvWeightSimd.backwardWeight(x, gradY, g);
        }
        if (Kernels.simd() && ConvChannelSimd.suitsWeight(g)) {
            return ConvChannelSimd.backwardWeight(x, gradY, g);
        }
        if (Kernels.simd() && ConvSimd.suits(g)) {
            return ConvSimd.backwardWeight(x, gradY, g);
        }
        if (Kernels.simd() && ConvDense.suits(g)) {
            return ConvDense.backwardWeight(x, gradY, g);
        }
        if (Kernels.simd() && ConvStacked.suits(g)) {
            return ConvStacked.backwardWeight(x, gradY, g);
        }
        if (smallPlaneInSimd(g)) {
            return backwardWeightSmallPlane(x, gradY, g);
        }
        int weights = g.outChannels() * g.patchSize();
        // each partial: per group, patch × C_out/groups
        float[][] partials = partialSums(gradY, g, (partial, first, images, gradProduct, productOffset) -> {
            int columns = images * g.outPlane();
            float[] col = im2colChunk(x, g, first, images);
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(g.patchSize(), g.outPerGroup(), columns,
                        Operand.of(col, group * g.patchSize() * columns, columns),
                        Operand.ofTransposed(gradProduct, productOffset + group * g.outPerGroup() * columns, columns),
                        1f, Operand.of(partial, group * g.patchSize() * g.outPerGroup(), g.outPerGroup()));
            }
        });
        float[] gradW = new float[weights];
        sumAndTranspose(partials, g.groups(), g.patchSize(), g.outPerGroup(), g.outPerGroup(), gradW);
        return gradW;
    }

    /**
     * ∂L/∂W on a small output plane (mode simd): ∂L/∂W = ∂L/∂Y · colᵀ per group, as written, with
     * colᵀ built directly ({@code Im2ColSimd.im2colTransposed}, one row per output position). Then
     * colᵀ is GEMM's B, (positions × taps), read row by row where it is when C_out/groups is small
     * (see {@code GemmSimd}), while {@link #backwardWeight}'s transposed product packs the whole col
     * matrix, a copy as large as the product's input, which with few output channels weighs
     * (figures in docs/kernels.md). The result is already in W's layout (C_out, C_in/groups, k_h, k_w): the partial sums
     * are only added, in order, with no transposition. Chunks and partial sums as in
     * {@link #backwardWeight} ({@link #partialSums}), so the result does not depend on the thread count.
     */
    private static float[] backwardWeightSmallPlane(float[] x, float[] gradY, ConvGeometry g) {
        int weights = g.outChannels() * g.patchSize();
        int rowLength = g.inChannels() * g.kernelH() * g.kernelW();
        Im2ColSimd.TransposedTable table = new Im2ColSimd.TransposedTable(g);
        float[][] partials = partialSums(gradY, g, (partial, first, images, gradProduct, productOffset) -> {
            int columns = images * g.outPlane();
            float[] colT = workspace(0, columns * rowLength);
            Im2ColSimd.im2colTransposed(x, g, first, images, table, colT);
            productPerGroup(g, columns, gradProduct, productOffset, colT, 1f, partial);
        });
        float[] gradW = partials[0];
        for (int s = 1; s < partials.length; s++) {            // in order of s, whoever computed them
            for (int i = 0; i < weights; i++) {
                gradW[i] += partials[s][i];
            }
        }
        return gradW;
    }

    /**
     * ∂L/∂W on a small output plane with many weights (mode simd; ResNet-18's 256-channel 3×3 layer on
     * 6×6 planes has 590,000): ∂L/∂W = ∂L/∂Y · colᵀ as in {@link #backwardWeightSmallPlane}, but one
     * running sum instead of partial sums. With so many weights, partial sums cost a lot: each is a
     * new array as large as ∂L/∂W, and adding them up at the end is a pass over all of them on one
     * thread. Here the chunks of images ({@link #imagesPerWideChunk}: up to {@link #WIDE_COLUMNS}
     * positions, a long k for the product) go one after the other, in order, each adding its product
     * to ∂L/∂W; the threads share each
     * chunk's work instead: its colᵀ image by image, and its product tile by tile of ∂L/∂W (as
     * {@link Gemm} always does, each tile summed over k in the same order whatever the thread count).
     * So every weight's sum runs over the chunks in the same order on any number of threads.
     */
    static float[] backwardWeightWide(float[] x, float[] gradY, ConvGeometry g, int chunk) {
        int rowLength = g.inChannels() * g.kernelH() * g.kernelW();
        Im2ColSimd.TransposedTable table = new Im2ColSimd.TransposedTable(g);
        float[] gradW = new float[g.outChannels() * g.patchSize()];
        for (int first = 0; first < g.batch(); first += chunk) {
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] colT = workspace(0, columns * rowLength);
            int start = first;
            Threads.parallelFor(images, slot -> Im2ColSimd.im2colTransposed(x, g, start + slot, 1, table, colT,
                    slot * g.outPlane() * rowLength));
            float[] gradProduct = images == 1 ? gradY : gatherGradient(gradY, g, first, images);
            int productOffset = images == 1 ? first * g.outChannels() * g.outPlane() : 0;
            productPerGroup(g, columns, gradProduct, productOffset, colT, first == 0 ? 0f : 1f, gradW);
        }
        return gradW;
    }

    /**
     * Images per chunk of {@link #backwardWeightWide}: as many chunks as it takes to keep each within
     * {@link #WIDE_COLUMNS} output positions (and its colᵀ within {@link #COL_FLOATS}), and the batch
     * shared out evenly among them. The positions are the k of the chunk's product, and
     * {@code GemmSimd} sums k in blocks of 1024 ({@code GemmSimd.DEPTH}), each block one pass over
     * the product's C, here ∂L/∂W itself. Rounding the images up to reach 1024 positions (29 images of
     * 6×6, 1044 positions; 114 of 3×3, 1026) made every chunk two k-blocks, the second of 20 or 2
     * steps, and so one more pass over ∂L/∂W (2.4 MB on a 256-channel 3×3 layer, 9.4 MB on a
     * 512-channel one) for almost no multiply-adds; 128 images of 3×3 became chunks of 114 and 14.
     * Now 128 images of 6×6 are 5 chunks of 26 (the last 24), 936 positions each; of 3×3, 2 of 64.
     * Depends only on the shapes, so the sums still run in the same order on any number of threads.
     */
    static int imagesPerWideChunk(ConvGeometry g) {
        int batch = Math.max(1, g.batch());
        long perImage = Math.max(1, g.outPlane());
        long rowLength = (long) g.inChannels() * g.kernelH() * g.kernelW();
        long most = Math.max(1, Math.min(WIDE_COLUMNS / perImage, COL_FLOATS / Math.max(1, perImage * rowLength)));
        long chunks = (batch + most - 1) / most;
        return (int) Math.min(batch, (batch + chunks - 1) / chunks);
    }

    /**
     * gradW = ∂L/∂Y · colᵀ + β·gradW per group, in W's layout (C_out, C_in/groups, k_h, k_w): ∂L/∂Y is
     * the C_out × {@code columns} matrix at {@code productOffset} in {@code gradProduct}, colᵀ the
     * {@code columns} × (C_in·k_h·k_w) matrix {@code colT} (group by group along its rows).
     */
    private static void productPerGroup(ConvGeometry g, int columns, float[] gradProduct, int productOffset,
                                        float[] colT, float beta, float[] gradW) {
        int rowLength = g.inChannels() * g.kernelH() * g.kernelW();
        for (int group = 0; group < g.groups(); group++) {
            Gemm.gemm(g.outPerGroup(), g.patchSize(), columns,
                    Operand.of(gradProduct, productOffset + group * g.outPerGroup() * columns, columns),
                    Operand.of(colT, group * g.patchSize(), rowLength),
                    beta, Operand.of(gradW, group * g.outPerGroup() * g.patchSize(), g.patchSize()));
        }
    }

    /** What one chunk of images adds to a partial sum of ∂L/∂W. */
    private interface ChunkProduct {
        /**
         * Adds the contribution of images first..first+images−1 to {@code partial}; their ∂L/∂y is the
         * C_out × (images·H_out·W_out) matrix at {@code productOffset} in {@code gradProduct}.
         */
        void addTo(float[] partial, int first, int images, float[] gradProduct, int productOffset);
    }

    /**
     * The weight gradient's chunks of images dealt out in order to a fixed number of partial sums
     * (chunks 0..a to the first, a+1..b to the second, ...), the partial sums computed in parallel:
     * which chunks go into which sum depends only on the shapes, never on the threads.
     */
    private static float[][] partialSums(float[] gradY, ConvGeometry g, ChunkProduct product) {
        int weights = g.outChannels() * g.patchSize();
        int chunk = imagesPerChunk(g);
        int chunks = chunkCount(g, chunk);
        int partialCount = partialCount(chunks, weights);
        float[][] partials = new float[partialCount][];
        forEachChunk(partialCount, s -> {
            float[] partial = new float[weights];
            for (int c = s * chunks / partialCount; c < (s + 1) * chunks / partialCount; c++) {
                int first = c * chunk;
                int images = Math.min(chunk, g.batch() - first);
                float[] gradProduct = images == 1 ? gradY : gatherGradient(gradY, g, first, images);
                int productOffset = images == 1 ? first * g.outChannels() * g.outPlane() : 0;
                product.addTo(partial, first, images, gradProduct, productOffset);
            }
            partials[s] = partial;
        });
        return partials;
    }

    /** Side of the square tiles in which {@link #sumAndTranspose} walks the weight gradient. */
    static final int TRANSPOSE_TILE = 32;

    /**
     * gradW[o][t] = Σ_s partials[s][t][o] within each group (the partial sums are (patch × ld) per
     * group, of which the first {@code outs} = C_out/groups columns are summed: ld &gt; outs leaves out
     * padding filters; gradW is (outs × patch) per group), each sum taken in order s = 0, 1, ... A plain
     * transposition writes gradW {@code patch} floats apart at every step, a new cache line each time;
     * walking it in {@link #TRANSPOSE_TILE}² tiles keeps the few lines a tile writes in the L1 cache
     * (on ResNet's 512-channel 3×3 layers gradW has 2.4 M floats). The tiles are independent and go to
     * the threads when there are enough of them; every sum is the same whoever computes it.
     */
    static void sumAndTranspose(float[][] partials, int groups, int patch, int outs, int ld, float[] gradW) {
        int tileRows = (patch + TRANSPOSE_TILE - 1) / TRANSPOSE_TILE;
        int tileCols = (outs + TRANSPOSE_TILE - 1) / TRANSPOSE_TILE;
        int tilesPerGroup = tileRows * tileCols;
        Threads.Task tile = index -> {
            int group = index / tilesPerGroup;
            int t0 = (index % tilesPerGroup) / tileCols * TRANSPOSE_TILE;
            int o0 = (index % tilesPerGroup) % tileCols * TRANSPOSE_TILE;
            for (int t = t0; t < Math.min(patch, t0 + TRANSPOSE_TILE); t++) {
                for (int o = o0; o < Math.min(outs, o0 + TRANSPOSE_TILE); o++) {
                    int from = (group * patch + t) * ld + o;
                    float sum = partials[0][from];
                    for (int s = 1; s < partials.length; s++) {
                        sum += partials[s][from];
                    }
                    gradW[(group * outs + o) * patch + t] = sum;
                }
            }
        };
        int tiles = groups * tilesPerGroup;
        if (gradW.length >= Threads.ELEMENTWISE_BLOCK) {
            Threads.parallelFor(tiles, tile);
        } else {
            for (int index = 0; index < tiles; index++) {
                tile.run(index);
            }
        }
    }

    /** ∂L/∂bias[o] = Σ_n Σ_p ∂L/∂y[n][o][p], summed in a fixed order. */
    public static float[] backwardBias(float[] gradY, ConvGeometry g) {
        return sumPerChannel(gradY, g.batch(), g.outChannels(), g.outPlane());
    }

    /**
     * Σ_n Σ_p y[n][c][p] for each channel c of y (N, C, P): a bias gradient, for a convolution or a
     * transposed one alike. Each plane is summed on its own, then the planes in order of n, so the
     * result does not depend on anything but the data. In kernel mode simd, {@code ConvSimd}'s
     * vectorised, parallel sum instead (in a fixed order too).
     */
    static float[] sumPerChannel(float[] y, int batch, int channels, int plane) {
        if (Kernels.simd()) {
            return ConvSimd.sumPerChannel(y, batch, channels, plane);
        }
        float[] sums = new float[channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * plane;
                float sum = 0f;
                for (int p = 0; p < plane; p++) {
                    sum += y[base + p];
                }
                sums[c] += sum;
            }
        }
        return sums;
    }

    /**
     * The convolution whose output is ∂L/∂x for a stride-1 convolution g (input ∂L/∂y with C_out
     * channels, C_in filters of W'), or null when g has a stride above 1 or, outside simd mode, fewer
     * than {@link #MIN_CHANNELS_AS_CONVOLUTION} input channels per group: then that convolution's GEMM
     * would have only C_in rows, too few to keep the GEMM busy (LeNet's conv2, 6 → 16, is slower that
     * way than with col2im). The direct kernel of simd mode ({@code ConvSimd}) has no such limit.
     */
    static ConvGeometry gradientAsConvolution(ConvGeometry g) {
        // The direct kernel of simd mode has no GEMM rows to keep busy: the convolution wins there at
        // any channel count (LeNet's conv2 too).
        int minChannels = Kernels.simd() ? 1 : MIN_CHANNELS_AS_CONVOLUTION;
        if (g.strideH() != 1 || g.strideW() != 1 || g.inPerGroup() < minChannels) {
            return null;
        }
        int spanH = g.dilationH() * (g.kernelH() - 1);
        int spanW = g.dilationW() * (g.kernelW() - 1);
        int top = spanH - g.padTop();
        int left = spanW - g.padLeft();
        int bottom = g.height() - g.outHeight() + g.padTop();
        int right = g.width() - g.outWidth() + g.padLeft();
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            return null;                       // padding wider than the kernel: no such convolution
        }
        return ConvGeometry.of(g.batch(), g.outChannels(), g.outHeight(), g.outWidth(),
                g.inChannels(), g.kernelH(), g.kernelW(), 1, 1, top, bottom, left, right,
                g.dilationH(), g.dilationW(), g.groups());
    }

    /** Input channels per tile of {@link #flippedFilters}: the rows of W' that one tile writes side by side. */
    static final int FLIP_CHANNELS = 16;
    /** From this many weights on, {@link #flippedFilters} hands its tiles to the threads. */
    static final int FLIP_PARALLEL = 1 << 16;

    /**
     * W'[c][o][a][b] = W[o][c][k_h−1−a][k_w−1−b] within each group: W' is (C_in, C_out/groups, k_h, k_w).
     * A transposition of the (o, c) blocks of k_h·k_w weights, done in tiles of {@link #FLIP_CHANNELS}
     * input channels: a tile reads, for each o, its channels' weights where they lie side by side in W,
     * and appends them to its channels' rows of W', so that both arrays are walked in runs rather than
     * one filter-block stride per weight (W of a 512-channel 3×3 layer is 9 MB, far beyond the cache,
     * and the plain loop over o, c wrote W' 18 KB apart each time). The tiles write disjoint parts of
     * W', so they run on the threads when W is large: the copy is otherwise a serial pass in front of
     * the whole ∂L/∂x. Each weight is only copied, so W' does not depend on the tiling or the threads.
     */
    static float[] flippedFilters(float[] w, ConvGeometry g) {
        return flippedFilters(w, g, new float[w.length]);
    }

    /**
     * {@link #flippedFilters(float[], ConvGeometry)} written into the first {@code w.length} floats of
     * {@code flipped} (which may be longer); returns {@code flipped}.
     */
    static float[] flippedFilters(float[] w, ConvGeometry g, float[] flipped) {
        int taps = g.kernelH() * g.kernelW();
        int in = g.inPerGroup();
        int out = g.outPerGroup();
        int tilesPerGroup = (in + FLIP_CHANNELS - 1) / FLIP_CHANNELS;
        Threads.Task tile = index -> {
            int group = index / tilesPerGroup;
            int c0 = (index % tilesPerGroup) * FLIP_CHANNELS;
            int c1 = Math.min(in, c0 + FLIP_CHANNELS);
            for (int o = 0; o < out; o++) {
                for (int c = c0; c < c1; c++) {
                    int from = ((group * out + o) * in + c) * taps;
                    int to = ((group * in + c) * out + o) * taps;
                    for (int t = 0; t < taps; t++) {
                        flipped[to + t] = w[from + taps - 1 - t];      // a, b → k_h−1−a, k_w−1−b
                    }
                }
            }
        };
        int tiles = g.groups() * tilesPerGroup;
        if (w.length >= FLIP_PARALLEL) {
            Threads.parallelFor(tiles, tile);
        } else {
            for (int t = 0; t < tiles; t++) {
                tile.run(t);
            }
        }
        return flipped;
    }

    /**
     * Images per chunk: enough for {@link #MIN_COLUMNS} output positions, fewer if the col matrix would
     * pass {@link #COL_FLOATS}, at least 1 and at most the batch. Depends only on the shapes.
     */
    static int imagesPerChunk(ConvGeometry g) {
        long perImage = Math.max(1L, (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outPlane());
        int wide = (MIN_COLUMNS + Math.max(g.outPlane(), 1) - 1) / Math.max(g.outPlane(), 1);
        int fits = (int) Math.max(1, COL_FLOATS / perImage);
        return Math.max(1, Math.min(Math.max(g.batch(), 1), Math.min(wide, fits)));
    }

    /**
     * Images per chunk of {@link #forward} and {@link #backwardInput}: {@link #imagesPerChunk}, but a few
     * chunks in an odd number (3, 5 or 7, up to {@link #MAX_MERGED_CHUNKS}) become one chunk fewer when
     * that makes each chunk at most a quarter larger ({@link #MERGE_GROWTH}) and its col matrix still
     * fits {@link #COL_FLOATS}. A batch of 128 on 3×3 planes (ResNet-18's 512-channel layers) is 4 chunks
     * of 29 images and one of 12; two threads then take 3 and 2 of them, 70 images against 58, and one
     * waits for the other at the end of every call. 4 chunks of 32 give each thread 64, and pack the
     * filters (the GEMMs' A) 4 times rather than 5. Small chunks stay as they are: 7 chunks of one
     * image would become 4 of two, and with as many threads as chunks each thread would then do twice
     * the work of one chunk instead of once. The chunks still depend only on the shapes, and every
     * output is its own column of a GEMM whatever the chunk around it, so the result does not depend
     * on the thread count. The weight gradient keeps {@link #imagesPerChunk}: its chunks decide its
     * partial sums.
     */
    static int imagesPerEvenChunk(ConvGeometry g) {
        int chunk = imagesPerChunk(g);
        int chunks = chunkCount(g, chunk);
        if (chunks % 2 == 0 || chunks < 3 || chunks > MAX_MERGED_CHUNKS) {
            return chunk;
        }
        long perImage = Math.max(1L, (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outPlane());
        int larger = (g.batch() + chunks - 2) / (chunks - 1);
        boolean modest = larger <= chunk + chunk / MERGE_GROWTH;
        return modest && larger * perImage <= COL_FLOATS ? larger : chunk;
    }

    private static int chunkCount(ConvGeometry g, int imagesPerChunk) {
        return (g.batch() + imagesPerChunk - 1) / imagesPerChunk;
    }

    /** How many partial sums the weight gradient uses: up to one per chunk, within the limits above. */
    static int partialCount(int chunks, int weights) {
        return Math.max(1, Math.min(chunks, Math.min(MAX_PARTIALS, PARTIAL_FLOATS / Math.max(weights, 1))));
    }

    /**
     * Runs {@code task} for chunks 0..count−1: in parallel when there is a chunk for every thread
     * (each chunk's im2col and GEMMs then stay on its thread), otherwise one after the other with the
     * threads working inside each GEMM. Two chunks on two threads already beat one GEMM split in two:
     * a chunk's GEMM is small (a few hundred columns), too small to share well, and the im2col
     * before it runs on one thread either way. Who computes a chunk never changes what it computes.
     */
    private static void forEachChunk(int count, Threads.Task task) {
        if (count >= Threads.get() || count >= MAX_PARTIALS) {
            Threads.parallelFor(count, task);
        } else {
            for (int c = 0; c < count; c++) {
                task.run(c);
            }
        }
    }

    /**
     * Whether layer g has a small output plane ({@link Im2Col#SMALL_PLANE} positions or fewer) and runs
     * in kernel mode simd: then its im2col, col2im and weight gradient take the vector loops of
     * {@code Im2ColSimd}, which handle all the images of a chunk in one pass.
     */
    private static boolean smallPlaneInSimd(ConvGeometry g) {
        return Kernels.simd() && g.outPlane() <= Im2Col.SMALL_PLANE;
    }

    /** This thread's buffer number {@code which} (0: col, 1: product), at least {@code size} floats. */
    private static float[] workspace(int which, int size) {
        float[][] buffers = WORKSPACE.get();
        if (buffers[which].length >= size) {
            return buffers[which];
        }
        float[] buffer = new float[size];
        if (size <= COL_FLOATS) {
            buffers[which] = buffer;           // kept for the next call; an oversized one is not
        }
        return buffer;
    }

    /**
     * The col matrix of images first.. (in this thread's buffer 0). In kernel mode simd a small output
     * plane goes to {@code Im2ColSimd}, which gathers the whole chunk's columns with vector gathers
     * (the same values as {@link Im2Col}, image by image).
     */
    private static float[] im2colChunk(float[] x, ConvGeometry g, int first, int images) {
        int columns = images * g.outPlane();
        float[] col = workspace(0, g.inChannels() * g.kernelH() * g.kernelW() * columns);
        if (smallPlaneInSimd(g)) {
            Im2ColSimd.im2col(x, g, first, images, col);
            return col;
        }
        for (int slot = 0; slot < images; slot++) {
            Im2Col.im2col(x, g, first + slot, col, slot, columns);
        }
        return col;
    }

    /** ∂L/∂y of images first.. as C_out × (images·H_out·W_out), the layout the GEMMs read (in this thread's buffer 1). */
    private static float[] gatherGradient(float[] gradY, ConvGeometry g, int first, int images) {
        int columns = images * g.outPlane();
        float[] gathered = workspace(1, g.outChannels() * columns);
        for (int slot = 0; slot < images; slot++) {
            for (int o = 0; o < g.outChannels(); o++) {
                System.arraycopy(gradY, ((first + slot) * g.outChannels() + o) * g.outPlane(),
                        gathered, o * columns + slot * g.outPlane(), g.outPlane());
            }
        }
        return gathered;
    }
}
