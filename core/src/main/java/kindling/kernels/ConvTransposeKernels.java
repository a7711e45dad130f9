package kindling.kernels;

/**
 * The fast 2-D transposed convolution, built from the convolution kernels: a transposed convolution
 * is the adjoint of the convolution {@link ConvTransposeGeometry#asConv()}, so each of its three
 * passes is one of that convolution's passes with the roles of input and output exchanged.
 * {@link ConvTransposeNaive} is the same contract as the textbook scatter loop, and the tests hold
 * this class to it.
 * <pre>
 *   forward:   y     = conv.backwardInput(x, W) + b     = col2im(Wᵀ · x)       per group
 *   backward:  ∂L/∂x = conv.forward(∂L/∂y, W)           = W · im2col(∂L/∂y)
 *              ∂L/∂W = conv.backwardWeight(∂L/∂y, x)    = x · im2col(∂L/∂y)ᵀ
 *              ∂L/∂b[o] = Σ over images and positions of ∂L/∂y[·][o]
 * </pre>
 * Where the speed comes from: everything except the bias runs in {@link Conv2dKernels}, that is in
 * {@link Gemm} (SIMD, packing, cache blocks, threads) on the im2col matrix of the (larger) output
 * image, chunked over the batch; results are the same for any thread count.
 * Arrays are row-major: x (N, C_in, H, W), w (C_in, C_out/groups, k_h, k_w), y (N, C_out, H_out, W_out).
 */
public final class ConvTransposeKernels {
    private ConvTransposeKernels() {
    }

    /** y = conv_transpose(x, w) + bias; {@code bias} may be null. */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvTransposeGeometry g) {
        float[] y = Conv2dKernels.backwardInput(x, w, g.asConv());
        if (bias != null) {
            for (int n = 0; n < g.batch(); n++) {
                for (int o = 0; o < g.outChannels(); o++) {
                    int base = (n * g.outChannels() + o) * g.outPlane();
                    for (int p = 0; p < g.outPlane(); p++) {
                        y[base + p] += bias[o];
                    }
                }
            }
        }
        return y;
    }

    /** ∂L/∂x: the convolution of ∂L/∂y by the same weight. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvTransposeGeometry g) {
        return Conv2dKernels.forward(gradY, w, null, g.asConv());
    }

    /** ∂L/∂W: the convolution's weight gradient, with ∂L/∂y as its input and x as its output gradient. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvTransposeGeometry g) {
        return Conv2dKernels.backwardWeight(gradY, x, g.asConv());
    }

    /** ∂L/∂bias[o] = Σ_n Σ_p ∂L/∂y[n][o][p], summed in a fixed order. */
    public static float[] backwardBias(float[] gradY, ConvTransposeGeometry g) {
        return Conv2dKernels.sumPerChannel(gradY, g.batch(), g.outChannels(), g.outPlane());
    }
}
