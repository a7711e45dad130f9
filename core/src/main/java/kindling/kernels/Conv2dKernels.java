package kindling.kernels;

/**
 * The fast 2-D convolution: im2col, then one GEMM per group; {@link ConvNaive} is the same contract
 * written as the textbook sum, and the tests hold this class to it.
 * <pre>
 *   forward:   col = im2col(x)                      (C_in·k_h·k_w) × (images·H_out·W_out)
 *              Y   = W · col                        W viewed as C_out × (C_in/groups·k_h·k_w), per group
 *   backward:  ∂L/∂W   = ∂L/∂Y · colᵀ              (summed over chunks of images)
 *              ∂L/∂col = Wᵀ · ∂L/∂Y,  ∂L/∂x = col2im(∂L/∂col)
 *              ∂L/∂b   = Σ over images and positions of ∂L/∂Y
 * </pre>
 * Where the speed comes from:
 * <ul>
 *   <li>All the multiply-adds happen in {@link Gemm} (SIMD, packing, cache blocking and threads);
 *       putting the columns of many images side by side makes that GEMM wide enough to use them.</li>
 *   <li>The batch is cut into chunks whose col matrix stays under {@link #COL_FLOATS} floats (16 MB),
 *       so a large batch does not allocate a huge temporary; the chunking depends only on the shapes,
 *       never on the thread count, so results are bit-identical for any {@link Threads#get()}.</li>
 *   <li>im2col, col2im and the layout copies run one image per task on {@link Threads#parallelFor};
 *       each task writes only its own image's block, so no locks are needed.</li>
 * </ul>
 * Arrays are row-major: x (N, C_in, H, W), w (C_out, C_in/groups, k_h, k_w), y (N, C_out, H_out, W_out).
 */
public final class Conv2dKernels {
    /** Upper bound on the floats of one chunk's col matrix (at least one image per chunk). */
    static final int COL_FLOATS = 1 << 22;

    private Conv2dKernels() {
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        float[] y = new float[g.batch() * g.outChannels() * g.outPlane()];
        int chunk = imagesPerChunk(g);
        for (int first = 0; first < g.batch(); first += chunk) {
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] col = im2colChunk(x, g, first, images);
            float[] product = new float[g.outChannels() * columns];          // C_out × (images·H_out·W_out)
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(false, false, g.outPerGroup(), columns, g.patchSize(),
                        w, group * g.outPerGroup() * g.patchSize(), g.patchSize(),
                        col, group * g.patchSize() * columns, columns,
                        0f, product, group * g.outPerGroup() * columns, columns);
            }
            int firstImage = first;
            Threads.parallelFor(images, slot -> {                             // back to (N, C_out, H_out, W_out)
                for (int o = 0; o < g.outChannels(); o++) {
                    float b = bias == null ? 0f : bias[o];
                    int from = o * columns + slot * g.outPlane();
                    int to = ((firstImage + slot) * g.outChannels() + o) * g.outPlane();
                    for (int p = 0; p < g.outPlane(); p++) {
                        y[to + p] = product[from + p] + b;
                    }
                }
            });
        }
        return y;
    }

    /** ∂L/∂x: Wᵀ · ∂L/∂Y per group, then col2im. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvGeometry g) {
        float[] gradX = new float[g.batch() * g.inChannels() * g.height() * g.width()];
        int chunk = imagesPerChunk(g);
        for (int first = 0; first < g.batch(); first += chunk) {
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] gradProduct = gatherGradient(gradY, g, first, images);
            float[] gradCol = new float[g.inChannels() * g.kernelH() * g.kernelW() * columns];
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(true, false, g.patchSize(), columns, g.outPerGroup(),
                        w, group * g.outPerGroup() * g.patchSize(), g.patchSize(),
                        gradProduct, group * g.outPerGroup() * columns, columns,
                        0f, gradCol, group * g.patchSize() * columns, columns);
            }
            int firstImage = first;
            Threads.parallelFor(images, slot -> Im2Col.col2im(gradCol, slot, columns, g, firstImage + slot, gradX));
        }
        return gradX;
    }

    /** ∂L/∂W: ∂L/∂Y · colᵀ per group, accumulated chunk by chunk in a fixed order. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        float[] gradW = new float[g.outChannels() * g.patchSize()];
        int chunk = imagesPerChunk(g);
        for (int first = 0; first < g.batch(); first += chunk) {
            int images = Math.min(chunk, g.batch() - first);
            int columns = images * g.outPlane();
            float[] col = im2colChunk(x, g, first, images);
            float[] gradProduct = gatherGradient(gradY, g, first, images);
            for (int group = 0; group < g.groups(); group++) {
                Gemm.gemm(false, true, g.outPerGroup(), g.patchSize(), columns,
                        gradProduct, group * g.outPerGroup() * columns, columns,
                        col, group * g.patchSize() * columns, columns,
                        1f, gradW, group * g.outPerGroup() * g.patchSize(), g.patchSize());
            }
        }
        return gradW;
    }

    /** ∂L/∂bias[o] = Σ_n Σ_p ∂L/∂y[n][o][p], summed in a fixed order. */
    public static float[] backwardBias(float[] gradY, ConvGeometry g) {
        return sumPerChannel(gradY, g.batch(), g.outChannels(), g.outPlane());
    }

    /**
     * Σ_n Σ_p y[n][c][p] for each channel c of y (N, C, P): a bias gradient, for a convolution or a
     * transposed one alike. Each plane is summed on its own, then the planes in order of n, so the
     * result does not depend on anything but the data.
     */
    static float[] sumPerChannel(float[] y, int batch, int channels, int plane) {
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

    /** Images per chunk: as many as keep the col matrix under COL_FLOATS, at least 1. */
    static int imagesPerChunk(ConvGeometry g) {
        long perImage = (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outPlane();
        return (int) Math.max(1, Math.min(Math.max(g.batch(), 1), COL_FLOATS / Math.max(perImage, 1)));
    }

    private static float[] im2colChunk(float[] x, ConvGeometry g, int first, int images) {
        int columns = images * g.outPlane();
        float[] col = new float[g.inChannels() * g.kernelH() * g.kernelW() * columns];
        Threads.parallelFor(images, slot -> Im2Col.im2col(x, g, first + slot, col, slot, columns));
        return col;
    }

    /** ∂L/∂y of images first.. as C_out × (images·H_out·W_out), the layout the GEMMs read. */
    private static float[] gatherGradient(float[] gradY, ConvGeometry g, int first, int images) {
        int columns = images * g.outPlane();
        float[] gathered = new float[g.outChannels() * columns];
        Threads.parallelFor(images, slot -> {
            for (int o = 0; o < g.outChannels(); o++) {
                System.arraycopy(gradY, ((first + slot) * g.outChannels() + o) * g.outPlane(),
                        gathered, o * columns + slot * g.outPlane(), g.outPlane());
            }
        });
        return gathered;
    }
}
