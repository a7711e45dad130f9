package kindling.nn.functional;

import kindling.autograd.Function;
import kindling.kernels.Threads;
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
 * Channels are independent, so each pass runs channel by channel, the channels in parallel
 * ({@link Threads}); each channel's sums are done by one thread in one order, so the results are the
 * same for any thread count.
 */
final class BatchNormOp extends Function {
    private float[] normalized;          // x̂, kept for backward
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
    static Tensor apply(Tensor input, Tensor weight, Tensor bias, float[] mean, float[] variance, double eps,
                        double[] batchMean, double[] batchVariance) {
        int[] shape = input.shape();
        int batch = shape[0];
        int channels = shape[1];
        int spatial = channels == 0 || batch == 0 ? 0 : input.numel() / (batch * channels);
        float[] x = input.data();
        float[] gamma = weight == null ? null : weight.data();
        float[] beta = bias == null ? null : bias.data();
        double count = (double) batch * spatial;
        double[] invStd = new double[channels];
        double[] shift = new double[channels];
        float[] normalized = new float[x.length];
        float[] out = new float[x.length];
        forEachChannel(channels, x.length, c -> {                           // each channel, in parallel
            if (mean == null) {
                double sum = 0;
                for (int n = 0; n < batch; n++) {                            // first pass: the mean
                    int base = (n * channels + c) * spatial;
                    for (int s = 0; s < spatial; s++) {
                        sum += x[base + s];
                    }
                }
                double mu = sum / count;
                double squares = 0;
                for (int n = 0; n < batch; n++) {                            // second pass: Σ (x − μ)², stable
                    int base = (n * channels + c) * spatial;
                    for (int s = 0; s < spatial; s++) {
                        double d = x[base + s] - mu;
                        squares += d * d;
                    }
                }
                batchMean[c] = mu;
                batchVariance[c] = squares / count;                          // biased: divided by M
                shift[c] = mu;
                invStd[c] = 1 / Math.sqrt(squares / count + eps);
            } else {
                shift[c] = mean[c];
                invStd[c] = 1 / Math.sqrt(variance[c] + eps);
            }
            double g = gamma == null ? 1 : gamma[c];
            double b = beta == null ? 0 : beta[c];
            for (int n = 0; n < batch; n++) {                                // y = γ · x̂ + β
                int base = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    double xHat = (x[base + s] - shift[c]) * invStd[c];
                    normalized[base + s] = (float) xHat;
                    out[base + s] = (float) (g * xHat + b);
                }
            }
        });
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        BatchNormOp op = new BatchNormOp();
        op.normalized = normalized;
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
        float[] g = gradOutput.data();
        int batch = inputShape[0];
        double count = (double) batch * spatial;
        double[] sumGrad = new double[channels];                             // Σ g per channel
        double[] sumGradXHat = new double[channels];                         // Σ g · x̂ per channel
        boolean inputGrad = needsInputGrad(0);
        float[] dx = inputGrad ? new float[g.length] : null;
        forEachChannel(channels, g.length, c -> {                           // each channel, in parallel
            // Local sums, stored once: two threads adding into neighbouring elements of one array
            // would pass its cache line back and forth on every addition.
            double channelSum = 0;
            double channelSumXHat = 0;
            for (int n = 0; n < batch; n++) {
                int base = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    channelSum += g[base + s];
                    channelSumXHat += g[base + s] * (double) normalized[base + s];
                }
            }
            sumGrad[c] = channelSum;
            sumGradXHat[c] = channelSumXHat;
            if (!inputGrad) {
                return;
            }
            double scale = (gamma == null ? 1 : gamma[c]) * invStd[c];          // γ_c / σ_c
            double meanGrad = batchStatistics ? sumGrad[c] / count : 0;
            double meanGradXHat = batchStatistics ? sumGradXHat[c] / count : 0;
            for (int n = 0; n < batch; n++) {
                int base = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    dx[base + s] = (float) (scale * (g[base + s] - meanGrad - normalized[base + s] * meanGradXHat));
                }
            }
        });
        Tensor gradInput = inputGrad ? Tensor.wrap(dx, inputShape) : null;
        Tensor gradWeight = needsInputGrad(1) ? Tensor.wrap(toFloats(sumGradXHat), channels) : null;
        Tensor gradBias = needsInputGrad(2) ? Tensor.wrap(toFloats(sumGrad), channels) : null;
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }

    /** Runs {@code task} for every channel: in parallel when the tensor is large enough to repay it. */
    private static void forEachChannel(int channels, int elements, Threads.Task task) {
        if (elements >= Threads.ELEMENTWISE_BLOCK) {
            Threads.parallelFor(channels, task);
        } else {
            for (int c = 0; c < channels; c++) {
                task.run(c);
            }
        }
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
