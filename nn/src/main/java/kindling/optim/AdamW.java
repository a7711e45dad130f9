package kindling.optim;

import java.util.LinkedHashMap;
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
 *   AdamW adamW = AdamW.builder(model.parameters()).lr(1e-3f).weightDecay(0.05f).build();
 * </pre>
 */
public final class AdamW extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean amsgrad;

    private AdamW(Builder b) {
        super("AdamW", b.params, b.lr);
        beta1 = Checks.inUnitInterval("AdamW", "beta1", b.beta1);
        beta2 = Checks.inUnitInterval("AdamW", "beta2", b.beta2);
        eps = Checks.atLeastZero("AdamW", "eps", b.eps);
        weightDecay = Checks.atLeastZero("AdamW", "weightDecay", b.weightDecay);
        amsgrad = b.amsgrad;
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state) {
        param.mul_(1 - getLr() * weightDecay);                   // θ = θ − γ·λ·θ
        Adam.adamStep(param, grad, state, getLr(), beta1, beta2, eps, amsgrad);
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("beta1", beta1);
        out.put("beta2", beta2);
        out.put("eps", eps);
        out.put("weightDecay", weightDecay);
        out.put("amsgrad", Checks.flag(amsgrad));
        return out;
    }

    @Override
    protected List<String> stateNames() {
        return amsgrad ? List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
                : List.of("step", "exp_avg", "exp_avg_sq");
    }

    /** Optional arguments of {@link AdamW}, defaulting as PyTorch. */
    public static final class Builder {
        private final List<Tensor> params;
        private float lr = 1e-3f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float eps = 1e-8f;
        private float weightDecay = 1e-2f;
        private boolean amsgrad = false;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate γ; default 1e-3. */
        public Builder lr(float lr) {
            this.lr = lr;
            return this;
        }

        /** Decay rates β₁, β₂ of the moment averages; default (0.9, 0.999). */
        public Builder betas(float beta1, float beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** ε added to the denominator for stability; default 1e-8. */
        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        /** Decoupled weight decay λ; default 1e-2. */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Use the AMSGrad variant (running maximum of v); default false. */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
