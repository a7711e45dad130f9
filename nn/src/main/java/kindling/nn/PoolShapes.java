package kindling.nn;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/** The input check shared by the 2-D pooling layers. */
final class PoolShapes {
    private PoolShapes() {
    }

    /** Fails unless {@code input} is (N, C, H, W) or (C, H, W) and the output would have H_out, W_out ≥ 1. */
    static void check(Module module, Tensor input, int kernelSize, int stride, int padding) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException(module.describe() + ": expected input (N, C, H, W) or (C, H, W) but got "
                    + Shape.format(input.shape()));
        }
        int height = input.size(input.dim() - 2);
        int width = input.size(input.dim() - 1);
        if (height + 2 * padding < kernelSize || width + 2 * padding < kernelSize) {
            throw new ShapeException(module.describe() + ": input " + Shape.format(input.shape())
                    + " is too small: H + 2·padding and W + 2·padding must be at least kernel_size=" + kernelSize
                    + " (output size (" + kernelOutput(height, kernelSize, stride, padding) + ", "
                    + kernelOutput(width, kernelSize, stride, padding) + "))");
        }
    }

    private static int kernelOutput(int in, int kernelSize, int stride, int padding) {
        return kindling.nn.functional.Pooling.outputSize(in, kernelSize, stride, padding);
    }

    /** The constructor checks of MaxPool2d and AvgPool2d, with PyTorch's padding rule. */
    static void checkArguments(String layer, int kernelSize, int stride, int padding) {
        if (kernelSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException(layer + ": kernelSize and stride must be > 0, got kernelSize="
                    + kernelSize + ", stride=" + stride);
        }
        if (padding < 0 || padding > kernelSize / 2) {
            throw new IllegalArgumentException(layer + ": pad should be at most half of kernel size (and >= 0), "
                    + "but got pad=" + padding + " and kernel_size=" + kernelSize);
        }
    }
}
