package kindling.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, as {@code torch.optim.SGD}. For each parameter θ with gradient g, at step t:
 * <pre>
 *   g ← g + λ·θ                                  if weightDecay λ ≠ 0
 *   if momentum μ ≠ 0:
 *       b ← g                                    at t = 1 (no dampening on the first step)
 *       b ← μ·b + (1 − τ)·g                      at t > 1 (τ = dampening)
 *       g ← g + μ·b    if nesterov,   else  g ← b
 *   θ ← θ − γ·g                                  (γ = lr)
 * </pre>
 * State: {@code momentum_buffer} b, shape of θ (only when momentum ≠ 0).
 *
 * <p>PyTorch defaults: lr has none (required); momentum 0, dampening 0, weightDecay 0,
 * nesterov false. Nesterov needs momentum &gt; 0 and dampening 0. This momentum is the
 * "heavy ball" form of Sutskever et al. (2013), b accumulates gradients and the lr scales b; other
 * texts scale the gradient by lr before accumulating, which differs when lr changes.
 *
 * <pre>
 *   SGD sgd = SGD.builder(model.parameters()).lr(0.1).momentum(0.9).nesterov(true).build();
 * </pre>
 */
public final class SGD extends Optimizer {
    private SGD(Builder b) {
        super("SGD", b.groups, b.defaults());
    }

    /** A builder with PyTorch's defaults for one group of {@code params}; {@code lr} must be set. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(List.of(ParamGroup.of(params)));
    }

    /** A builder for several groups; options a group does not set take the builder's values. */
    public static Builder builder(ParamGroup first, ParamGroup... more) {
        return new Builder(ParamGroup.list(first, more));
    }

    @Override
    protected void checkGroup(String owner, ParamGroup group) {
        float momentum = Checks.atLeastZero(owner, "momentum", group.get("momentum"));
        float dampening = group.get("dampening");
        Checks.atLeastZero(owner, "weightDecay", group.get("weightDecay"));
        if (group.flag("nesterov") && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(owner + ": Nesterov momentum requires a momentum and zero dampening, "
                    + "got momentum " + momentum + " and dampening " + dampening);
        }
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group) {
        float lr = group.lr();
        float momentum = group.get("momentum");
        float dampening = group.get("dampening");
        float weightDecay = group.get("weightDecay");
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        if (momentum != 0) {
            Tensor buffer = state.get("momentum_buffer");
            if (buffer == null) {
                buffer = copyOf(g);                                   // b = g on the first step
                state.put("momentum_buffer", buffer);
            } else {
                buffer.mul_(momentum).add_(g, 1 - dampening);         // b = μ·b + (1 − τ)·g
            }
            g = group.flag("nesterov") ? g.add(buffer.mul(momentum)) : buffer;
        }
        param.add_(g, -lr);                                           // θ = θ − γ·g
    }

    @Override
    protected List<String> stateNames(ParamGroup group) {
        return group.get("momentum") != 0 ? List.of("momentum_buffer") : List.of();
    }

    /** Optional arguments of {@link SGD}, defaulting as PyTorch; they apply to every group that does not set its own. */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private Double lr;
        private double momentum = 0;
        private double dampening = 0;
        private double weightDecay = 0;
        private boolean nesterov = false;

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate γ; required (unless every group sets its own). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Momentum factor μ; default 0 (plain SGD). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening τ of the gradient added to the momentum buffer; default 0. */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Nesterov momentum; default false. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public SGD build() {
            return new SGD(this);
        }

        private Map<String, Float> defaults() {
            Map<String, Float> out = new LinkedHashMap<>();
            if (lr != null) {
                out.put("lr", lr.floatValue());
            }
            out.put("momentum", (float) momentum);
            out.put("dampening", (float) dampening);
            out.put("weightDecay", (float) weightDecay);
            out.put("nesterov", Checks.flag(nesterov));
            return out;
        }
    }
}
