package kindling.ops.norm;

import kindling.autograd.Function;
import kindling.kernels.GroupNormKernels;
import kindling.kernels.NormKernels;
import kindling.tensor.Tensor;

/**
 * Group normalisation of a (N, C, S) layout — (N, C), (N, C, L) and (N, C, H, W) all flatten to it,
 * S being the product of the dims after C. The C channels of each sample are split into G groups of
 * C/G consecutive channels, and each (sample n, group g) block of M = (C/G)·S values is normalised
 * with its own mean and biased variance:
 * <pre>
 *   forward:   μ_ng = (1/M) Σ x      σ²_ng = (1/M) Σ (x − μ_ng)²      σ_ng = √(σ²_ng + ε)
 *              x̂ = (x − μ_ng) / σ_ng        y[n, c, s] = γ_c · x̂[n, c, s] + β_c
 *   backward:  h = g · γ_c        (g = ∂L/∂y; the gradient reaching x̂)
 *              ∂L/∂x = (1 / σ_ng) · (h − mean_ng(h) − x̂ · mean_ng(h · x̂))
 *              ∂L/∂γ_c = Σ_n Σ_s g · x̂            ∂L/∂β_c = Σ_n Σ_s g
 * </pre>
 * The layer-norm closed form ({@link LayerNormOp}) applied to each block, with the affine parameters
 * per channel as in {@link BatchNormOp}: the mean(h) term is the path through μ, the x̂·mean(h·x̂)
 * term the path through σ. One op instead of the composition of reshape, mean, var, sub, div, mul and
 * add: two passes over x forward and two over g backward, each block while it is in cache, and only x̂
 * kept for backward. The loops are in {@link GroupNormKernels} (blocks in parallel) with their naive
 * twin {@code NormNaive.groupNorm*}; each block's sums are done by one thread in one order, so results
 * are the same for any thread count.
 */
public final class GroupNormOp extends Function {
    private float[] normalized;          // x̂
    private double[] invStd;             // 1 / σ per (n, g)
    private float[] gamma;               // γ (C), or null
    private int[] inputShape;
    private int groups;
    private int spatial;

    /**
     * Normalises {@code input} (N, C, *) in {@code groups} groups; {@code weight} and {@code bias} (C)
     * may be null. The caller checks the shapes and that {@code groups} divides C.
     */
    public static Tensor apply(Tensor input, int groups, Tensor weight, Tensor bias, double eps) {
        int[] shape = input.shape();
        int batch = shape[0];
        int channels = shape[1];
        int spatial = batch == 0 || channels == 0 ? 0 : input.numel() / (batch * channels);
        float[] x = input.data();
        float[] gamma = weight == null ? null : weight.data();
        float[] beta = bias == null ? null : bias.data();
        float[] normalized = new float[x.length];
        float[] out = new float[x.length];
        double[] mean = new double[batch * groups];
        double[] invStd = new double[batch * groups];
        GroupNormKernels.groupNormForward(x, batch, channels, groups, spatial, gamma, beta, eps,
                normalized, mean, invStd, out);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        GroupNormOp op = new GroupNormOp();
        op.normalized = normalized;
        op.invStd = invStd;
        op.gamma = gamma == null ? null : gamma.clone();
        op.inputShape = shape;
        op.groups = groups;
        op.spatial = spatial;
        return op.record(result, input, weight, bias);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int channels = inputShape[1];
        double[] sumGrad = new double[channels];                             // Σ g per channel
        double[] sumGradXHat = new double[channels];                         // Σ g · x̂ per channel
        float[] dx = needsInputGrad(0) ? new float[normalized.length] : null;
        GroupNormKernels.groupNormBackward(gradOutput.data(), normalized, invStd, gamma, inputShape[0], channels,
                groups, spatial, sumGrad, sumGradXHat, dx);
        Tensor gradInput = dx == null ? null : Tensor.wrap(dx, inputShape);
        Tensor gradWeight = needsInputGrad(1) ? Tensor.wrap(NormKernels.toFloats(sumGradXHat), channels) : null;
        Tensor gradBias = needsInputGrad(2) ? Tensor.wrap(NormKernels.toFloats(sumGrad), channels) : null;
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
