package kindling.ops.pool;

import kindling.autograd.Function;
import kindling.kernels.PoolKernels;
import kindling.tensor.Tensor;

/**
 * Average pooling over the last two dims with explicit windows: the op behind both
 * {@code avgPool2d} and {@code adaptiveAvgPool2d} of {@code kindling.nn.functional.Pooling}, which
 * differ only in where each window starts and ends and what it divides by.
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
 * The loops are in {@link PoolKernels} (fast) and {@code PoolNaive} (textbook).
 */
public final class AvgPool2dOp extends Function {
    private int[] rowStart, rowEnd, colStart, colEnd;
    private float[] rowDivisor, colDivisor;
    private int[] inputShape;
    private int planes;

    /** Average-pools {@code input} over the given windows (bounds already clipped by the caller). */
    public static Tensor apply(Tensor input, int[] rowStart, int[] rowEnd, float[] rowDivisor,
                               int[] colStart, int[] colEnd, float[] colDivisor) {
        int[] shape = input.shape();
        int dims = shape.length;
        int height = shape[dims - 2];
        int width = shape[dims - 1];
        int planes = height * width == 0 ? 0 : input.numel() / (height * width);
        float[] out = PoolKernels.avgPool2dForward(input.data(), planes, height, width,
                rowStart, rowEnd, rowDivisor, colStart, colEnd, colDivisor);
        int[] outShape = shape.clone();
        outShape[dims - 2] = rowStart.length;
        outShape[dims - 1] = colStart.length;
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
        op.planes = planes;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int dims = inputShape.length;
        float[] gradInput = PoolKernels.avgPool2dBackward(gradOutput.data(), planes, inputShape[dims - 2],
                inputShape[dims - 1], rowStart, rowEnd, rowDivisor, colStart, colEnd, colDivisor);
        return new Tensor[] {Tensor.wrap(gradInput, inputShape)};
    }
}
