package kindling.nn;

import kindling.nn.functional.Pooling;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Average pooling to a fixed output size whatever the input size, as PyTorch's {@code nn.AdaptiveAvgPool2d}.
 * <pre>
 *   y[n, c, i, j] = mean of x[n, c, h, w] over h ∈ [⌊i·H / H_out⌋, ⌈(i + 1)·H / H_out⌉),
 *                                              w ∈ [⌊j·W / W_out⌋, ⌈(j + 1)·W / W_out⌉)
 * </pre>
 * When H is a multiple of H_out this is AvgPool2d with k = s = H / H_out. Otherwise the bins differ
 * in size and may overlap: 7 → 3 averages rows 0–2, 2–4 and 4–6 (row 2 and row 4 are used twice).
 * {@code AdaptiveAvgPool2d(1)} is global average pooling, the head of ResNet.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, C, H, W) or (C, H, W), H, W ≥ 1;
 *   <li>output (N, C, H_out, W_out) with (H_out, W_out) = outputSize.
 * </ul>
 * No parameters.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outHeight;
    private final int outWidth;
    private final boolean square;      // built from one int: printed as output_size=1, as PyTorch

    /** Output (outputSize, outputSize). */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize, true);
    }

    public AdaptiveAvgPool2d(int outHeight, int outWidth) {
        this(outHeight, outWidth, false);
    }

    private AdaptiveAvgPool2d(int outHeight, int outWidth, boolean square) {
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output sizes must be > 0, got ("
                    + outHeight + ", " + outWidth + ")");
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.square = square;
    }

    @Override
    public Tensor forward(Tensor input) {
        int dims = input.dim();
        if ((dims != 3 && dims != 4) || input.size(dims - 2) == 0 || input.size(dims - 1) == 0) {
            throw new ShapeException(describe() + ": expected input (N, C, H, W) or (C, H, W) with H, W > 0 but got "
                    + Shape.format(input.shape()));
        }
        return Pooling.adaptiveAvgPool2d(input, outHeight, outWidth);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + (square ? String.valueOf(outHeight) : "(" + outHeight + ", " + outWidth + ")");
    }
}
