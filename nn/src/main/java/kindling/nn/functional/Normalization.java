package kindling.nn.functional;

import kindling.ops.norm.BatchNormOp;
import kindling.ops.norm.LayerNormOp;
import kindling.tensor.Tensor;

/**
 * Batch and layer normalisation as functions, as PyTorch's {@code F.batch_norm} and
 * {@code F.layer_norm}; the modules {@code BatchNorm1d}, {@code BatchNorm2d} and {@code LayerNorm}
 * check shapes, own the parameters and running statistics, and call these.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Batch norm of {@code input} (N, C, *) with per-channel {@code weight}, {@code bias} (C, either
     * may be null). With {@code training} (or no running statistics) the batch's statistics are used
     * and, when {@code runningMean}/{@code runningVar} are given, updated in place:
     * <pre>
     *   running_mean = (1 − momentum) · running_mean + momentum · μ_batch
     *   running_var  = (1 − momentum) · running_var  + momentum · σ²_batch · M / (M − 1)     (unbiased)
     * </pre>
     * Otherwise the running statistics normalise and nothing is updated. See {@link BatchNormOp}.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        int channels = input.size(1);
        boolean useBatchStatistics = training || runningMean == null || runningVar == null;
        if (!useBatchStatistics) {
            return BatchNormOp.apply(input, weight, bias, runningMean.data(), runningVar.data(), eps, null, null);
        }
        double[] batchMean = new double[channels];
        double[] batchVariance = new double[channels];
        Tensor out = BatchNormOp.apply(input, weight, bias, null, null, eps, batchMean, batchVariance);
        if (training && runningMean != null && runningVar != null) {
            double count = (double) input.numel() / channels;                // M = N·S values per channel
            float[] mean = runningMean.toArray();
            float[] variance = runningVar.toArray();
            for (int c = 0; c < channels; c++) {
                double unbiased = batchVariance[c] * count / (count - 1);
                mean[c] = (float) ((1 - momentum) * mean[c] + momentum * batchMean[c]);
                variance[c] = (float) ((1 - momentum) * variance[c] + momentum * unbiased);
            }
            runningMean.copy_(Tensor.wrap(mean, channels));
            runningVar.copy_(Tensor.wrap(variance, channels));
        }
        return out;
    }

    /**
     * Layer norm of {@code input} (*, normalizedShape) over its last {@code normalizedShape.length}
     * dims, with {@code weight}, {@code bias} of shape normalizedShape (either may be null). See
     * {@link LayerNormOp}.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNormOp.apply(input, normalizedShape, weight, bias, eps);
    }
}
