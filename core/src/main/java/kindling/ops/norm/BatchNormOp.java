package kindling.ops.norm;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.NormKernels;
import kindling.tensor.Tensor;

/**
 * Batch normalisation of a (N, C, S) layout — (N, C), (N, C, L) and (N, C, H, W) all flatten to it,
 * S being the product of the dims after C (1 for (N, C)). Each channel c is normalised over its
 * M = N·S values with a per-channel mean μ_c and variance σ²_c:
 * <pre>
 *   forward:   x̂ = (x − μ_c) / σ_c,   σ_c = √(σ²_c + ε),   y = γ_c · x̂ + β_c
 *   backward, batch statistics (μ, σ² computed from x, so they depend on x):
 *              ∂L/∂x = (γ_c / σ_c) · (g − mean_c(g) − x̂ · mean_c(g · x̂))        g = ∂L/∂y
 *   backward, fixed statistics (evaluation with running stats):
 *              ∂L/∂x = (γ_c / σ_c) · g
 *   both:      ∂L/∂γ_c = Σ g · x̂            ∂L/∂β_c = Σ g        (sums over n and s)
 * </pre>
 * The closed form comes from differentiating through μ and σ: the mean(g) term is the path through
 * μ, the x̂·mean(g·x̂) term the path through σ. It costs two passes over x, where the composed graph
 * of a dozen tensor ops would cost several and keep every intermediate alive for backward.
 * The statistics are accumulated in double so that a channel with a large mean loses no precision.
 * Like PyTorch, backward keeps x, μ_c and 1/σ_c and recomputes x̂ from them rather than keeping x̂:
 * storing it would cost an array as large as x, allocated and written on every training step. For the
 * same reason ∂L/∂x is written over g when the backward walk says no one else sees g
 * ({@link Function#mayOverwriteGradOutput()}): ∂L/∂x[i] needs only g[i], x[i] and the channel's two
 * sums, which are complete before the first ∂L/∂x of the channel is written.
 * The loops are in {@link NormKernels} (channels in parallel) with their naive twin {@code NormNaive};
 * each channel's sums are done by one thread in one order, so results are the same for any thread count.
 */
public final class BatchNormOp extends Function {
    private Saved input;                 // x, checked unchanged in place since the forward
    private float[] x;                   // its values as the forward read them, to recompute x̂
    private double[] saveMean;           // μ_c that the forward normalised with
    private double[] invStd;             // 1 / σ_c
    private float[] gamma;               // γ, or null for no affine
    private boolean batchStatistics;
    private int[] inputShape;
    private int channels;
    private int spatial;

    /**
     * Normalises {@code input} with batch statistics when {@code mean} is null (they are written to
     * {@code batchMean} and {@code batchVariance}, biased), otherwise with the given {@code mean}
     * and {@code variance}. {@code weight} and {@code bias} (C) may be null.
     */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, float[] mean, float[] variance, double eps,
                        double[] batchMean, double[] batchVariance) {
        int[] shape = input.shape();
        int batch = shape[0];
        int channels = shape[1];
        int spatial = channels == 0 || batch == 0 ? 0 : input.numel() / (batch * channels);
        float[] x = input.data();
        float[] gamma = weight == null ? null : weight.data();
        float[] beta = bias == null ? null : bias.data();
        double[] saveMean = new double[channels];
        double[] invStd = new double[channels];
        float[] out = NormKernels.batchNormForward(x, batch, channels, spatial, gamma, beta, mean, variance, eps,
                batchMean, batchVariance, saveMean, invStd, null);             // allocated there, on the threads
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        BatchNormOp op = new BatchNormOp();
        op.input = op.save(input);
        op.x = x;
        op.saveMean = saveMean;
        op.invStd = invStd;
        op.gamma = gamma == null ? null : gamma.clone();
        op.batchStatistics = mean == null;
        op.inputShape = shape;
        op.channels = channels;
        op.spatial = spatial;
        return op.record(result, input, weight, bias);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        double[] sumGrad = new double[channels];                             // Σ g per channel
        double[] sumGradXHat = new double[channels];                         // Σ g · x̂ per channel
        input.get();                                                         // fails if x changed in place
        float[] g = gradOutput.data();
        // ∂L/∂x[i] needs g[i] and x[i] only, once the channel's sums are done: it may take g's place
        float[] dx = needsInputGrad(0) ? gradInputArray(gradOutput) : null;   // null: x needs no gradient
        NormKernels.batchNormBackward(g, x, saveMean, invStd, gamma, batchStatistics,
                inputShape[0], channels, spatial, sumGrad, sumGradXHat, dx);
        Tensor gradInput = dx == null ? null : gradInputTensor(dx, gradOutput);   // g, if it now holds ∂L/∂x
        Tensor gradWeight = needsInputGrad(1) ? Tensor.wrap(NormKernels.toFloats(sumGradXHat), channels) : null;
        Tensor gradBias = needsInputGrad(2) ? Tensor.wrap(NormKernels.toFloats(sumGrad), channels) : null;
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
