package kindling.kernels;

/**
 * The sizes of one 2-D transposed convolution, and the ordinary convolution it is the adjoint of.
 * <pre>
 *   input  x: (N, C_in, H, W)          weight: (C_in, C_out/groups, k_h, k_w)
 *   output y: (N, C_out, H_out, W_out)
 *   H_out = (H − 1)·s_h − 2·p_h + d_h·(k_h − 1) + outputPadding_h + 1          (W_out likewise)
 * </pre>
 * A transposed convolution is the map whose matrix is the transpose of a convolution's: the
 * convolution {@link #asConv()} takes a (N, C_out, H_out, W_out) image to (N, C_in, H, W) with the
 * same kernel, stride, padding, dilation and groups, and its weight (C_in, C_out/groups, k_h, k_w)
 * has exactly the layout of ours. Hence
 * <pre>
 *   transposed forward        = that convolution's input gradient       (col2im of Wᵀ · x)
 *   transposed input gradient = that convolution's forward
 *   transposed weight gradient = that convolution's weight gradient with x and ∂L/∂y swapped
 * </pre>
 * {@code outputPadding} adds rows and columns at the bottom and right so that a strided convolution,
 * which maps several input sizes to the same output size, can be inverted to the size wanted.
 */
public record ConvTransposeGeometry(int batch, int inChannels, int height, int width,
                                    int outChannels, int kernelH, int kernelW,
                                    int strideH, int strideW, int padH, int padW,
                                    int outputPadH, int outputPadW,
                                    int dilationH, int dilationW, int groups,
                                    int outHeight, int outWidth) {

    /** The geometry of a transposed convolution with the given sizes; the output size follows from them. */
    public static ConvTransposeGeometry of(int batch, int inChannels, int height, int width,
                                           int outChannels, int kernelH, int kernelW,
                                           int strideH, int strideW, int padH, int padW,
                                           int outputPadH, int outputPadW,
                                           int dilationH, int dilationW, int groups) {
        return new ConvTransposeGeometry(batch, inChannels, height, width, outChannels, kernelH, kernelW,
                strideH, strideW, padH, padW, outputPadH, outputPadW, dilationH, dilationW, groups,
                outputSize(height, kernelH, strideH, padH, outputPadH, dilationH),
                outputSize(width, kernelW, strideW, padW, outputPadW, dilationW));
    }

    /** (size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1; may be ≤ 0. */
    public static int outputSize(int size, int kernel, int stride, int padding, int outputPadding, int dilation) {
        return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
    }

    /**
     * The convolution this is the transpose of: input (N, C_out, H_out, W_out), output (N, C_in, H, W).
     * Its output size is given rather than computed: taps that land past H_out (the bottom padding
     * that {@code outputPadding} removes) read zero, so only the top and left padding are needed.
     */
    public ConvGeometry asConv() {
        return new ConvGeometry(batch, outChannels, outHeight, outWidth, inChannels, kernelH, kernelW,
                strideH, strideW, padH, padW, dilationH, dilationW, groups, height, width);
    }

    /** C_in / groups: the input channels of one group. */
    public int inPerGroup() {
        return inChannels / groups;
    }

    /** C_out / groups: the output channels of one group, and dim 1 of the weight. */
    public int outPerGroup() {
        return outChannels / groups;
    }

    /** H_out·W_out: the output positions of one image. */
    public int outPlane() {
        return outHeight * outWidth;
    }

    /** H·W: the input positions of one image. */
    public int inPlane() {
        return height * width;
    }
}
