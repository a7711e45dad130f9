package kindling.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * A parameter group: some parameters and the hyper-parameters they are trained with, as one entry
 * of PyTorch's {@code optimizer.param_groups}. Fine-tuning gives the pretrained layers a smaller
 * learning rate than the new head:
 * <pre>
 *   Sequential base = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 64), new ReLU());
 *   Linear head = new Linear(64, 10);                             // new; the base is pretrained
 *   SGD sgd = SGD.builder(
 *           ParamGroup.of(head.parameters()),                     // takes the builder's lr, 0.01
 *           ParamGroup.of(base.get(2).parameters()).lr(0.001))    // its own lr
 *       .lr(0.01).momentum(0.9).build();
 *   sgd.addParamGroup(ParamGroup.of(base.get(0).parameters()).lr(1e-4));   // later, as add_param_group
 * </pre>
 * Before it is given to an optimizer a group holds only what was set on it; the optimizer fills
 * every other option from its builder's values (PyTorch's {@code defaults}) into its own copy, which
 * {@link Optimizer#paramGroups()} returns. Options are named as in the optimizer's state dict
 * ({@code lr}, {@code momentum}, {@code weightDecay}, {@code beta1}, {@code beta2}, ...), booleans as 0 or 1.
 *
 * <p>Values are accepted as {@code double} (so {@code lr(0.001)} compiles) and stored as
 * {@code float}, the precision of the parameters they update.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Float> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup: params is null");
        }
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} with no options of its own yet. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /** {@code first} and {@code more} as one list, for the optimizers' {@code builder(first, more...)}. */
    static List<ParamGroup> list(ParamGroup first, ParamGroup... more) {
        List<ParamGroup> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all;
    }

    /** The group an optimizer keeps: {@code request}'s parameters and options over {@code defaults}. */
    static ParamGroup filled(ParamGroup request, Map<String, Float> defaults) {
        ParamGroup group = new ParamGroup(request.params);
        group.options.putAll(defaults);
        group.options.putAll(request.options);
        return group;
    }

    /** Learning rate γ of this group. */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /** Weight decay λ of this group. */
    public ParamGroup weightDecay(double weightDecay) {
        return set("weightDecay", weightDecay);
    }

    /** Momentum μ of this group (SGD, RMSprop). */
    public ParamGroup momentum(double momentum) {
        return set("momentum", momentum);
    }

    /** β₁ and β₂ of this group (Adam, AdamW). */
    public ParamGroup betas(double beta1, double beta2) {
        set("beta1", beta1);
        return set("beta2", beta2);
    }

    /** Any option by its state-dict name, e.g. {@code set("eps", 1e-6)} or {@code set("nesterov", 1)}. */
    public ParamGroup set(String name, double value) {
        options.put(name, (float) value);
        return this;
    }

    /** The parameters of this group, in the order given. */
    public List<Tensor> params() {
        return params;
    }

    /** This group's learning rate, the one its next step uses. */
    public float lr() {
        return get("lr");
    }

    /** Changes this group's learning rate, as a scheduler does; must be at least 0. */
    public void setLr(double lr) {
        Checks.atLeastZero("ParamGroup", "lr", (float) lr);
        options.put("lr", (float) lr);
    }

    /** The option {@code name}; throws naming the options this group has when there is none. */
    public float get(String name) {
        Float value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("ParamGroup: no option '" + name + "'; this group has "
                    + options.keySet());
        }
        return value;
    }

    /** Whether the 0-or-1 option {@code name} is 1. */
    public boolean flag(String name) {
        return get(name) != 0f;
    }

    /** Every option by name, in the optimizer's order (read-only). */
    public Map<String, Float> options() {
        return Collections.unmodifiableMap(options);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " parameters, " + options + ")";
    }
}
