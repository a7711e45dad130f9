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
 *   Adagrad adagrad = Adagrad.builder(model.parameters()).lr(0.1).lrDecay(0.01).build();
 * </pre>
 */
public final class Adagrad extends Optimizer {
    private Adagrad(Builder b) {
        super("Adagrad", b.groups, b.defaults());
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
        Checks.atLeastZero(owner, "lrDecay", group.get("lrDecay"));
        Checks.atLeastZero(owner, "weightDecay", group.get("weightDecay"));
        Checks.atLeastZero(owner, "initialAccumulatorValue", group.get("initialAccumulatorValue"));
        Checks.atLeastZero(owner, "eps", group.get("eps"));
    }

    /** As PyTorch, the state exists from the start: step 0 and the sum filled with its initial value. */
    @Override
    protected void initState(Tensor param, Map<String, Tensor> state, ParamGroup group) {
        state.put("step", Tensor.scalar(0f));
        state.put("sum", Tensor.full(group.get("initialAccumulatorValue"), param.shape()));
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group) {
        float lrDecay = group.get("lrDecay");
        float weightDecay = group.get("weightDecay");
        float eps = group.get("eps");
        double t = incrementStep(state);
        double clr = group.lr() / (1 + (t - 1) * lrDecay);       // γₜ = γ / (1 + (t − 1)·η)
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor s = state.computeIfAbsent("sum",
                key -> Tensor.full(group.get("initialAccumulatorValue"), param.shape()));
        s.add_(g.mul(g));                                        // s = s + g²
        param.add_(g.div(s.sqrt().add(eps)), (float) -clr);     // θ = θ − γₜ·g/(√s + ε)
    }

    @Override
    protected List<String> stateNames(ParamGroup group) {
        return List.of("step", "sum");
    }

    /** Optional arguments of {@link Adagrad}, defaulting as PyTorch; they apply to every group that does not set its own. */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-2;
        private double lrDecay = 0;
        private double weightDecay = 0;
        private double initialAccumulatorValue = 0;
        private double eps = 1e-10;

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate γ; default 0.01. */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Learning-rate decay η per step; default 0. */
        public Builder lrDecay(double lrDecay) {
            this.lrDecay = lrDecay;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Starting value s₀ of the sum of squared gradients; default 0. */
        public Builder initialAccumulatorValue(double initialAccumulatorValue) {
            this.initialAccumulatorValue = initialAccumulatorValue;
            return this;
        }

        /** ε added to the denominator for stability; default 1e-10. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Adagrad build() {
            return new Adagrad(this);
        }

        private Map<String, Float> defaults() {
            Map<String, Float> out = new LinkedHashMap<>();
            out.put("lr", (float) lr);
            out.put("lrDecay", (float) lrDecay);
            out.put("weightDecay", (float) weightDecay);
            out.put("initialAccumulatorValue", (float) initialAccumulatorValue);
            out.put("eps", (float) eps);
            return out;
        }
    }
}
