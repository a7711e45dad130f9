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
 *   RMSprop rmsprop = RMSprop.builder(model.parameters()).lr(1e-3).centered(true).build();
 * </pre>
 */
public final class RMSprop extends Optimizer {
    private RMSprop(Builder b) {
        super("RMSprop", b.groups, b.defaults());
    }

    /** A builder with PyTorch's defaults for one group of {@code params}. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(List.of(ParamGroup.of(params)));
    }

    /** A builder for several groups; options a group does not set take the builder's values. */
    public static Builder builder(ParamGroup first, ParamGroup... more) {
        return new Builder(ParamGroup.list(first, more));
    }

    @Override
    protected void checkGroup(String owner, ParamGroup group) {
        Checks.atLeastZero(owner, "alpha", group.get("alpha"));
        Checks.atLeastZero(owner, "eps", group.get("eps"));
        Checks.atLeastZero(owner, "weightDecay", group.get("weightDecay"));
        Checks.atLeastZero(owner, "momentum", group.get("momentum"));
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group) {
        float lr = group.lr();
        float alpha = group.get("alpha");
        float eps = group.get("eps");
        float weightDecay = group.get("weightDecay");
        float momentum = group.get("momentum");
        boolean centered = group.flag("centered");
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
            param.add_(b, -lr);                                  // θ = θ − γ·b
        } else {
            param.add_(g.div(d), -lr);                           // θ = θ − γ·g/d
        }
    }

    @Override
    protected List<String> stateNames(ParamGroup group) {
        List<String> names = new ArrayList<>(List.of("step", "square_avg"));
        if (group.get("momentum") > 0) {
            names.add("momentum_buffer");
        }
        if (group.flag("centered")) {
            names.add("grad_avg");
        }
        return names;
    }

    /** Optional arguments of {@link RMSprop}, defaulting as PyTorch; they apply to every group that does not set its own. */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay = 0;
        private double momentum = 0;
        private boolean centered = false;

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate γ; default 0.01. */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Smoothing constant α of the running averages; default 0.99. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** ε added to the denominator for stability; default 1e-8. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Momentum factor μ; default 0. */
        public Builder momentum(double momentum) {
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

        private Map<String, Float> defaults() {
            Map<String, Float> out = new LinkedHashMap<>();
            out.put("lr", (float) lr);
            out.put("alpha", (float) alpha);
            out.put("eps", (float) eps);
            out.put("weightDecay", (float) weightDecay);
            out.put("momentum", (float) momentum);
            out.put("centered", Checks.flag(centered));
            return out;
        }
    }
}
