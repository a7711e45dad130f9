package kindling.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Updates a list of parameters from their gradients, as {@code torch.optim.Optimizer} with one
 * parameter group. The training loop:
 * <pre>
 *   optimizer.zeroGrad();                                             // grads := null
 *   Tensor loss = new CrossEntropyLoss().forward(model.forward(x), target);
 *   loss.backward();                                                  // grads := ∂loss/∂θ
 *   optimizer.step();                                                 // θ := update(θ, grad, state)
 * </pre>
 * Subclasses write one method, {@link #update}, the rule for one parameter; this class runs it
 * inside {@link NoGrad} for every parameter that has a gradient (a parameter whose grad is null —
 * unused by the loss, or frozen — is skipped and gets no state, as in PyTorch).
 *
 * <p><b>State.</b> Each parameter has a map of named tensors under PyTorch's names
 * ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code step}, ...), readable with
 * {@link #state(Tensor)}. {@code step} is a 0-dim tensor, as in PyTorch 1.13.
 *
 * <p><b>State dict.</b> {@link #stateDict()} flattens the state and the hyper-parameters into
 * {@code Map<String, Tensor>}, parameters numbered by their position in the list:
 * <pre>
 *   state.0.exp_avg          (3, 4)   state of parameter 0
 *   state.0.step             ()
 *   param_groups.0.lr        ()       every hyper-parameter, booleans as 0 or 1
 *   param_groups.0.beta1     ()
 * </pre>
 * {@link #loadStateDict} restores it after checking every key, shape and hyper-parameter first;
 * on any problem it throws, listing them all, and leaves the optimizer unchanged. It restores
 * {@code lr} (a scheduler may have changed it) but requires the other hyper-parameters to equal
 * this optimizer's: resuming with another β or momentum is a different experiment.
 */
public abstract class Optimizer {
    private final String name;
    private final List<Tensor> params;
    private final List<Map<String, Tensor>> states = new ArrayList<>();
    private float lr;

    /**
     * @param name the class name used in messages, e.g. {@code "Adam"}
     * @param params the tensors to update, e.g. {@code model.parameters()}: leaves, no duplicates
     */
    protected Optimizer(String name, List<Tensor> params, float lr) {
        this.name = name;
        if (params.isEmpty()) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor param = params.get(i);
            if (!param.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is not a leaf (computed by "
                        + param.gradFn().name() + "); an optimizer can only update leaves");
            }
            Integer earlier = seen.put(param, i);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is the same tensor as parameter "
                        + earlier + "; pass each parameter once");
            }
            states.add(new LinkedHashMap<>());
        }
        this.params = List.copyOf(params);
        this.lr = Checks.atLeastZero(name, "lr", lr);
    }

    /**
     * The update of one parameter, run inside {@link NoGrad}. {@code state} is this parameter's
     * map, empty on its first step; fill it with the tensors the rule carries between steps.
     */
    protected abstract void update(Tensor param, Tensor grad, Map<String, Tensor> state);

    /**
     * Every hyper-parameter but {@code lr} under PyTorch's names (camelCase where PyTorch has
     * snake_case; betas split into beta1, beta2), booleans as 0 or 1, for the state dict.
     */
    protected abstract Map<String, Float> hyperParameters();

    /** Performs one update of every parameter whose gradient is not null. */
    public void step() {
        try (NoGrad scope = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor param = params.get(i);
                if (param.grad() != null) {
                    update(param, param.grad(), states.get(i));
                }
            }
        }
    }

    /** Sets every parameter's gradient to null, as PyTorch's {@code zero_grad(set_to_none=True)}. */
    public void zeroGrad() {
        for (Tensor param : params) {
            param.setGrad(null);
        }
    }

    /** The learning rate the next {@link #step()} uses. */
    public float getLr() {
        return lr;
    }

    /** Changes the learning rate, as a scheduler does between epochs. */
    public void setLr(float lr) {
        this.lr = Checks.atLeastZero(name, "lr", lr);
    }

    /** The parameters, in the order given to the constructor. */
    public List<Tensor> params() {
        return params;
    }

    /** The state of {@code param} (live tensors, read-only map); empty before its first step. */
    public Map<String, Tensor> state(Tensor param) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == param) {
                return Collections.unmodifiableMap(states.get(i));
            }
        }
        throw new IllegalArgumentException(name + ": the tensor " + Shape.format(param.shape())
                + " is not one of this optimizer's parameters");
    }

    /** State and hyper-parameters as {@code state.<i>.<name>} and {@code param_groups.0.<name>}: copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor> entry : states.get(i).entrySet()) {
                out.put("state." + i + "." + entry.getKey(), copyOf(entry.getValue()));
            }
        }
        out.put("param_groups.0.lr", Tensor.scalar(lr));
        for (Map.Entry<String, Float> entry : hyperParameters().entrySet()) {
            out.put("param_groups.0." + entry.getKey(), Tensor.scalar(entry.getValue()));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()}: copies its state tensors and lr. Checks everything first and
     * throws {@link IllegalArgumentException} listing every problem, leaving this optimizer unchanged.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        StateDictCheck check = new StateDictCheck(name, params, hyperParameters(), this::stateNames);
        List<Map<String, Tensor>> loaded = check.validate(stateDict);
        for (int i = 0; i < params.size(); i++) {
            states.get(i).clear();
            for (Map.Entry<String, Tensor> entry : loaded.get(i).entrySet()) {
                states.get(i).put(entry.getKey(), copyOf(entry.getValue()));
            }
        }
        lr = stateDict.get("param_groups.0.lr").item();
    }

    /**
     * The names of the state a parameter carries once it has taken a step, in the order
     * {@link #update} creates them; a state dict must hold all of them or none for each parameter.
     */
    protected abstract List<String> stateNames();

    /** The state of parameter {@code index}, for subclasses that fill state at construction (Adagrad). */
    protected Map<String, Tensor> stateAt(int index) {
        return states.get(index);
    }

    /** The class name used in messages. */
    protected String name() {
        return name;
    }

    /** A fresh tensor with the values and shape of {@code t}, sharing nothing. */
    static Tensor copyOf(Tensor t) {
        return Tensor.wrap(t.toArray(), t.shape());
    }

    /** Adds 1 to the 0-dim {@code step} tensor of {@code state} (creating it at 0) and returns the new count. */
    static float incrementStep(Map<String, Tensor> state) {
        Tensor step = state.computeIfAbsent("step", key -> Tensor.scalar(0f));
        step.add_(1f);
        return step.item();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name).append(" (lr: ").append(lr);
        for (Map.Entry<String, Float> entry : hyperParameters().entrySet()) {
            out.append(", ").append(entry.getKey()).append(": ").append(entry.getValue());
        }
        return out.append(", ").append(params.size()).append(" parameters)").toString();
    }
}
