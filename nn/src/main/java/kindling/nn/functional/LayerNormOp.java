package kindling.nn.functional;

import kindling.autograd.Function;
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
 * per row (per sample), the affine parameters per element of the row. Statistics in double.
 */
final class LayerNormOp extends Function {
    private float[] normalized;          // x̂
    private double[] invStd;             // 1 / σ_r per row
    private float[] gamma;               // γ (D), or null
    private int[] inputShape;
    private int[] paramShape;
    private int rowLength;

    /** {@code weight}, {@code bias}: shape {@code normalizedShape} or null; the caller checks shapes. */
    static Tensor apply(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
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
        for (int r = 0; r < rows; r++) {                                     // each row on its own
            int base = r * length;
            double sum = 0;
            for (int d = 0; d < length; d++) {                               // first pass: the mean
                sum += x[base + d];
            }
            double mean = sum / length;
            double squares = 0;
            for (int d = 0; d < length; d++) {                               // second pass: biased variance
                double diff = x[base + d] - mean;
                squares += diff * diff;
            }
            invStd[r] = 1 / Math.sqrt(squares / length + eps);
            for (int d = 0; d < length; d++) {                               // x̂, then γ · x̂ + β
                double xHat = (x[base + d] - mean) * invStd[r];
                normalized[base + d] = (float) xHat;
                out[base + d] = (float) ((gamma == null ? 1 : gamma[d]) * xHat + (beta == null ? 0 : beta[d]));
            }
        }
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
        int length = rowLength;
        Tensor gradInput = null;
        if (needsInputGrad(0)) {
            float[] dx = new float[g.length];
            for (int r = 0; r < rows; r++) {
                int base = r * length;
                double sumH = 0;                                             // Σ_d h
                double sumHXHat = 0;                                         // Σ_d h · x̂
                for (int d = 0; d < length; d++) {
                    double h = g[base + d] * (gamma == null ? 1.0 : gamma[d]);
                    sumH += h;
                    sumHXHat += h * normalized[base + d];
                }
                double meanH = sumH / length;
                double meanHXHat = sumHXHat / length;
                for (int d = 0; d < length; d++) {
                    double h = g[base + d] * (gamma == null ? 1.0 : gamma[d]);
                    dx[base + d] = (float) (invStd[r] * (h - meanH - normalized[base + d] * meanHXHat));
                }
            }
            gradInput = Tensor.wrap(dx, inputShape);
        }
        Tensor gradWeight = null;
        Tensor gradBias = null;
        if (needsInputGrad(1) || needsInputGrad(2)) {
            double[] sumGradXHat = new double[length];
            double[] sumGrad = new double[length];
            for (int r = 0; r < rows; r++) {                                 // sum over rows, per element d
                int base = r * length;
                for (int d = 0; d < length; d++) {
                    sumGrad[d] += g[base + d];
                    sumGradXHat[d] += g[base + d] * (double) normalized[base + d];
                }
            }
            gradWeight = needsInputGrad(1) ? Tensor.wrap(BatchNormOp.toFloats(sumGradXHat), paramShape) : null;
            gradBias = needsInputGrad(2) ? Tensor.wrap(BatchNormOp.toFloats(sumGrad), paramShape) : null;
        }
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
