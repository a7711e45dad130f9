package kindling.nn;

import kindling.tensor.Tensor;

/**
 * The bottleneck residual block of ResNet-50/101/152 (He et al. 2015, figure 5 right), as
 * torchvision's {@code Bottleneck} (the "ResNet v1.5" variant, stride on the 3×3 convolution): a 1×1
 * convolution narrows the channels to {@code width}, a 3×3 works at that width, a 1×1 widens to
 * 4·width, and the result is added to the input.
 * <pre>
 *   F(x)        = bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x))))))))
 *   shortcut(x) = x                                     when stride = 1 and C_in = 4·width
 *               = bn(conv1x1_stride(x))                 otherwise (child "downsample")
 *   y           = relu(F(x) + shortcut(x))
 *
 *   x ──┬── 1×1 → width ─ bn1 ─ relu ─ 3×3/s ─ bn2 ─ relu ─ 1×1 → 4·width ─ bn3 ──(+)── relu ── y
 *       └──────────────────────────── shortcut ──────────────────────────────────┘
 * </pre>
 * <b>Shape</b>: input (N, C_in, H, W); output (N, 4·width, H', W') with H' = ⌊(H − 1)/s⌋ + 1.
 * <p><b>Children</b>, torchvision's names and order: {@code conv1} Conv2d(C_in, width, 1), {@code bn1},
 * {@code conv2} Conv2d(width, width, 3, stride s, padding 1), {@code bn2}, {@code conv3}
 * Conv2d(width, 4·width, 1), {@code bn3}, {@code relu}, and when stride ≠ 1 or C_in ≠ 4·width
 * {@code downsample} = Sequential(Conv2d(C_in, 4·width, 1, stride s), BatchNorm2d(4·width)); no
 * convolution has a bias. Initialisation is each layer's PyTorch default.
 * Why a bottleneck: at C_in = 256, width = 64 it costs 256·64 + 9·64² + 64·256 = 69,632 weights,
 * where two 3×3 convolutions at 256 channels would cost 1,179,648.
 */
public class Bottleneck extends Module {
    /** Output channels per unit of width (torchvision's {@code expansion}). */
    public static final int EXPANSION = 4;
    private final int inChannels;
    private final int width;
    private final int stride;
    public final Conv2d conv1;
    public final BatchNorm2d bn1;
    public final Conv2d conv2;
    public final BatchNorm2d bn2;
    public final Conv2d conv3;
    public final BatchNorm2d bn3;
    public final ReLU relu;
    /** The projection shortcut, or null when the shortcut is the identity. */
    public final Sequential downsample;

    /** A block from {@code inChannels} to 4·{@code width} channels whose 3×3 convolution has stride {@code stride}. */
    public Bottleneck(int inChannels, int width, int stride) {
        BasicBlock.checkArguments("Bottleneck", inChannels, width, stride);
        this.inChannels = inChannels;
        this.width = width;
        this.stride = stride;
        int outChannels = width * EXPANSION;
        this.conv1 = registerModule("conv1", Conv2d.builder(inChannels, width, 1).bias(false).build());
        this.bn1 = registerModule("bn1", new BatchNorm2d(width));
        this.conv2 = registerModule("conv2", Conv2d.builder(width, width, 3).stride(stride).padding(1).bias(false).build());
        this.bn2 = registerModule("bn2", new BatchNorm2d(width));
        this.conv3 = registerModule("conv3", Conv2d.builder(width, outChannels, 1).bias(false).build());
        this.bn3 = registerModule("bn3", new BatchNorm2d(outChannels));
        this.relu = registerModule("relu", new ReLU(true));
        this.downsample = stride != 1 || inChannels != outChannels
                ? registerModule("downsample", BasicBlock.projection(inChannels, outChannels, stride)) : null;
    }

    @Override
    protected String describeArguments() {
        return "in=" + inChannels + ", width=" + width + ", stride=" + stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        BasicBlock.checkInput(this, inChannels, x);
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = relu.forward(bn2.forward(conv2.forward(out)));
        out = bn3.forward(conv3.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        out.add_(identity);                       // out is bn3's fresh result, which nothing saved
        return relu.forward(out);
    }

    public int inChannels() {
        return inChannels;
    }

    public int width() {
        return width;
    }

    /** 4·width. */
    public int outChannels() {
        return width * EXPANSION;
    }

    public int stride() {
        return stride;
    }
}
