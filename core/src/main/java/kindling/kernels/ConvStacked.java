package kindling.kernels;

import java.util.Arrays;

/**
 * A convolution on small planes (ResNet.small()'s 7×7 stage) run by the direct kernel
 * {@link ConvSimd} on a few tall images, each a stack of several images one above the other, for
 * {@link Conv2dKernels} in mode simd; {@link ConvNaive} is the textbook sum the tests hold it to.
 *
 * <p>Why: the direct kernel computes whole panels of output positions, three vectors (48 positions
 * with AVX-512) at a time, along the flat rows of one padded image. A 7×7 output plane is one panel
 * and a bit, a 4×4 plane a third of one: most of what it computes would be thrown away, and each
 * image is a task too small to share out well. Stack the images and the panels run on through them.
 *
 * <p>The trick: put {@code m} images of a channel one above the other, with {@code s} rows of zeros
 * between two images, as one image of m·H + (m − 1)·s rows, and convolve that tall image with the same
 * filters, stride, dilation and padding. Output row i of image n reads input rows
 * i·s_h − pad_top + a·d_h, for a = 0 .. k_h − 1; these lie inside image n or in the zero rows around
 * it as long as {@code s ≥ pad_top} and {@code s ≥ pad_bottom}, so the zeros play the padding the
 * image would have had on its own. With (H + s) a multiple of the stride s_h, image n's output rows
 * start at row n·(H + s)/s_h of the tall output, and with (H + s)/s_h ≥ H_out (more zero rows when the
 * padding is wider than the filter reaches) they end before image n + 1's begin:
 * <pre>
 *   xt[b][c][n·(H + s) + i][j]      = x[b·m + n][c][i][j]        (zero between the images)
 *   y[b·m + n][o][i][j]             = yt[b][o][n·(H + s)/s_h + i][j],   yt = conv(xt, W)
 *   ∂L/∂W = Σ_b ∂L/∂W of the tall image b, with ∂L/∂yt zero on the rows that are no image's outputs
 * </pre>
 * The output rows between two images mix them and are dropped (for a 3×3 layer on 7×7 planes one
 * row in eight); in exchange the panels run on through the stack, so a whole tall image is a few
 * panels of positions, and each stack is a task big enough for a thread. Stacking costs one copy
 * of x (and of ∂L/∂y for the weight gradient), and the output one copy back, passes over arrays a
 * few times smaller than the im2col matrix that the alternative writes and reads. The stacks and
 * the tall output are temporaries: they live in two buffers of the calling thread, reused from call
 * to call, so that only y is a new array. A thread keeps at most {@link Conv2dKernels#COL_FLOATS}
 * floats (16 MB) in each, as it does for its im2col buffers; larger stacks (a big layer or batch) are
 * new arrays, dropped when the call returns.
 *
 * <p>The batch is cut into {@link #STACKS} stacks (fewer for small batches) of ⌈N / STACKS⌉
 * images each, depending only on the shapes; the last stack's missing images are zeros. ConvSimd
 * computes each output, and each stack's share of ∂L/∂W, on one thread in a fixed order, so results
 * do not depend on the thread count.
 */
final class ConvStacked {
    /**
     * Stacks the batch is cut into: one per partial sum of {@link ConvSimd#backwardWeight} (its
     * {@link ConvSimd#MAX_PARTIALS}), and enough to share among threads. The forward runs ConvSimd
     * on the stacks as a batch of tall images, so it too hands out at most this many tasks.
     */
    static final int STACKS = ConvSimd.MAX_PARTIALS;
    /** Output planes of at most this many positions are stacked ({@link Im2Col#SMALL_PLANE}). */
    static final int MAX_PLANE = Im2Col.SMALL_PLANE;

    private ConvStacked() {
    }

    /**
     * Whether layer g runs here: stride 1, a small output plane ({@link #MAX_PLANE}), more than one
     * image, and at least {@link ConvSimd#MIN_USEFUL_SHARE} of the positions the direct kernel would
     * compute on the tall images being outputs of some image (not the rows between two images, nor
     * the last panel's overhang): the same rule that {@link ConvSimd#suits} applies to one image. A
     * 3×3 layer on 7×7 planes passes (16 images a stack: 784 outputs in 1,056 positions with 16
     * lanes), one on 4×4 planes does not (a row in five between images, and a column in five of
     * padding: 256 in 432). Strided layers stay with im2col + GEMM, which was faster on
     * ResNet.small()'s stride-2 layers (docs/kernels.md); {@link #forward} and
     * {@link #backwardWeight} are right for any stride all the same, and the tests run them so.
     */
    static boolean suits(ConvGeometry g) {
        if (g.strideH() != 1 || g.strideW() != 1 || g.batch() < 2 || g.outPlane() <= 0
                || g.outPlane() > MAX_PLANE || g.height() <= 0 || g.width() <= 0) {
            return false;
        }
        Stack stack = new Stack(g);
        long computed = ConvSimd.Layout.computedPositions(stack.tall, ConvSimd.REGISTERS);
        return (long) stack.images * g.outPlane() >= ConvSimd.MIN_USEFUL_SHARE * computed;
    }

    /**
     * y = conv(x, w) + bias; {@code bias} may be null. Same contract as {@link ConvNaive#forward}.
     * One parallel loop over the stacks, each task stacking its images, convolving its tall image
     * ({@code ConvSimd.image}) and copying the outputs to y while they are still in its cache. Three
     * loops one after the other (stack all, convolve all, copy all) cost two more hand-outs and a
     * serial allocation of y between the last two; here stack 0's task allocates y while the other
     * threads convolve, and a stack finished before y exists is copied by the allocating thread
     * afterwards (its outputs wait in the tall buffer, see {@code ConvSimd.Output}).
     */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        Stack stack = new Stack(g);
        int size = g.batch() * g.outChannels() * g.outPlane();
        if (size == 0) {
            return new float[0];
        }
        float[] xt = buffer(INPUT, stack.inputFloats());
        float[] yt = buffer(OUTPUT, stack.outputFloats());
        ConvSimd.Layout layout = new ConvSimd.Layout(stack.tall, ConvSimd.REGISTERS);
        float[] packed = ConvSimd.packFilters(w, stack.tall, layout.mr, layout.rowOrder);
        ConvSimd.Output tallOutput = new ConvSimd.Output(stack.outputFloats(), yt);
        ConvSimd.Output output = new ConvSimd.Output(size);
        Threads.parallelFor(stack.stacks, b -> {
            if (b == 0) {
                output.array();           // allocated first, while the other threads compute (see ConvSimd.Output)
            }
            stack.stackInput(b, x, xt);
            ConvSimd.image(xt, packed, bias, stack.tall, layout, b, tallOutput);
            output.stage(y -> stack.unstackOutput(b, yt, y), 0);     // nothing copied to stage: yt holds it
        });
        return output.array();
    }

    /** ∂L/∂W. Same contract as {@link ConvNaive#backwardWeight}. */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        Stack stack = new Stack(g);
        return ConvSimd.backwardWeight(stack.stackInput(x, buffer(INPUT, stack.inputFloats())),
                stack.stackOutput(gradY, buffer(OUTPUT, stack.outputFloats())), stack.tall);
    }

    /** Which buffer of {@link #BUFFERS}: the stacked input, and the stacked output or ∂L/∂y. */
    private static final int INPUT = 0;
    private static final int OUTPUT = 1;

    /**
     * Per-thread buffers for the stacks, kept from call to call. The stacks only live during one call,
     * and a new array for each would be a pass of the JVM zeroing it on the calling thread alone, while
     * the other threads wait for the copy that fills it (five such arrays in the three calls of a layer's
     * training step). {@link Stack#stack} writes every float of a stack, its gaps and missing images
     * as zeros, and {@code ConvSimd.forward} every float of the tall output, so nothing from an earlier
     * call (another layer, a larger batch, or one that threw half way) shows through. Each buffer is kept
     * only up to {@link Conv2dKernels#COL_FLOATS} floats (see {@link #buffer}), so a thread holds at most
     * 32 MB here for the program's life.
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);

    /**
     * This thread's buffer {@code which}, at least {@code size} floats, with whatever an earlier call
     * left in it. A buffer larger than {@link Conv2dKernels#COL_FLOATS} floats is a new array that is
     * not kept, and the smaller one kept stays: the memory a thread keeps is bounded.
     */
    private static float[] buffer(int which, int size) {
        float[][] buffers = BUFFERS.get();
        if (buffers[which].length >= size) {
            return buffers[which];
        }
        float[] buffer = new float[size];
        if (size <= Conv2dKernels.COL_FLOATS) {
            buffers[which] = buffer;
        }
        return buffer;
    }

    /** How a batch is stacked: images per stack, the zero rows between them, and the tall geometry. */
    static final class Stack {
        final ConvGeometry g;
        /** Images per stack, and stacks. */
        final int images;
        final int stacks;
        /** Input rows from one image's first row to the next's (H + s), and the same for output rows. */
        final int inPitch;
        final int outPitch;
        /** The convolution of the tall images. */
        final ConvGeometry tall;

        Stack(ConvGeometry g) {
            this.g = g;
            images = Math.max(1, (g.batch() + STACKS - 1) / STACKS);
            stacks = (g.batch() + images - 1) / images;
            // Rows the last output row reads below the image: the padding at the bottom that counts.
            int below = Math.max(0, (g.outHeight() - 1) * g.strideH() - g.padTop()
                    + (g.kernelH() - 1) * g.dilationH() - (g.height() - 1));
            int gap = Math.max(g.padTop(), below);
            // Keep every image's first row on the stride's phase, and its output rows apart from the next
            // image's: with more padding than the filter spans (a 3×3 filter, padding 3), H_out exceeds
            // (H + gap) / s_h for the gap above, and the planes of ∂L/∂y would overlap in the stacks.
            while ((g.height() + gap) % g.strideH() != 0 || (g.height() + gap) / g.strideH() < g.outHeight()) {
                gap++;
            }
            inPitch = g.height() + gap;
            outPitch = inPitch / g.strideH();
            int height = images * g.height() + (images - 1) * gap;
            tall = new ConvGeometry(stacks, g.inChannels(), height, g.width(), g.outChannels(),
                    g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(),
                    g.dilationH(), g.dilationW(), g.groups(), (images - 1) * outPitch + g.outHeight(), g.outWidth());
        }

        /** Floats of the stacked input xt. */
        int inputFloats() {
            return stacks * g.inChannels() * tall.height() * tall.width();
        }

        /** Floats of the stacked output yt, or of ∂L/∂yt. */
        int outputFloats() {
            return stacks * g.outChannels() * tall.outPlane();
        }

        /**
         * xt (stacks, C_in, tall H, W): image b·m + n's rows at n·(H + s), zeros elsewhere; written into
         * the first {@link #inputFloats} of {@code into}, which is returned.
         */
        float[] stackInput(float[] x, float[] into) {
            int plane = g.height() * g.width();
            return stack(x, g.inChannels(), plane, tall.height() * tall.width(), inPitch * g.width(), into);
        }

        /**
         * ∂L/∂yt (stacks, C_out, tall H_out, W_out): image b·m + n's rows at n·(H + s)/s_h, zeros
         * elsewhere; written into the first {@link #outputFloats} of {@code into}, which is returned.
         */
        float[] stackOutput(float[] gradY, float[] into) {
            return stack(gradY, g.outChannels(), g.outPlane(), tall.outPlane(), outPitch * g.outWidth(), into);
        }

        /**
         * Stack b's images of y from yt: each image's rows of the tall output, the rows between images
         * dropped. Every value is copied once, whoever copies it.
         */
        void unstackOutput(int b, float[] yt, float[] y) {
            int plane = g.outPlane();
            int tallPlane = tall.outPlane();
            int pitch = outPitch * g.outWidth();
            for (int n = b * images; n < Math.min(g.batch(), (b + 1) * images); n++) {
                for (int c = 0; c < g.outChannels(); c++) {
                    System.arraycopy(yt, (b * g.outChannels() + c) * tallPlane + (n - b * images) * pitch,
                            y, (n * g.outChannels() + c) * plane, plane);
                }
            }
        }

        /** Stack b of xt (see {@link #stackInput(float[], float[])}), written into {@code into}. */
        void stackInput(int b, float[] x, float[] into) {
            int plane = g.height() * g.width();
            stack(b, x, g.inChannels(), plane, tall.height() * tall.width(), inPitch * g.width(), into);
        }

        /**
         * Copies each image's plane of each channel of {@code a} (N, channels, plane) to its place in the
         * stacks (stacks, channels, tallPlane) held in {@code stacked}: the plane of image b·m + n at
         * n·pitch in its stack's channel. The buffer is reused from call to call, so every other float
         * of a stack (the pitch − plane floats of the gap after each image but the last, and the planes
         * of the last stack's missing images) is written as zero: a stack's channel is exactly
         * (m − 1)·pitch + plane floats. The stacks are filled in parallel, each by one task.
         */
        private float[] stack(float[] a, int channels, int plane, int tallPlane, int pitch, float[] stacked) {
            Threads.parallelFor(stacks, b -> stack(b, a, channels, plane, tallPlane, pitch, stacked));
            return stacked;
        }

        /** Stack b of {@link #stack(float[], int, int, int, int, float[])}. */
        private void stack(int b, float[] a, int channels, int plane, int tallPlane, int pitch, float[] stacked) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * tallPlane;
                for (int slot = 0; slot < images; slot++) {
                    int n = b * images + slot;
                    int to = base + slot * pitch;
                    if (n < g.batch()) {
                        System.arraycopy(a, (n * channels + c) * plane, stacked, to, plane);
                    } else {
                        Arrays.fill(stacked, to, to + plane, 0f);
                    }
                    if (slot < images - 1) {
                        Arrays.fill(stacked, to + plane, to + pitch, 0f);
                    }
                }
            }
        }
    }
}
