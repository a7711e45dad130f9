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
 *   SGD sgd = SGD.builder(model.parameters()).lr(0.1f).momentum(0.9f).nesterov(true).build();
 * </pre>
 */
public final class SGD extends Optimizer {
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;

    private SGD(Builder b) {
        super("SGD", b.params, b.requiredLr());
        momentum = Checks.atLeastZero("SGD", "momentum", b.momentum);
        dampening = b.dampening;
        weightDecay = Checks.atLeastZero("SGD", "weightDecay", b.weightDecay);
        nesterov = b.nesterov;
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening, got "
                    + "momentum " + momentum + " and dampening " + dampening);
        }
    }

    /** A builder with PyTorch's defaults; {@code lr} must be set. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params);
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        if (momentum != 0) {
            Tensor buffer = state.get("momentum_buffer");
            if (buffer == null) {
                buffer = copyOf(g);                                   // b = g on the first step
                state.put("momentum_buffer", buffer);
            } else {
                buffer.mul_(momentum).add_(g, 1 - dampening);         // b = μ·b + (1 − τ)·g
            }
            g = nesterov ? g.add(buffer.mul(momentum)) : buffer;
        }
        param.add_(g, -getLr());                                      // θ = θ − γ·g
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("momentum", momentum);
        out.put("dampening", dampening);
        out.put("weightDecay", weightDecay);
        out.put("nesterov", Checks.flag(nesterov));
        return out;
    }

    @Override
    protected List<String> stateNames() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }

    /** Optional arguments of {@link SGD}, defaulting as PyTorch. */
    public static final class Builder {
        private final List<Tensor> params;
        private Float lr;
        private float momentum = 0f;
        private float dampening = 0f;
        private float weightDecay = 0f;
        private boolean nesterov = false;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate γ; required. */
        public Builder lr(float lr) {
            this.lr = lr;
            return this;
        }

        /** Momentum factor μ; default 0 (plain SGD). */
        public Builder momentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening τ of the gradient added to the momentum buffer; default 0. */
        public Builder dampening(float dampening) {
            this.dampening = dampening;
            return this;
        }

        /** L2 penalty λ added to the gradient; default 0. */
        public Builder weightDecay(float weightDecay) {
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

        private float requiredLr() {
            if (lr == null) {
                throw new IllegalArgumentException("SGD: lr is required (PyTorch has no default), e.g. "
                        + "SGD.builder(params).lr(0.1f)");
            }
            return lr;
        }
    }
}
