package kindling.nn.functional;

import kindling.ops.conv.Conv2dOp;
import kindling.ops.conv.ConvTranspose2dOp;
import kindling.kernels.ConvGeometry;
import kindling.kernels.ConvTransposeGeometry;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * 2-D convolution without a module, as PyTorch's {@code F.conv2d}: the caller owns the weight.
 * <pre>
 *   y = Convolution.conv2d(x, w, b, stride, padding, dilation, groups)
 *   H_out = ⌊(H + pad_top + pad_bottom − d·(k − 1) − 1) / s⌋ + 1      (W_out likewise)
 * </pre>
 * Shape: x (N, C_in, H, W) or unbatched (C_in, H, W); w (C_out, C_in/groups, k_h, k_w); b (C_out)
 * or null; y (N, C_out, H_out, W_out), or (C_out, H_out, W_out) for an unbatched x.
 * {@code padding} is {top, bottom, left, right}; {@link #samePadding} gives PyTorch's "same".
 *
 * <p>The transposed convolution, as PyTorch's {@code F.conv_transpose2d}:
 * <pre>
 *   y = Convolution.convTranspose2d(x, w, b, stride, padding, outputPadding, dilation, groups)
 *   H_out = (H − 1)·s − 2·p + d·(k − 1) + outputPadding + 1                 (W_out likewise)
 * </pre>
 * Shape: x (N, C_in, H, W) or (C_in, H, W); w (C_in, C_out/groups, k_h, k_w); b (C_out) or null.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * 2-D convolution, as PyTorch's {@code F.conv2d}. {@code stride} and {@code dilation} are
     * {h, w} pairs. {@code padding} means what it means in PyTorch and in {@code Conv2d} and
     * {@code ConvTranspose2d}: {p_h, p_w}, p_h rows of zeros above and below the image and p_w columns
     * left and right of it. Four values {top, bottom, left, right} give each side on its own (what
     * {@link #samePadding} returns for an even kernel, where PyTorch puts the odd row below).
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] dilation, int groups) {
        return conv2d("conv2d", input, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * As {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)}, with {@code who} (a module's
     * description, or "conv2d") naming the caller in error messages; {@code padding} is {p_h, p_w} or
     * {top, bottom, left, right}.
     */
    public static Tensor conv2d(String who, Tensor input, Tensor weight, Tensor bias, int[] stride,
                                int[] padding, int[] dilation, int groups) {
        boolean unbatched = input.dim() == 3;
        Tensor batched = unbatched ? input.unsqueeze(0) : input;
        ConvGeometry g = geometry(who, batched, weight, bias, stride, sides(who, padding), dilation, groups);
        Tensor output = Conv2dOp.apply(batched, weight, bias, g);
        return unbatched ? output.squeeze(0) : output;
    }

    /** {p_h, p_w} as {top, bottom, left, right}; four values as they are. */
    static int[] sides(String who, int[] padding) {
        if (padding.length == 2) {
            return new int[] {padding[0], padding[0], padding[1], padding[1]};
        }
        if (padding.length == 4) {
            return padding.clone();
        }
        throw new IllegalArgumentException(who + ": padding must be {p_h, p_w} or {top, bottom, left, right} but got "
                + java.util.Arrays.toString(padding));
    }

    /**
     * PyTorch's padding="same" (stride 1): total padding d·(k − 1) per dim, the smaller half on the
     * top/left and the odd pixel, if any, on the bottom/right. Returns {top, bottom, left, right}.
     */
    public static int[] samePadding(int kernelH, int kernelW, int dilationH, int dilationW) {
        int totalH = dilationH * (kernelH - 1);
        int totalW = dilationW * (kernelW - 1);
        return new int[] {totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2};
    }

    /** Checks every shape against the others and returns the sizes of the convolution. */
    static ConvGeometry geometry(String who, Tensor input, Tensor weight, Tensor bias, int[] stride,
                                 int[] padding, int[] dilation, int groups) {
        if (weight.dim() != 4) {
            throw new ShapeException(who + ": weight must be (C_out, C_in/groups, kH, kW) but got "
                    + Shape.format(weight.shape()));
        }
        int outChannels = weight.size(0);
        int inChannels = weight.size(1) * groups;
        if (input.dim() != 4 || input.size(1) != inChannels) {
            throw new ShapeException(who + ": expected input (N, " + inChannels + ", H, W) but got "
                    + Shape.format(input.shape()));
        }
        if (outChannels % groups != 0) {
            throw new ShapeException(who + ": weight " + Shape.format(weight.shape()) + " has " + outChannels
                    + " output channels, not divisible by groups=" + groups);
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outChannels)) {
            throw new ShapeException(who + ": bias must be (" + outChannels + ") but got " + Shape.format(bias.shape()));
        }
        ConvGeometry g = ConvGeometry.of(input.size(0), inChannels, input.size(2), input.size(3),
                outChannels, weight.size(2), weight.size(3), stride[0], stride[1],
                padding[0], padding[1], padding[2], padding[3], dilation[0], dilation[1], groups);
        if (g.outHeight() < 1 || g.outWidth() < 1) {
            throw new ShapeException(who + ": input " + Shape.format(input.shape()) + " is too small for kernel ("
                    + weight.size(2) + ", " + weight.size(3) + ") with padding (" + padding[0] + ", " + padding[1]
                    + ", " + padding[2] + ", " + padding[3] + ") and dilation (" + dilation[0] + ", " + dilation[1]
                    + "): the output would be " + g.outHeight() + "×" + g.outWidth());
        }
        return g;
    }

    /**
     * conv_transpose2d with {@code stride}, {@code padding}, {@code outputPadding} and {@code dilation}
     * as {h, w} pairs. {@code who} names the caller in error messages (a module's description, or
     * "conv_transpose2d").
     */
    public static Tensor convTranspose2d(String who, Tensor input, Tensor weight, Tensor bias, int[] stride,
                                         int[] padding, int[] outputPadding, int[] dilation, int groups) {
        boolean unbatched = input.dim() == 3;
        Tensor batched = unbatched ? input.unsqueeze(0) : input;
        ConvTransposeGeometry g = transposeGeometry(who, batched, weight, bias, stride, padding, outputPadding,
                dilation, groups);
        Tensor output = ConvTranspose2dOp.apply(batched, weight, bias, g);
        return unbatched ? output.squeeze(0) : output;
    }

    /** conv_transpose2d named "conv_transpose2d" in its errors. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int[] dilation, int groups) {
        return convTranspose2d("conv_transpose2d", input, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /** Checks the shapes of a transposed convolution and returns its sizes. */
    static ConvTransposeGeometry transposeGeometry(String who, Tensor input, Tensor weight, Tensor bias, int[] stride,
                                                   int[] padding, int[] outputPadding, int[] dilation, int groups) {
        if (weight.dim() != 4) {
            throw new ShapeException(who + ": weight must be (C_in, C_out/groups, kH, kW) but got "
                    + Shape.format(weight.shape()));
        }
        int inChannels = weight.size(0);
        int outChannels = weight.size(1) * groups;
        if (input.dim() != 4 || input.size(1) != inChannels) {
            throw new ShapeException(who + ": expected input (N, " + inChannels + ", H, W) but got "
                    + Shape.format(input.shape()));
        }
        if (inChannels % groups != 0) {
            throw new ShapeException(who + ": weight " + Shape.format(weight.shape()) + " has " + inChannels
                    + " input channels, not divisible by groups=" + groups);
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outChannels)) {
            throw new ShapeException(who + ": bias must be (" + outChannels + ") but got " + Shape.format(bias.shape()));
        }
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(who + ": output padding must be smaller than either stride or "
                        + "dilation, but got outputPadding (" + outputPadding[0] + ", " + outputPadding[1]
                        + "), stride (" + stride[0] + ", " + stride[1] + "), dilation (" + dilation[0] + ", "
                        + dilation[1] + ")");
            }
        }
        ConvTransposeGeometry g = ConvTransposeGeometry.of(input.size(0), inChannels, input.size(2), input.size(3),
                outChannels, weight.size(2), weight.size(3), stride[0], stride[1], padding[0], padding[1],
                outputPadding[0], outputPadding[1], dilation[0], dilation[1], groups);
        if (g.outHeight() < 1 || g.outWidth() < 1) {
            throw new ShapeException(who + ": input " + Shape.format(input.shape()) + " with kernel (" + weight.size(2)
                    + ", " + weight.size(3) + "), stride (" + stride[0] + ", " + stride[1] + ") and padding ("
                    + padding[0] + ", " + padding[1] + ") gives an output of " + g.outHeight() + "×" + g.outWidth());
        }
        return g;
    }
}
