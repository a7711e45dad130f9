package kindling.nn;

import kindling.ops.norm.GroupNormOp;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Group normalisation (Wu &amp; He 2018), as PyTorch's {@code nn.GroupNorm}: the channels of each
 * sample are split into {@code numGroups} groups of C/G consecutive channels, and each group is
 * normalised with its own mean and variance over its channels and all positions.
 * <pre>
 *   x viewed as (N, G, C/G · L)                         L = H·W (or any trailing dims)
 *   μ[n,g] = mean of x[n,g,:]     σ²[n,g] = biased variance of x[n,g,:]
 *   y[n,c,...] = (x[n,c,...] − μ[n,g(c)]) / √(σ²[n,g(c)] + ε) · γ[c] + β[c]
 * </pre>
 * G = 1 normalises each sample over all its channels and positions (like {@link LayerNorm} over
 * (C, H, W) but with per-channel γ, β); G = C normalises each channel of each sample alone (instance
 * norm). The statistics never mix samples, so training and evaluation compute the same thing, there
 * are no running statistics, and the layer works for a batch of one — why diffusion U-Nets, trained
 * with small batches, use it instead of {@link BatchNorm2d}.
 *
 * <p>One fused op, {@link GroupNormOp}, with its backward written out: two passes over each (sample,
 * group) block forward and two backward, where the same formula composed from tensor ops (reshape,
 * mean, var, sub, div, mul, add) would stream the whole tensor through memory a dozen times.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, C, *): e.g. (N, C, H, W), (N, C, L) or (N, C);
 *   <li>output the same shape.
 * </ul>
 * <b>Parameters</b> (when {@code affine}, the default): {@code weight} γ (C) initialised to ones,
 * {@code bias} β (C) zeros — the state-dict keys PyTorch uses. Default eps = 1e-5.
 */
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    /** γ (C), or null. */
    public final Tensor weight;
    /** β (C), or null. */
    public final Tensor bias;

    /** {@code numGroups} groups over {@code numChannels} channels, eps = 1e-5, with γ and β. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0) {
            throw new IllegalArgumentException("GroupNorm: numGroups and numChannels must be > 0, got numGroups="
                    + numGroups + ", numChannels=" + numChannels);
        }
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels must be divisible by numGroups, got numChannels="
                    + numChannels + ", numGroups=" + numGroups);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm: eps must be > 0, got " + eps);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numChannels) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numChannels) : null);
    }

    /** γ to ones, β to zeros. */
    public void resetParameters() {
        if (weight != null) {
            weight.detach().fill_(1f);
            bias.detach().fill_(0f);
        }
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = input.shape();
        if (shape.length < 2 || shape[1] != numChannels) {
            throw new ShapeException(describe() + ": expected input (N, " + numChannels + ", *) but got "
                    + Shape.format(shape));
        }
        return GroupNormOp.apply(input, numGroups, weight, bias, eps);
    }

    /** As PyTorch: {@code 2, 4, eps=1e-05, affine=True}. */
    @Override
    public String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + PyRepr.floatRepr(eps) + ", affine=" + PyRepr.bool(weight != null);
    }
}
