package kindling.nn;

import java.util.Arrays;
import kindling.nn.functional.Convolution;
import kindling.nn.init.Init;
import kindling.tensor.Tensor;

/**
 * A 2-D convolution layer, as PyTorch's {@code nn.Conv2d} (a cross-correlation, like every deep
 * learning library's "convolution").
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c in o's group} Σ_a Σ_b'  W[o, c, a, b'] · x[n, c, i·s − p + a·d, j·s − p + b'·d]
 *   H_out = ⌊(H + 2·p − d·(k − 1) − 1) / s⌋ + 1          (W_out likewise)
 * </pre>
 * <b>Shape</b>: input (N, C_in, H, W) or unbatched (C_in, H, W); output (N, C_out, H_out, W_out).
 * <p><b>Parameters</b>
 * <ul>
 *   <li>{@code weight} (C_out, C_in/groups, k_h, k_w), initialised U(−1/√fan_in, 1/√fan_in) with
 *       fan_in = (C_in/groups)·k_h·k_w — PyTorch's {@code kaiming_uniform_(w, a=√5)};</li>
 *   <li>{@code bias} (C_out), initialised U(−1/√fan_in, 1/√fan_in); absent with {@code bias(false)}.</li>
 * </ul>
 * <b>Options</b> (PyTorch's defaults): stride 1, padding 0 (or "valid"; "same" keeps H and W at
 * stride 1, putting an odd extra pixel on the bottom/right), dilation 1, groups 1 (C_in and C_out must
 * both divide by it; groups = C_in is a depthwise convolution), bias true.
 * <pre>
 *   new Conv2d(1, 6, 5)                                  // d2l's LeNet: nn.Conv2d(1, 6, kernel_size=5)
 *   new Conv2d(1, 6, 5, 1, 2)                            // stride 1, padding 2
 *   Conv2d.builder(64, 64, 3).padding("same").groups(64).bias(false).build()
 * </pre>
 * The work is done by {@link Convolution#conv2d}: im2col plus a GEMM, beside a naive reference kernel.
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;            // {top, bottom, left, right}
    private final String paddingName;       // "same", "valid", or null for numbers
    private final int[] dilation;
    private final int groups;
    /** The filters, shape (C_out, C_in/groups, k_h, k_w). */
    public final Tensor weight;
    /** The bias, shape (C_out), or null. */
    public final Tensor bias;

    /** A square-kernel convolution with stride 1 and no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A square-kernel convolution with the given stride and the same padding on every side. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    /** The options for a convolution from {@code inChannels} to {@code outChannels} with a square kernel. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, kernelSize);
    }

    private Conv2d(Builder b) {
        String name = "Conv2d(in=" + b.inChannels + ", out=" + b.outChannels + ")";
        checkOptions(name, b.inChannels, b.outChannels, b.kernelSize, b.stride, b.dilation, b.groups);
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelSize = b.kernelSize.clone();
        this.stride = b.stride.clone();
        this.dilation = b.dilation.clone();
        this.groups = b.groups;
        this.paddingName = b.paddingName;
        if ("same".equals(b.paddingName)) {
            check(stride[0] == 1 && stride[1] == 1, name + ": padding=\"same\" needs stride 1, got " + Arrays.toString(stride));
            this.padding = Convolution.samePadding(kernelSize[0], kernelSize[1], dilation[0], dilation[1]);
        } else {
            check(b.padding[0] >= 0 && b.padding[1] >= 0, name + ": padding must be >= 0, got " + Arrays.toString(b.padding));
            this.padding = new int[] {b.padding[0], b.padding[0], b.padding[1], b.padding[1]};
        }
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = registerParameter("bias", b.bias ? Tensor.zeros(outChannels) : null);
        resetParameters();
    }

    /**
     * The checks every convolution's options pass, plain or transposed: at least one channel, kernel,
     * stride and dilation of at least 1, and channels that split evenly into the groups.
     */
    static void checkOptions(String name, int inChannels, int outChannels, int[] kernelSize, int[] stride,
                             int[] dilation, int groups) {
        check(inChannels >= 1 && outChannels >= 1, name + ": channels must be >= 1");
        check(kernelSize[0] >= 1 && kernelSize[1] >= 1, name + ": kernelSize must be >= 1, got " + Arrays.toString(kernelSize));
        check(stride[0] >= 1 && stride[1] >= 1, name + ": stride must be >= 1, got " + Arrays.toString(stride));
        check(dilation[0] >= 1 && dilation[1] >= 1, name + ": dilation must be >= 1, got " + Arrays.toString(dilation));
        check(groups >= 1, name + ": groups must be >= 1, got " + groups);
        check(inChannels % groups == 0, name + ": inChannels " + inChannels + " is not divisible by groups " + groups);
        check(outChannels % groups == 0, name + ": outChannels " + outChannels + " is not divisible by groups " + groups);
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Redraws the weight and bias from U(−1/√fan_in, 1/√fan_in), fan_in = (C_in/groups)·k_h·k_w. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt((double) (inChannels / groups) * kernelSize[0] * kernelSize[1]);
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return Convolution.conv2d(describe(), input, weight, bias, stride, padding, dilation, groups);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** {k_h, k_w}. */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** {s_h, s_w}. */
    public int[] stride() {
        return stride.clone();
    }

    /**
     * {p_h, p_w}: the rows of zeros added above (and below) the image and the columns left (and right),
     * as PyTorch's {@code conv.padding} and the {@code padding} argument of {@code Convolution.conv2d}.
     * With {@code padding("same")} and an even total the extra row and column go below and right;
     * {@link #paddingSides()} gives every side.
     */
    public int[] padding() {
        return new int[] {padding[0], padding[2]};
    }

    /** The padding of each side, {top, bottom, left, right}. */
    public int[] paddingSides() {
        return padding.clone();
    }

    /** {d_h, d_w}. */
    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(pair(kernelSize)).append(", stride=").append(pair(stride));
        if (paddingName != null && !"valid".equals(paddingName)) {
            s.append(", padding=").append(paddingName);
        } else if (padding[0] != 0 || padding[2] != 0) {
            s.append(", padding=").append(pair(new int[] {padding[0], padding[2]}));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(pair(dilation));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }

    static String pair(int[] values) {
        return "(" + values[0] + ", " + values[1] + ")";
    }

    /** Options for a {@link Conv2d}; each setter returns the builder, {@link #build()} makes the layer. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private final int[] kernelSize;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private String paddingName;
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;

        private Builder(int inChannels, int outChannels, int kernelH, int kernelW) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelSize = new int[] {kernelH, kernelW};
        }

        /** A (k_h, k_w) kernel instead of a square one. */
        public Builder kernelSize(int kernelH, int kernelW) {
            kernelSize[0] = kernelH;
            kernelSize[1] = kernelW;
            return this;
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int strideH, int strideW) {
            stride = new int[] {strideH, strideW};
            return this;
        }

        /** Zeros added on every side. */
        public Builder padding(int p) {
            return padding(p, p);
        }

        /** p_h zeros above and below, p_w left and right. */
        public Builder padding(int padH, int padW) {
            padding = new int[] {padH, padW};
            paddingName = null;
            return this;
        }

        /** "valid" (no padding) or "same" (the output keeps H and W; stride must be 1). */
        public Builder padding(String mode) {
            if (!"same".equals(mode) && !"valid".equals(mode)) {
                throw new IllegalArgumentException("Conv2d: padding must be \"same\", \"valid\" or a number, got \"" + mode + "\"");
            }
            paddingName = mode;
            padding = new int[] {0, 0};
            return this;
        }

        public Builder dilation(int d) {
            return dilation(d, d);
        }

        public Builder dilation(int dilationH, int dilationW) {
            dilation = new int[] {dilationH, dilationW};
            return this;
        }

        public Builder groups(int g) {
            groups = g;
            return this;
        }

        public Builder bias(boolean withBias) {
            bias = withBias;
            return this;
        }

        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
