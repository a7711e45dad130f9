package kindling.optim;

import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} (Loshchilov and Hutter, 2019,
 * "Decoupled Weight Decay Regularization"). For each parameter θ with gradient g, at step t:
 * <pre>
 *   θ  ← θ − γ·λ·θ                          decay the weights directly (λ = weightDecay)
 *   m  ← β₁·m + (1 − β₁)·g                  first moment   (m₀ = 0)
 *   v  ← β₂·v + (1 − β₂)·g²                 second moment  (v₀ = 0)
 *   v̂max ← max(v̂max, v)                     if amsgrad     (v̂max₀ = 0); then use v̂max for v below
 *   θ  ← θ − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The difference from {@link Adam}'s weightDecay: Adam adds λθ to g, so the decay passes through
 * m/√v and a weight with large gradients is barely decayed; AdamW shrinks every weight by the same
 * factor 1 − γλ, independent of its gradient history.
 *
 * <p>State per parameter (PyTorch's names): {@code step} (0-dim), {@code exp_avg} m,
 * {@code exp_avg_sq} v, and {@code max_exp_avg_sq} if amsgrad; each shaped as θ.
 *
 * <p>PyTorch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 1e-2, amsgrad false.
 * <pre>
 *   AdamW adamW = AdamW.builder(model.parameters()).lr(1e-3).weightDecay(0.05).build();
 * </pre>
 */
public final class AdamW extends Optimizer {
    private AdamW(Builder b) {
        super("AdamW", b.groups, b.defaults());
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
        Adam.checkAdamGroup(owner, group);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group) {
        param.mul_(1 - group.lr() * group.get("weightDecay"));    // θ = θ − γ·λ·θ
        Adam.adamStep(param, grad, state, group);
    }

    @Override
    protected List<String> stateNames(ParamGroup group) {
        return Adam.adamStateNames(group);
    }

    /** Optional arguments of {@link AdamW}, defaulting as PyTorch; they apply to every group that does not set its own. */
    public static final class Builder extends AdamOptions<Builder> {
        private Builder(List<ParamGroup> groups) {
            super(groups, 1e-2);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Decoupled weight decay λ; default 1e-2. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
