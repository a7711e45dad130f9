package kindling.nn;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The residual block of ResNet-18 and ResNet-34 (He et al., "Deep Residual Learning for Image
 * Recognition", 2015, figure 2), as torchvision's {@code BasicBlock}: two 3×3 convolutions whose
 * result is added to the block's input.
 * <pre>
 *   F(x)        = bn2(conv2(relu(bn1(conv1(x)))))
 *   shortcut(x) = x                                     when stride = 1 and C_in = C_out
 *               = bn(conv1x1_stride(x))                 otherwise (the projection, child "downsample")
 *   y           = relu(F(x) + shortcut(x))
 *
 *   x ──┬── conv3x3/s ─ bn1 ─ relu ─ conv3x3 ─ bn2 ──(+)── relu ── y
 *       └──────────────── shortcut ──────────────────┘
 * </pre>
 * <b>Shape</b>: input (N, C_in, H, W); output (N, C_out, H', W') with H' = ⌊(H − 1)/s⌋ + 1 (W' likewise):
 * conv1 (padding 1) and the 1×1 projection both stride by s, so the two branches agree.
 * <p><b>Children</b>, named exactly as torchvision's so its state dicts load:
 * {@code conv1} Conv2d(C_in, C_out, 3, stride s, padding 1, no bias), {@code bn1} BatchNorm2d(C_out),
 * {@code relu}, {@code conv2} Conv2d(C_out, C_out, 3, padding 1, no bias), {@code bn2} BatchNorm2d(C_out),
 * and, when stride ≠ 1 or C_in ≠ C_out, {@code downsample} = Sequential(Conv2d(C_in, C_out, 1, stride s,
 * no bias), BatchNorm2d(C_out)) — the paper's option B. The convolutions have no bias because the
 * batch norm after each subtracts the mean and adds its own β. Initialisation is each layer's
 * PyTorch default (torchvision's ResNet constructor re-initialises convolutions with kaiming_normal_
 * fan_out; that is the model's choice, not the block's).
 * Parameters: 9·C_in·C_out + 9·C_out² + 4·C_out (+ C_in·C_out + 2·C_out with the projection).
 */
public class BasicBlock extends Module {
    /** Output channels per unit of {@code outChannels}; 1 here, 4 for {@link Bottleneck} (torchvision's expansion). */
    public static final int EXPANSION = 1;
    private final int inChannels;
    private final int outChannels;
    private final int stride;
    public final Conv2d conv1;
    public final BatchNorm2d bn1;
    public final ReLU relu;
    public final Conv2d conv2;
    public final BatchNorm2d bn2;
    /** The projection shortcut, or null when the shortcut is the identity. */
    public final Sequential downsample;

    /** A block from {@code inChannels} to {@code outChannels} whose first convolution has stride {@code stride}. */
    public BasicBlock(int inChannels, int outChannels, int stride) {
        checkArguments("BasicBlock", inChannels, outChannels, stride);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        this.conv1 = registerModule("conv1", Conv2d.builder(inChannels, outChannels, 3).stride(stride).padding(1).bias(false).build());
        this.bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        this.relu = registerModule("relu", new ReLU(true));
        this.conv2 = registerModule("conv2", Conv2d.builder(outChannels, outChannels, 3).padding(1).bias(false).build());
        this.bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        this.downsample = stride != 1 || inChannels != outChannels
                ? registerModule("downsample", projection(inChannels, outChannels, stride)) : null;
    }

    /** torchvision's {@code downsample}: Sequential(Conv2d(in, out, 1, stride, no bias), BatchNorm2d(out)). */
    static Sequential projection(int inChannels, int outChannels, int stride) {
        return new Sequential(Conv2d.builder(inChannels, outChannels, 1).stride(stride).bias(false).build(),
                new BatchNorm2d(outChannels));
    }

    static void checkArguments(String block, int inChannels, int channels, int stride) {
        if (inChannels < 1 || channels < 1) {
            throw new IllegalArgumentException(block + ": channels must be >= 1, got " + inChannels + " and " + channels);
        }
        if (stride < 1) {
            throw new IllegalArgumentException(block + ": stride must be >= 1, got " + stride);
        }
    }

    /** Fails with the block's {@link Module#describe()} and the shape when x is not (N, C_in, H, W). */
    static void checkInput(Module block, int inChannels, Tensor x) {
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new ShapeException(block.describe() + ": expected input (N, "
                    + inChannels + ", H, W) but got " + Shape.format(x.shape()));
        }
    }

    @Override
    protected String describeArguments() {
        return "in=" + inChannels + ", out=" + outChannels + ", stride=" + stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(this, inChannels, x);
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        out.add_(identity);                       // out is bn2's fresh result, which nothing saved
        return relu.forward(out);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int stride() {
        return stride;
    }
}
