package kindling.kernels;

/**
 * The sizes of one 2-D convolution, computed once and shared by its kernels.
 * <pre>
 *   input  x: (N, C_in, H, W)          weight: (C_out, C_in/groups, k_h, k_w)
 *   output y: (N, C_out, H_out, W_out)
 *   H_out = ⌊(H + pad_top + pad_bottom − d_h·(k_h − 1) − 1) / s_h⌋ + 1       (W_out likewise)
 * </pre>
 * Padding may differ between the two sides ({@code padding="same"} with an even kernel puts the odd
 * pixel on the bottom and right, as PyTorch does); only the top and left amounts are needed once
 * the output size is known, since a tap that falls past the bottom or right edge reads zero anyway.
 */
public record ConvGeometry(int batch, int inChannels, int height, int width,
                           int outChannels, int kernelH, int kernelW,
                           int strideH, int strideW, int padTop, int padLeft,
                           int dilationH, int dilationW, int groups,
                           int outHeight, int outWidth) {

    /** The geometry of a convolution with the given sizes; the output size follows from them. */
    public static ConvGeometry of(int batch, int inChannels, int height, int width,
                                  int outChannels, int kernelH, int kernelW,
                                  int strideH, int strideW,
                                  int padTop, int padBottom, int padLeft, int padRight,
                                  int dilationH, int dilationW, int groups) {
        int outHeight = outputSize(height, kernelH, strideH, padTop + padBottom, dilationH);
        int outWidth = outputSize(width, kernelW, strideW, padLeft + padRight, dilationW);
        return new ConvGeometry(batch, inChannels, height, width, outChannels, kernelH, kernelW,
                strideH, strideW, padTop, padLeft, dilationH, dilationW, groups, outHeight, outWidth);
    }

    /** ⌊(size + totalPadding − dilation·(kernel − 1) − 1) / stride⌋ + 1; may be ≤ 0 when the kernel does not fit. */
    public static int outputSize(int size, int kernel, int stride, int totalPadding, int dilation) {
        return Math.floorDiv(size + totalPadding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** C_in / groups: the input channels one filter sees. */
    public int inPerGroup() {
        return inChannels / groups;
    }

    /** C_out / groups: the filters of one group. */
    public int outPerGroup() {
        return outChannels / groups;
    }

    /** (C_in/groups)·k_h·k_w: the length of one filter, and the rows of one group's im2col matrix. */
    public int patchSize() {
        return inPerGroup() * kernelH * kernelW;
    }

    /** H_out·W_out: the output positions of one image. */
    public int outPlane() {
        return outHeight * outWidth;
    }
}
