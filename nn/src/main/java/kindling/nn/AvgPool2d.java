package kindling.nn;

import kindling.nn.functional.Pooling;
import kindling.tensor.Tensor;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d} (square kernel, floor mode).
 * <pre>
 *   y[n, c, i, j] = (1 / d) · Σ_{0 ≤ a, b &lt; k} x[n, c, i·s − pad + a, j·s − pad + b]     (padding counts as 0)
 *   d = k²  (countIncludePad, the default: the padding zeros count)
 *   d = the number of real input elements in the window  (countIncludePad = false)
 * </pre>
 * The gradient of each output is spread evenly, 1/d each, over the input elements of its window.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, C, H, W) or (C, H, W);
 *   <li>output (N, C, H_out, W_out) with H_out = ⌊(H + 2·pad − k) / s⌋ + 1, W_out likewise.
 * </ul>
 * No parameters. Defaults as PyTorch: stride = kernelSize, padding = 0, countIncludePad = true.
 */
public class AvgPool2d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean countIncludePad;

    /** Non-overlapping windows: stride = kernelSize, padding 0. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, true);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean countIncludePad) {
        PoolShapes.checkArguments("AvgPool2d", kernelSize, stride, padding);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        PoolShapes.check(this, input, kernelSize, stride, padding);
        return Pooling.avgPool2d(input, kernelSize, stride, padding, countIncludePad);
    }

    /** As PyTorch's, which does not print {@code count_include_pad}. */
    @Override
    public String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}
