package kindling.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Adagrad, as {@code torch.optim.Adagrad} (Duchi, Hazan and Singer, 2011, "Adaptive Subgradient
 * Methods for Online Learning and Stochastic Optimization"). For each parameter θ with gradient g,
 * at step t:
 * <pre>
 *   γₜ ← γ / (1 + (t − 1)·η)                learning rate with decay η = lrDecay
 *   g  ← g + λ·θ                            if weightDecay λ ≠ 0
 *   s  ← s + g²                             sum of squared gradients (s₀ = initialAccumulatorValue)
 *   θ  ← θ − γₜ · g / (√s + ε)
 * </pre>
 * Because s only grows, each weight's step shrinks with the gradients it has seen: frequent
 * features learn slowly, rare ones fast.
 *
 * <p>State per parameter (PyTorch's names): {@code step} (0-dim) and {@code sum} s, shaped as θ.
 * As in PyTorch, the state exists from construction (step 0, sum filled with the initial value).
 *
 * <p>PyTorch defaults: lr 0.01, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10.
 * <pre>
 *   Adagrad adagrad = Adagrad.builder(model.parameters()).lr(0.1f).lrDecay(0.01f).build();
 * </pre>
 */
public final class Adagrad extends Optimizer {
    private final float lrDecay;
    private final float weightDecay;
    private final float initialAccumulatorValue;
    private final float eps;

    private Adagrad(Builder b) {
        super("Adagrad", b.params, b.lr);
        lrDecay = Checks.atLeastZero("Adagrad", "lrDecay", b.lrDecay);
        weightDecay = Checks.atLeastZero("Adagrad", "weightDecay", b.weightDecay);
        initialAccumulatorValue = Checks.atLeastZero("Adagrad", "initialAccumulatorValue",
                b.initialAccumulatorValue);
        eps = Checks.atLeastZero("Adagrad", "eps", b.eps);
        for (int i = 0; i < params().size(); i++) {
            stateAt(i).put("step", Tensor.scalar(0f));
            stateAt(i).put("sum", Tensor.full(initialAccumulatorValue, params().get(i).shape()));
        }
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state) {
        double t = incrementStep(state);
        double clr = getLr() / (1 + (t - 1) * lrDecay);          // γₜ = γ / (1 + (t − 1)·η)
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor s = state.computeIfAbsent("sum", key -> Tensor.full(initialAccumulatorValue, param.shape()));
        s.add_(g.mul(g));                                        // s = s + g²
        param.add_(g.div(s.sqrt().add(eps)), (float) -clr);     // θ = θ − γₜ·g/(√s + ε)
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("lrDecay", lrDecay);
        out.put("weightDecay", weightDecay);
        out.put("initialAccumulatorValue", initialAccumulatorValue);
        out.put("eps", eps);
        return out;
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "sum");
    }

    /** Optional arguments of {@link Adagrad}, defaulting as PyTorch. */
    public static final class Builder {
        private final List<Tensor> params;
        private float lr = 1e-2f;
        private float lrDecay = 0f;
        private float weightDecay = 0f;
        private float initialAccumulatorValue = 0f;
        private float eps = 1e-10f;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate γ; default 0.01. */
        public Builder lr(float lr) {
            this.lr = lr;
            return this;
        }

        /** Learning-rate decay η per step; default 0. */
        public Builder lrDecay(float lrDecay) {
            this.lrDecay = lrDecay;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Starting value s₀ of the sum of squared gradients; default 0. */
        public Builder initialAccumulatorValue(float initialAccumulatorValue) {
            this.initialAccumulatorValue = initialAccumulatorValue;
            return this;
        }

        /** ε added to the denominator for stability; default 1e-10. */
        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
