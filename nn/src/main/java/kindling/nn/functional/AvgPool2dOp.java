package kindling.nn.functional;

import kindling.autograd.Function;
import kindling.kernels.Threads;
import kindling.tensor.Tensor;

/**
 * Average pooling over the last two dims with explicit windows: the op behind both
 * {@link Pooling#avgPool2d} and {@link Pooling#adaptiveAvgPool2d}, which differ only in where each
 * window starts and ends and what it divides by.
 * <pre>
 *   forward:   y[p, i, j] = (1 / (d_row[i] · d_col[j])) · Σ_{h ∈ rows[i], w ∈ cols[j]} x[p, h, w]
 *   backward:  ∂L/∂x[p, h, w] = Σ over the windows (i, j) containing (h, w) of ∂L/∂y[p, i, j] / (d_row[i] · d_col[j])
 * </pre>
 * Row window i covers input rows [rowStart[i], rowEnd[i]) (already clipped to the input); its
 * divisor d_row[i] is the clipped length, or the unclipped length when padding counts
 * (PyTorch's {@code count_include_pad=True}). A window is a rectangle, so its divisor factors
 * into a row part times a column part.
 *
 * <p>Shape: input (P..., H, W), output (P..., H_out, W_out) with H_out = rowStart.length.
 * One pass over each output element; the window bounds are computed once per row and column by
 * the caller rather than per element, so the inner loop is a plain contiguous sum. Planes run in
 * parallel ({@link Threads}), each on one thread, so results do not depend on the thread count.
 */
final class AvgPool2dOp extends Function {
    private int[] rowStart, rowEnd, colStart, colEnd;
    private float[] rowDivisor, colDivisor;
    private int[] inputShape;

    static Tensor apply(Tensor input, int[] rowStart, int[] rowEnd, float[] rowDivisor,
                        int[] colStart, int[] colEnd, float[] colDivisor) {
        int[] shape = input.shape();
        int dims = shape.length;
        int height = shape[dims - 2];
        int width = shape[dims - 1];
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        int planes = height * width == 0 ? 0 : input.numel() / (height * width);
        float[] x = input.data();
        float[] out = new float[planes * outHeight * outWidth];
        Threads.parallelFor(planes, p -> {                                   // each (n, c) plane, planes in parallel
            int inBase = p * height * width;
            int outBase = p * outHeight * outWidth;
            for (int i = 0; i < outHeight; i++) {                            // each output row
                for (int j = 0; j < outWidth; j++) {                         // each output column
                    double sum = 0;
                    for (int h = rowStart[i]; h < rowEnd[i]; h++) {          // the window's rows
                        for (int w = colStart[j]; w < colEnd[j]; w++) {      // and columns
                            sum += x[inBase + h * width + w];
                        }
                    }
                    out[outBase + i * outWidth + j] = (float) (sum / (rowDivisor[i] * colDivisor[j]));
                }
            }
        });
        int[] outShape = shape.clone();
        outShape[dims - 2] = outHeight;
        outShape[dims - 1] = outWidth;
        Tensor result = Tensor.wrap(out, outShape);
        if (!needsGrad(input)) {
            return result;
        }
        AvgPool2dOp op = new AvgPool2dOp();
        op.rowStart = rowStart;
        op.rowEnd = rowEnd;
        op.rowDivisor = rowDivisor;
        op.colStart = colStart;
        op.colEnd = colEnd;
        op.colDivisor = colDivisor;
        op.inputShape = shape;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int dims = inputShape.length;
        int height = inputShape[dims - 2];
        int width = inputShape[dims - 1];
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        int planes = height * width == 0 ? 0 : numel(inputShape) / (height * width);
        float[] g = gradOutput.data();
        float[] gradInput = new float[planes * height * width];
        Threads.parallelFor(planes, p -> {                                   // each plane, planes in parallel
            int inBase = p * height * width;
            int outBase = p * outHeight * outWidth;
            for (int i = 0; i < outHeight; i++) {                            // each output element spreads
                for (int j = 0; j < outWidth; j++) {                         // its gradient evenly over its window
                    float share = (float) (g[outBase + i * outWidth + j] / (rowDivisor[i] * colDivisor[j]));
                    for (int h = rowStart[i]; h < rowEnd[i]; h++) {
                        for (int w = colStart[j]; w < colEnd[j]; w++) {
                            gradInput[inBase + h * width + w] += share;      // += : windows may overlap
                        }
                    }
                }
            }
        });
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int size : shape) {
            n *= size;
        }
        return n;
    }
}
