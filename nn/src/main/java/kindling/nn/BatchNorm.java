package kindling.nn;

import kindling.nn.functional.Normalization;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015, "Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift"), the common part of {@link BatchNorm1d} and
 * {@link BatchNorm2d}, as PyTorch's {@code _BatchNorm}.
 * <pre>
 *   y = (x − E[x]) / √(Var[x] + ε) · γ + β          per channel c, over every (n, spatial position)
 * </pre>
 * <b>Training</b> (or {@code trackRunningStats=false}): E[x] and Var[x] are the batch's mean and
 * <i>biased</i> variance (divided by M = N · spatial size), and the running statistics move towards
 * the batch's with the <i>unbiased</i> variance (divided by M − 1), as PyTorch:
 * <pre>
 *   running_mean ← (1 − momentum) · running_mean + momentum · E_batch[x]
 *   running_var  ← (1 − momentum) · running_var  + momentum · Var_batch[x] · M / (M − 1)
 *   num_batches_tracked ← num_batches_tracked + 1
 * </pre>
 * <b>Evaluation</b>: E[x] and Var[x] are running_mean and running_var, so the output of a sample no
 * longer depends on the rest of the batch.
 *
 * <p>BatchNorm's momentum is not an optimizer's momentum: it is the weight of the <i>new</i> batch in
 * an exponential moving average (0.1 keeps 90% of the old value), and it affects only the running
 * statistics, never the training step.
 *
 * <p><b>Parameters</b> (when {@code affine}): {@code weight} γ (C), initialised to ones; {@code bias}
 * β (C), zeros. <b>Buffers</b> (when {@code trackRunningStats}): {@code running_mean} (C) zeros,
 * {@code running_var} (C) ones, {@code num_batches_tracked} a 0-dim counter — a float here, an int64
 * in PyTorch. PyTorch's defaults: eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    /** γ (C), or null without affine. */
    public final Tensor weight;
    /** β (C), or null without affine. */
    public final Tensor bias;
    /** The running mean (C), or null without trackRunningStats. */
    public final Tensor runningMean;
    /** The running (unbiased) variance (C), or null without trackRunningStats. */
    public final Tensor runningVar;
    /** The number of training batches seen, a 0-dim float, or null without trackRunningStats. */
    public final Tensor numBatchesTracked;

    BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be > 0, got "
                    + numFeatures);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1], got "
                    + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        this.runningMean = registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        this.runningVar = registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.scalar(0f) : null);
    }

    /** Running mean 0, running variance 1, counter 0. */
    public void resetRunningStats() {
        if (runningMean != null) {
            runningMean.fill_(0f);
            runningVar.fill_(1f);
            numBatchesTracked.fill_(0f);
        }
    }

    /** Resets the running statistics, γ to ones and β to zeros. */
    public void resetParameters() {
        resetRunningStats();
        if (weight != null) {
            weight.detach().fill_(1f);
            bias.detach().fill_(0f);
        }
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** The shapes this layer accepts, for the error message, e.g. "(N, C) or (N, C, L)". */
    abstract String expectedShape();

    /** Whether {@code dims} is an accepted number of input dims. */
    abstract boolean acceptsDims(int dims);

    @Override
    public Tensor forward(Tensor input) {
        if (!acceptsDims(input.dim()) || input.size(1) != numFeatures) {
            throw new ShapeException(describe() + ": expected input " + expectedShape().replace("C", String.valueOf(numFeatures))
                    + " but got " + Shape.format(input.shape()));
        }
        boolean batchStatistics = isTraining() || runningMean == null;
        if (batchStatistics && input.numel() / numFeatures <= 1) {
            throw new ShapeException(describe() + ": Expected more than 1 value per channel when training, got input "
                    + Shape.format(input.shape()));
        }
        if (isTraining() && numBatchesTracked != null) {
            numBatchesTracked.add_(1f);
        }
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.floatRepr(eps) + ", momentum=" + PyRepr.floatRepr(momentum)
                + ", affine=" + PyRepr.bool(weight != null) + ", track_running_stats=" + PyRepr.bool(runningMean != null);
    }
}
