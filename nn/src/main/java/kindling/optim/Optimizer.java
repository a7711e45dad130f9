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
 * Updates parameters from their gradients, as {@code torch.optim.Optimizer}. The training loop:
 * <pre>
 *   optimizer.zeroGrad();                                             // grads := null
 *   Tensor loss = new CrossEntropyLoss().forward(model.forward(x), target);
 *   loss.backward();                                                  // grads := ∂loss/∂θ
 *   optimizer.step();                                                 // θ := update(θ, grad, state)
 * </pre>
 * Subclasses write one method, {@link #update}, the rule for one parameter; this class runs it
 * inside {@link NoGrad} for every parameter that requires a gradient and has one. A parameter
 * whose grad is null (unused by the loss) or that does not require a gradient (frozen with
 * {@code requiresGrad_(false)}) is skipped and gets no state, as in PyTorch.
 *
 * <p><b>Parameter groups.</b> The parameters are split into {@link ParamGroup}s, each with its own
 * learning rate and other hyper-parameters (PyTorch's {@code param_groups}); a builder given one list
 * makes one group. {@link #addParamGroup} adds a group later (unfreezing a stage while fine-tuning).
 * Schedulers change every group's lr.
 *
 * <p><b>State.</b> Each parameter has a map of named tensors under PyTorch's names
 * ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code step}, ...), readable with
 * {@link #state(Tensor)}. {@code step} is a 0-dim tensor, as in PyTorch 1.13.
 *
 * <p><b>State dict.</b> {@link #stateDict()} flattens the state and every group's options into
 * {@code Map<String, Tensor>}; parameters are numbered by their position over all groups in order,
 * as PyTorch numbers them:
 * <pre>
 *   state.0.exp_avg          (3, 4)   state of parameter 0
 *   state.0.step             ()
 *   param_groups.0.lr        ()       every option of group 0, booleans as 0 or 1
 *   param_groups.0.beta1     ()
 *   param_groups.0.params    (2,)     the indices of group 0's parameters: 0, 1
 *   param_groups.1.lr        ()       group 1 ...
 * </pre>
 * Loading runs in two phases: {@link StateDictCheck#validate} checks every key, shape, group and
 * hyper-parameter and either throws listing every problem or returns what to load; only then are
 * the states and learning rates replaced, so a bad state dict leaves the optimizer unchanged.
 * Loading restores each group's {@code lr} (a scheduler may have changed it) but requires the other
 * hyper-parameters to equal this optimizer's: resuming with another β or momentum is a different
 * experiment. Files written before groups existed (one group, no {@code param_groups.0.params}) load.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Float> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    /** The index of each parameter's group. */
    private final List<Integer> groupOf = new ArrayList<>();
    private final List<Map<String, Tensor>> states = new ArrayList<>();

    /**
     * @param name the class name used in messages, e.g. {@code "Adam"}
     * @param groups the parameter groups (leaves, each tensor in one group only)
     * @param defaults every option with the builder's value, {@code lr} first (absent when it has no
     *     default and was not set), as PyTorch's {@code defaults}
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Float> defaults) {
        this.name = name;
        this.defaults = new LinkedHashMap<>(defaults);
        int total = 0;
        for (ParamGroup group : groups) {
            total += group.params().size();
        }
        if (total == 0) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        for (ParamGroup group : groups) {
            addGroup(group);
        }
    }

    /**
     * Adds a group of parameters trained from now on, as PyTorch's {@code add_param_group}: options
     * it does not set take the builder's values. Its parameters must be new to this optimizer.
     */
    public void addParamGroup(ParamGroup group) {
        addGroup(group);
    }

    private void addGroup(ParamGroup request) {
        int index = groups.size();
        String owner = index == 0 ? name : name + " param group " + index;
        for (String option : request.options().keySet()) {
            if (!defaults.containsKey(option) && !option.equals("lr")) {
                throw new IllegalArgumentException(owner + ": unknown option '" + option + "'; " + name + " has "
                        + optionNames());
            }
        }
        ParamGroup group = ParamGroup.filled(request, defaults);
        if (!group.options().containsKey("lr")) {
            throw new IllegalArgumentException(name + ": lr is required (PyTorch has no default), e.g. "
                    + name + ".builder(params).lr(0.1)");
        }
        Checks.atLeastZero(owner, "lr", group.lr());
        checkGroup(owner, group);
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            seen.put(params.get(i), i);
        }
        for (int j = 0; j < group.params().size(); j++) {
            Tensor param = group.params().get(j);
            int i = params.size() + j;
            if (!param.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is not a leaf (computed by "
                        + param.gradFn().name() + "); an optimizer can only update leaves");
            }
            Integer earlier = seen.put(param, i);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is the same tensor as parameter "
                        + earlier + "; pass each parameter once"
                        + (earlier < params.size() ? " (it is already in a parameter group)" : ""));
            }
        }
        groups.add(group);
        for (Tensor param : group.params()) {
            params.add(param);
            groupOf.add(index);
            Map<String, Tensor> state = new LinkedHashMap<>();
            initState(param, state, group);
            states.add(state);
        }
    }

    private List<String> optionNames() {
        List<String> names = new ArrayList<>(List.of("lr"));
        names.addAll(optionsExceptLr(defaults).keySet());
        return names;
    }

    /**
     * Every option of {@code options} but {@code lr}, in their order: the state dict, the printout and
     * the messages put {@code lr} first, whatever its place in the map.
     */
    private static Map<String, Float> optionsExceptLr(Map<String, Float> options) {
        Map<String, Float> rest = new LinkedHashMap<>(options);
        rest.remove("lr");
        return rest;
    }

    /** Whether {@link #step} updates {@code param}: it requires a gradient and has one. */
    static boolean hasTrainableGrad(Tensor param) {
        return param.requiresGrad() && param.grad() != null;
    }

    /**
     * Checks a group's options when it is added (each subclass: its ranges), throwing with
     * {@code owner} (the optimizer's name, and the group's index after the first) in the message.
     */
    protected abstract void checkGroup(String owner, ParamGroup group);

    /** Fills a parameter's state when it joins the optimizer; empty by default (Adagrad fills it). */
    protected void initState(Tensor param, Map<String, Tensor> state, ParamGroup group) {
    }

    /**
     * The update of one parameter, run inside {@link NoGrad}, with its group's options. {@code state}
     * is this parameter's map, empty on its first step; fill it with the tensors the rule carries.
     */
    protected abstract void update(Tensor param, Tensor grad, Map<String, Tensor> state, ParamGroup group);

    /** Performs one update of every parameter that requires a gradient and has one. */
    public void step() {
        try (NoGrad scope = NoGrad.enter()) {
            int i = 0;
            for (ParamGroup group : groups) {
                for (Tensor param : group.params()) {
                    if (hasTrainableGrad(param)) {
                        update(param, param.grad(), states.get(i), group);
                    }
                    i++;
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

    /** The groups, live: changing a group's lr changes the next step (read-only list). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The learning rate of the first group (the only one unless groups were given). */
    public float getLr() {
        return groups.get(0).lr();
    }

    /** Sets every group's learning rate to {@code lr}; to keep groups apart, use {@link #paramGroups()}. */
    public void setLr(double lr) {
        Checks.atLeastZero(name, "lr", (float) lr);
        for (ParamGroup group : groups) {
            group.setLr(lr);
        }
    }

    /** Every parameter, group after group, in the order given: their indices are the state dict's. */
    public List<Tensor> params() {
        return Collections.unmodifiableList(params);
    }

    /** The state of {@code param} (live tensors, read-only map); empty before its first step. */
    public Map<String, Tensor> state(Tensor param) {
        return Collections.unmodifiableMap(states.get(indexOf(param)));
    }

    private int indexOf(Tensor param) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == param) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + ": the tensor " + Shape.format(param.shape())
                + " is not one of this optimizer's parameters");
    }

    /** State and options as {@code state.<i>.<name>} and {@code param_groups.<g>.<name>}: copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor> entry : states.get(i).entrySet()) {
                out.put("state." + i + "." + entry.getKey(), copyOf(entry.getValue()));
            }
        }
        int first = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            String prefix = "param_groups." + g + ".";
            out.put(prefix + "lr", Tensor.scalar(group.lr()));
            optionsExceptLr(group.options()).forEach((option, value) -> out.put(prefix + option, Tensor.scalar(value)));
            out.put(prefix + "params", indices(first, group.params().size()));
            first += group.params().size();
        }
        return out;
    }

    /** first, first + 1, ..., as a 1-D tensor (exact in float up to 2²⁴ parameters). */
    static Tensor indices(int first, int count) {
        float[] values = new float[count];
        for (int k = 0; k < count; k++) {
            values[k] = first + k;
        }
        return Tensor.wrap(values, count);
    }

    /**
     * Restores a {@link #stateDict()}: copies its state tensors and each group's lr. Checks everything
     * first and throws {@link IllegalArgumentException} listing every problem, leaving this optimizer unchanged.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        StateDictCheck.Loaded loaded = new StateDictCheck(name, groups, params, groupOf, this::stateNames)
                .validate(stateDict);
        for (int i = 0; i < params.size(); i++) {
            states.get(i).clear();
            for (Map.Entry<String, Tensor> entry : loaded.states().get(i).entrySet()) {
                states.get(i).put(entry.getKey(), copyOf(entry.getValue()));
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(loaded.lrs().get(g));
        }
    }

    /**
     * The names of the state a parameter of {@code group} carries once it has taken a step, in the
     * order {@link #update} creates them; a state dict must hold all of them or none for each parameter.
     */
    protected abstract List<String> stateNames(ParamGroup group);

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
        StringBuilder out = new StringBuilder(name).append(" (");
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            if (groups.size() > 1) {
                out.append(g == 0 ? "" : "; ").append("group ").append(g).append(": ");
            }
            out.append("lr: ").append(group.lr());
            optionsExceptLr(group.options()).forEach((option, value) -> out.append(", ").append(option).append(": ")
                    .append(value));
            out.append(", ").append(group.params().size()).append(" parameters");
        }
        return out.append(')').toString();
    }
}
