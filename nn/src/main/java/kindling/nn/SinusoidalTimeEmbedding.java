package kindling.nn;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * The sinusoidal embedding of a time t (Vaswani et al. 2017's positional encoding, used for the
 * time of diffusion models since Ho, Jain &amp; Abbeel 2020): a scalar time becomes a vector of sines
 * and cosines at geometrically spaced frequencies, which a network can read far more easily than
 * the bare number.
 * <pre>
 *   h = d/2,   ω_k = P^(−k/h)   (k = 0 … h−1),   f_k = s · ω_k
 *   emb(t) = [sin(f_0·t), …, sin(f_{h−1}·t), cos(f_0·t), …, cos(f_{h−1}·t)]
 * </pre>
 * Layout: the h sines first, then the h cosines, in order of decreasing frequency (f_0 = s is the
 * highest, f_{h−1} = s · P^(−(h−1)/h) the lowest). P = {@code maxPeriod} (default 10000, as in the
 * Transformer and the DDPM U-Net) and s = {@code timeScale} (default 1000): flow matching runs t over
 * [0, 1], and the factor 1000 spreads that interval over the same angles as DDPM's integer steps
 * 0 … 1000, so that the high frequencies tell nearby times apart and the low ones vary slowly. With
 * s = 1 and t ∈ [0, 1] most components would be nearly constant.
 *
 * <p>This is the fixed embedding; MIT 6.S184's labs use instead Gaussian Fourier features
 * [sin(2π·w_k·t), cos(2π·w_k·t)] · √2 with random (learned) w_k. Both give the network sines of t at
 * many frequencies; the fixed one has no parameters.
 *
 * <p>Composed from differentiable tensor ops, so it has a gradient with respect to t, though t is
 * usually data: ∂emb/∂t = [f_k · cos(f_k·t), −f_k · sin(f_k·t)]. The frequencies f_k are computed in
 * double and rounded once to float; each angle f_k·t is then one float product.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N) or (N, 1): one time per sample;
 *   <li>output (N, d) with d = {@code embeddingDim}.
 * </ul>
 * No parameters (nothing in the state dict).
 */
public class SinusoidalTimeEmbedding extends Module {
    private final int embeddingDim;
    private final double maxPeriod;
    private final double timeScale;
    /** f_k = s · P^(−k/h), (1, h). */
    private final Tensor frequencies;

    /** d = {@code embeddingDim} (even), P = 10000, s = 1000. */
    public SinusoidalTimeEmbedding(int embeddingDim) {
        this(embeddingDim, 10000, 1000);
    }

    public SinusoidalTimeEmbedding(int embeddingDim, double maxPeriod, double timeScale) {
        if (embeddingDim <= 0 || embeddingDim % 2 != 0) {
            throw new IllegalArgumentException("SinusoidalTimeEmbedding: embeddingDim must be even and > 0, got "
                    + embeddingDim);
        }
        if (!(maxPeriod > 0) || !(timeScale > 0) || Double.isInfinite(maxPeriod) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("SinusoidalTimeEmbedding: maxPeriod and timeScale must be positive numbers, got "
                    + "maxPeriod=" + maxPeriod + ", timeScale=" + timeScale);
        }
        this.embeddingDim = embeddingDim;
        this.maxPeriod = maxPeriod;
        this.timeScale = timeScale;
        int half = embeddingDim / 2;
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            f[k] = (float) (timeScale * Math.pow(maxPeriod, -(double) k / half));
        }
        this.frequencies = Tensor.of(f, 1, half);
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public Tensor forward(Tensor t) {
        if (!(t.dim() == 1 || (t.dim() == 2 && t.size(1) == 1))) {
            throw new ShapeException(describe() + ": expected times (N) or (N, 1) but got " + Shape.format(t.shape()));
        }
        Tensor angles = t.reshape(-1, 1).mul(frequencies);            // (N, 1) · (1, h) → (N, h)
        return Tensor.cat(1, angles.sin(), angles.cos());
    }

    @Override
    public String extraRepr() {
        return "embedding_dim=" + embeddingDim + ", max_period=" + PyRepr.floatRepr(maxPeriod)
                + ", time_scale=" + PyRepr.floatRepr(timeScale);
    }
}
