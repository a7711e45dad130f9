package kindling.nn;

import java.util.Arrays;
import kindling.kernels.ConvTransposeGeometry;
import kindling.nn.functional.Convolution;
import kindling.nn.init.Init;
import kindling.tensor.Tensor;

/**
 * A 2-D transposed convolution layer, as PyTorch's {@code nn.ConvTranspose2d} (sometimes called a
 * "deconvolution", though it does not invert a convolution): each input pixel scatters a copy of the
 * kernel, scaled by its value, into the output at stride spacing, so a stride-2 layer doubles H and W.
 * <pre>
 *   y[n, o, i·s − p + a·d, j·s − p + b'·d] += x[n, c, i, j] · W[c, o, a, b']     (over c in o's group, i, j, a, b')
 *   y[n, o, ·, ·] starts at b[o]; positions outside (H_out, W_out) are dropped
 *   H_out = (H − 1)·s − 2·p + d·(k − 1) + outputPadding + 1          (W_out likewise)
 * </pre>
 * It is the transpose (adjoint) of {@link Conv2d} with the same kernel, stride, padding and dilation:
 * its forward is that convolution's input gradient, and its input gradient is that convolution.
 * <b>Shape</b>: input (N, C_in, H, W) or unbatched (C_in, H, W); output (N, C_out, H_out, W_out).
 * <p><b>Parameters</b>
 * <ul>
 *   <li>{@code weight} (C_in, C_out/groups, k_h, k_w) — note C_in first, the reverse of Conv2d —
 *       initialised U(−1/√fan_in, 1/√fan_in) by PyTorch's {@code kaiming_uniform_(w, a=√5)}, where
 *       fan_in is computed from this weight as for any tensor: dim 1 · k_h · k_w = (C_out/groups)·k_h·k_w;</li>
 *   <li>{@code bias} (C_out), U(−1/√fan_in, 1/√fan_in) with the same fan_in; absent with {@code bias(false)}.</li>
 * </ul>
 * <b>Options</b> (PyTorch's defaults): stride 1, padding 0 (removes p rows and columns from each
 * border of the full output), outputPadding 0 (adds rows and columns at the bottom and right; must be
 * smaller than the stride or the dilation), dilation 1, groups 1, bias true.
 * <pre>
 *   new ConvTranspose2d(16, 8, 3, 2, 1)                                      // 7×7 → 13×13
 *   ConvTranspose2d.builder(16, 8, 3).stride(2).padding(1).outputPadding(1).build()   // 7×7 → 14×14
 * </pre>
 * The work is done by {@link Convolution#convTranspose2d}: the convolution kernels run backwards.
 */
public class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    /** The filters, shape (C_in, C_out/groups, k_h, k_w). */
    public final Tensor weight;
    /** The bias, shape (C_out), or null. */
    public final Tensor bias;

    /** A square-kernel transposed convolution with stride 1 and no padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A square-kernel transposed convolution with the given stride and padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    /** The options for a transposed convolution from {@code inChannels} to {@code outChannels}, square kernel. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    private ConvTranspose2d(Builder b) {
        String name = "ConvTranspose2d(in=" + b.inChannels + ", out=" + b.outChannels + ")";
        Conv2d.checkOptions(name, b.inChannels, b.outChannels, b.kernelSize, b.stride, b.dilation, b.groups);
        Conv2d.check(b.padding[0] >= 0 && b.padding[1] >= 0, name + ": padding must be >= 0, got " + Arrays.toString(b.padding));
        for (int i = 0; i < 2; i++) {
            Conv2d.check(b.outputPadding[i] >= 0 && (b.outputPadding[i] < b.stride[i] || b.outputPadding[i] < b.dilation[i]),
                    name + ": outputPadding must be >= 0 and smaller than either stride or dilation, got outputPadding "
                            + Arrays.toString(b.outputPadding) + " with stride " + Arrays.toString(b.stride)
                            + " and dilation " + Arrays.toString(b.dilation));
        }
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelSize = b.kernelSize.clone();
        this.stride = b.stride.clone();
        this.padding = b.padding.clone();
        this.outputPadding = b.outputPadding.clone();
        this.dilation = b.dilation.clone();
        this.groups = b.groups;
        this.weight = registerParameter("weight", Tensor.zeros(inChannels, outChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = registerParameter("bias", b.bias ? Tensor.zeros(outChannels) : null);
        resetParameters();
    }

    /** Redraws the weight and bias from U(−1/√fan_in, 1/√fan_in), fan_in = (C_out/groups)·k_h·k_w. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(Init.fanInAndFanOut(weight)[0]);
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return Convolution.convTranspose2d(describe(), input, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /**
     * The forward pass to a chosen output size, as PyTorch's {@code forward(input, output_size)}: a
     * stride-s layer can reach s different sizes from one input, (H − 1)·s − 2·p + d·(k − 1) + 1 up to
     * s − 1 more, and {@code outputSize} picks one, in place of the layer's own outputPadding. This is
     * how a decoder goes back to the exact size of the encoder layer it mirrors (a stride-2 convolution
     * maps both 13 and 14 to 7).
     * <pre>
     *   ConvTranspose2d up = new ConvTranspose2d(16, 8, 3, 2, 1);
     *   Tensor y = up.forward(x, 14, 14);          // x (N, 16, 7, 7) → (N, 8, 14, 14); without the size, 13×13
     * </pre>
     *
     * @param outputSize {H_out, W_out}, or the whole output shape {N, C_out, H_out, W_out} (or
     *                   {C_out, H_out, W_out} for an unbatched input), of which only the last two are used
     * @throws IllegalArgumentException if outputSize has another length, or a size lies outside the
     *                                  reachable range (the message gives the range)
     */
    public Tensor forward(Tensor input, int... outputSize) {
        int dims = input.dim();
        if (dims != 3 && dims != 4) {
            return forward(input); // the layer's own check names the shape it expected
        }
        int nonSpatial = dims - 2;
        Conv2d.check(outputSize.length == 2 || outputSize.length == nonSpatial + 2,
                describe() + ": for " + dims + "-D input, outputSize must have 2 or " + (nonSpatial + 2)
                        + " elements, got " + Arrays.toString(outputSize));
        int[] size = Arrays.copyOfRange(outputSize, outputSize.length - 2, outputSize.length);
        int[] smallest = new int[2];
        int[] largest = new int[2];
        for (int d = 0; d < 2; d++) {
            smallest[d] = ConvTransposeGeometry.outputSize(input.size(nonSpatial + d), kernelSize[d], stride[d],
                    padding[d], 0, dilation[d]);
            largest[d] = smallest[d] + stride[d] - 1;
        }
        for (int d = 0; d < 2; d++) {
            Conv2d.check(size[d] >= smallest[d] && size[d] <= largest[d],
                    describe() + ": requested an output size of " + Arrays.toString(size)
                            + ", but valid sizes range from " + Arrays.toString(smallest) + " to "
                            + Arrays.toString(largest) + " (for an input of "
                            + Arrays.toString(Arrays.copyOfRange(input.shape(), nonSpatial, dims)) + ")");
        }
        int[] padToSize = {size[0] - smallest[0], size[1] - smallest[1]};
        return Convolution.convTranspose2d(describe(), input, weight, bias, stride, padding, padToSize, dilation, groups);
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

    /** {p_h, p_w}. */
    public int[] padding() {
        return padding.clone();
    }

    /** {outputPadding_h, outputPadding_w}. */
    public int[] outputPadding() {
        return outputPadding.clone();
    }

    /** {d_h, d_w}. */
    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    /** As PyTorch's {@code _ConvNd.extra_repr}: non-default options only, in its order. */
    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Conv2d.pair(kernelSize)).append(", stride=").append(Conv2d.pair(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(Conv2d.pair(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(Conv2d.pair(dilation));
        }
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            s.append(", output_padding=").append(Conv2d.pair(outputPadding));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }

    /** Options for a {@link ConvTranspose2d}; each setter returns the builder, {@link #build()} makes the layer. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private final int[] kernelSize;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] outputPadding = {0, 0};
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;

        private Builder(int inChannels, int outChannels, int kernelSize) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelSize = new int[] {kernelSize, kernelSize};
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

        /** Rows and columns removed from every border of the full output. */
        public Builder padding(int p) {
            return padding(p, p);
        }

        public Builder padding(int padH, int padW) {
            padding = new int[] {padH, padW};
            return this;
        }

        /** Rows added at the bottom and columns at the right; smaller than the stride or the dilation. */
        public Builder outputPadding(int p) {
            return outputPadding(p, p);
        }

        public Builder outputPadding(int padH, int padW) {
            outputPadding = new int[] {padH, padW};
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

        public ConvTranspose2d build() {
            return new ConvTranspose2d(this);
        }
    }
}
