package kindling.optim;

import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Adam, as {@code torch.optim.Adam} (Kingma and Ba, 2015, "Adam: A Method for Stochastic
 * Optimization"; AMSGrad from Reddi et al., 2018). For each parameter θ with gradient g, at step t:
 * <pre>
 *   g  ← g + λ·θ                            if weightDecay λ ≠ 0 (L2 penalty, coupled: see AdamW)
 *   m  ← β₁·m + (1 − β₁)·g                  first moment   (m₀ = 0)
 *   v  ← β₂·v + (1 − β₂)·g²                 second moment  (v₀ = 0)
 *   v̂max ← max(v̂max, v)                     if amsgrad     (v̂max₀ = 0); then use v̂max for v below
 *   θ  ← θ − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ undo the pull of m₀ = v₀ = 0 towards zero. On the
 * first step m/(1 − β₁) = g and √(v/(1 − β₂)) = |g|, so each weight moves by γ·g/(|g| + ε) ≈ ±γ.
 * ε is added after the bias correction of √v, as PyTorch does (the paper's form).
 *
 * <p>State per parameter (PyTorch's names): {@code step} (0-dim), {@code exp_avg} m,
 * {@code exp_avg_sq} v, and {@code max_exp_avg_sq} if amsgrad; each shaped as θ.
 *
 * <p>PyTorch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0, amsgrad false.
 * <pre>
 *   Adam adam = Adam.builder(model.parameters()).lr(3e-4).build();
 * </pre>
 */
public final class Adam extends Optimizer {
    private Adam(Builder b) {
        super("Adam", b.groups, b.defaults());
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
        checkAdamGroup(owner, group);
    }

    /** The checks shared by Adam and AdamW: betas in [0, 1), eps and weightDecay at least 0. */
    static void checkAdamGroup(String owner, ParamGroup group) {
        Checks.inUnitInterval(owner, "beta1", group.get("beta1"));
        Checks.inUnitInterval(owner, "beta2", group.get("beta2"));
        Checks.atLeastZero(owner, "eps", group.get("eps"));
        Checks.atLeastZero(owner, "weightDecay", group.get("weightDecay"));
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group) {
        float weightDecay = group.get("weightDecay");
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        adamStep(param, g, state, group);
    }

    /**
     * The moment updates and the bias-corrected step shared by Adam and AdamW, with the group's
     * options. The corrections are computed in double, as PyTorch computes them with Python floats.
     */
    static void adamStep(Tensor param, Tensor g, Map<String, Tensor> state, ParamGroup group) {
        float lr = group.lr();
        float beta1 = group.get("beta1");
        float beta2 = group.get("beta2");
        float eps = group.get("eps");
        double t = incrementStep(state);
        Tensor m = state.computeIfAbsent("exp_avg", key -> Tensor.zeros(param.shape()));
        Tensor v = state.computeIfAbsent("exp_avg_sq", key -> Tensor.zeros(param.shape()));
        m.mul_(beta1).add_(g, 1 - beta1);                        // m = β₁·m + (1 − β₁)·g
        v.mul_(beta2).add_(g.mul(g), 1 - beta2);                 // v = β₂·v + (1 − β₂)·g²
        if (group.flag("amsgrad")) {
            Tensor vMax = state.computeIfAbsent("max_exp_avg_sq", key -> Tensor.zeros(param.shape()));
            vMax.copy_(vMax.maximum(v));                         // v̂max = max(v̂max, v)
            v = vMax;
        }
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / biasCorrection1;
        Tensor denominator = v.sqrt().div((float) Math.sqrt(biasCorrection2)).add(eps);
        param.add_(m.div(denominator), (float) -stepSize);      // θ = θ − γ/(1 − β₁ᵗ) · m / denominator
    }

    @Override
    protected List<String> stateNames(ParamGroup group) {
        return adamStateNames(group);
    }

    /** The per-parameter state of Adam and AdamW, in PyTorch's order; max_exp_avg_sq only with AMSGrad. */
    static List<String> adamStateNames(ParamGroup group) {
        return group.flag("amsgrad") ? List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
                : List.of("step", "exp_avg", "exp_avg_sq");
    }

    /** Optional arguments of {@link Adam}, defaulting as PyTorch; they apply to every group that does not set its own. */
    public static final class Builder extends AdamOptions<Builder> {
        private Builder(List<ParamGroup> groups) {
            super(groups, 0);
        }

        @Override
        Builder self() {
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Adam build() {
            return new Adam(this);
        }
    }
}
