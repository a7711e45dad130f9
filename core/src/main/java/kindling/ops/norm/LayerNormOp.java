package kindling.ops.norm;

import kindling.autograd.Function;
import kindling.kernels.NormKernels;
import kindling.tensor.Tensor;

/**
 * Layer normalisation over the last D elements of each row: the input viewed as (R, D), D being the
 * product of the normalised shape, R the product of the leading dims.
 * <pre>
 *   forward:   μ_r = (1/D) Σ_d x[r, d]      σ²_r = (1/D) Σ_d (x[r, d] − μ_r)²      σ_r = √(σ²_r + ε)
 *              x̂ = (x − μ_r) / σ_r          y[r, d] = γ[d] · x̂[r, d] + β[d]
 *   backward:  h = g · γ        (g = ∂L/∂y; the gradient reaching x̂)
 *              ∂L/∂x[r, ·] = (1 / σ_r) · (h − mean_d(h) − x̂ · mean_d(h · x̂))
 *              ∂L/∂γ[d] = Σ_r g[r, d] · x̂[r, d]           ∂L/∂β[d] = Σ_r g[r, d]
 * </pre>
 * The same closed form as {@link BatchNormOp} with the roles of the axes swapped: the statistics are
 * per row (per sample), the affine parameters per element of the row. Statistics in double. The loops
 * are in {@link NormKernels} (rows in parallel) with their naive twin {@code NormNaive}.
 */
public final class LayerNormOp extends Function {
    private float[] normalized;          // x̂
    private double[] invStd;             // 1 / σ_r per row
    private float[] gamma;               // γ (D), or null
    private int[] inputShape;
    private int[] paramShape;
    private int rowLength;

    /** {@code weight}, {@code bias}: shape {@code normalizedShape} or null; the caller checks shapes. */
    public static Tensor apply(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int length = 1;
        for (int size : normalizedShape) {
            length *= size;
        }
        int rows = length == 0 ? 0 : input.numel() / length;
        float[] x = input.data();
        float[] gamma = weight == null ? null : weight.data();
        float[] beta = bias == null ? null : bias.data();
        float[] normalized = new float[x.length];
        float[] out = new float[x.length];
        double[] invStd = new double[rows];
        NormKernels.layerNormForward(x, rows, length, gamma, beta, eps, normalized, invStd, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        LayerNormOp op = new LayerNormOp();
        op.normalized = normalized;
        op.invStd = invStd;
        op.gamma = gamma == null ? null : gamma.clone();
        op.inputShape = input.shape();
        op.paramShape = normalizedShape.clone();
        op.rowLength = length;
        return op.record(result, input, weight, bias);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        int rows = invStd.length;
        Tensor gradInput = null;
        if (needsInputGrad(0)) {
            float[] dx = new float[g.length];
            NormKernels.layerNormBackwardInput(g, normalized, invStd, gamma, rows, rowLength, dx);
            gradInput = Tensor.wrap(dx, inputShape);
        }
        Tensor gradWeight = null;
        Tensor gradBias = null;
        if (needsInputGrad(1) || needsInputGrad(2)) {
            double[] sumGradXHat = new double[rowLength];
            double[] sumGrad = new double[rowLength];
            NormKernels.layerNormBackwardParams(g, normalized, rows, rowLength, sumGrad, sumGradXHat);
            gradWeight = needsInputGrad(1) ? Tensor.wrap(NormKernels.toFloats(sumGradXHat), paramShape) : null;
            gradBias = needsInputGrad(2) ? Tensor.wrap(NormKernels.toFloats(sumGrad), paramShape) : null;
        }
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
