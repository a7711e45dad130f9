package kindling.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * RMSprop, as {@code torch.optim.RMSprop} (Hinton, Lecture 6e of "Neural Networks for Machine
 * Learning"; the centered form from Graves, 2013). For each parameter θ with gradient g:
 * <pre>
 *   g  ← g + λ·θ                            if weightDecay λ ≠ 0
 *   v  ← α·v + (1 − α)·g²                   running mean of g²   (v₀ = 0)
 *   if centered:
 *       ḡ ← α·ḡ + (1 − α)·g                 running mean of g    (ḡ₀ = 0)
 *       d ← √(v − ḡ²) + ε                   an estimate of the standard deviation of g
 *   else:
 *       d ← √v + ε
 *   if momentum μ &gt; 0:
 *       b ← μ·b + g / d                     (b₀ = 0)
 *       θ ← θ − γ·b
 *   else:
 *       θ ← θ − γ·g / d
 * </pre>
 * No bias correction: v starts at 0, so early steps are larger than later ones (compare Adam).
 *
 * <p>State per parameter (PyTorch's names): {@code step} (0-dim), {@code square_avg} v,
 * {@code momentum_buffer} b if momentum &gt; 0, {@code grad_avg} ḡ if centered; each shaped as θ.
 *
 * <p>PyTorch defaults: lr 0.01, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, centered false.
 * <pre>
 *   RMSprop rmsprop = RMSprop.builder(model.parameters()).lr(1e-3f).centered(true).build();
 * </pre>
 */
public final class RMSprop extends Optimizer {
    private final float alpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;
    private final boolean centered;

    private RMSprop(Builder b) {
        super("RMSprop", b.params, b.lr);
        alpha = Checks.atLeastZero("RMSprop", "alpha", b.alpha);
        eps = Checks.atLeastZero("RMSprop", "eps", b.eps);
        weightDecay = Checks.atLeastZero("RMSprop", "weightDecay", b.weightDecay);
        momentum = Checks.atLeastZero("RMSprop", "momentum", b.momentum);
        centered = b.centered;
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state) {
        incrementStep(state);
        Tensor v = state.computeIfAbsent("square_avg", key -> Tensor.zeros(param.shape()));
        Tensor b = momentum > 0 ? state.computeIfAbsent("momentum_buffer", key -> Tensor.zeros(param.shape())) : null;
        Tensor gMean = centered ? state.computeIfAbsent("grad_avg", key -> Tensor.zeros(param.shape())) : null;
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        v.mul_(alpha).add_(g.mul(g), 1 - alpha);                 // v = α·v + (1 − α)·g²
        Tensor d;
        if (centered) {
            gMean.mul_(alpha).add_(g, 1 - alpha);                // ḡ = α·ḡ + (1 − α)·g
            d = v.sub(gMean.mul(gMean)).sqrt().add(eps);         // d = √(v − ḡ²) + ε
        } else {
            d = v.sqrt().add(eps);                               // d = √v + ε
        }
        if (momentum > 0) {
            b.mul_(momentum).add_(g.div(d));                     // b = μ·b + g/d
            param.add_(b, -getLr());                             // θ = θ − γ·b
        } else {
            param.add_(g.div(d), -getLr());                      // θ = θ − γ·g/d
        }
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("alpha", alpha);
        out.put("eps", eps);
        out.put("weightDecay", weightDecay);
        out.put("momentum", momentum);
        out.put("centered", Checks.flag(centered));
        return out;
    }

    @Override
    protected List<String> stateNames() {
        List<String> names = new ArrayList<>(List.of("step", "square_avg"));
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        if (centered) {
            names.add("grad_avg");
        }
        return names;
    }

    /** Optional arguments of {@link RMSprop}, defaulting as PyTorch. */
    public static final class Builder {
        private final List<Tensor> params;
        private float lr = 1e-2f;
        private float alpha = 0.99f;
        private float eps = 1e-8f;
        private float weightDecay = 0f;
        private float momentum = 0f;
        private boolean centered = false;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate γ; default 0.01. */
        public Builder lr(float lr) {
            this.lr = lr;
            return this;
        }

        /** Smoothing constant α of the running averages; default 0.99. */
        public Builder alpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        /** ε added to the denominator for stability; default 1e-8. */
        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Momentum factor μ; default 0. */
        public Builder momentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Normalise by the estimated variance of g rather than the mean of g²; default false. */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
