package kindling.nn;

import kindling.nn.functional.Pooling;
import kindling.tensor.Tensor;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d} (square kernel, dilation 1, floor mode).
 * <pre>
 *   y[n, c, i, j] = max_{0 ≤ a, b &lt; k} x[n, c, i·s − pad + a, j·s − pad + b]     (padding counts as −∞)
 * </pre>
 * The gradient of each output goes entirely to the element that won its window; on ties, to the
 * first in row-major order, as PyTorch. Where windows overlap (s &lt; k) an element collects the
 * gradients of every window it won.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, C, H, W) or (C, H, W);
 *   <li>output (N, C, H_out, W_out) with H_out = ⌊(H + 2·pad − k) / s⌋ + 1, W_out likewise.
 * </ul>
 * No parameters. Defaults as PyTorch: stride = kernelSize, padding = 0; padding may be at most k/2.
 */
public class MaxPool2d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;

    /** Non-overlapping windows: stride = kernelSize, padding 0. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        PoolShapes.checkArguments("MaxPool2d", kernelSize, stride, padding);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor input) {
        PoolShapes.check(this, input, kernelSize, stride, padding);
        return Pooling.maxPool2d(input, kernelSize, stride, padding);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding
                + ", dilation=1, ceil_mode=False";
    }
}
