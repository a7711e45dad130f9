package kindling.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Checks an optimizer state dict against the optimizer before anything is loaded, collecting every
 * problem so that one exception names them all: unknown keys, parameter or group indices out of
 * range, shapes that differ from the parameter's, a parameter with part of its state, a missing lr,
 * hyper-parameters that differ from the group's, and groups holding other parameters than this
 * optimizer's. It reads and changes nothing of the optimizer: {@link #validate} returns what to load.
 *
 * <p>{@code param_groups.<g>.params} (the indices of a group's parameters) is optional, so that
 * state dicts written before parameter groups existed still load.
 */
final class StateDictCheck {
    private static final String STATE = "state.";
    private static final String GROUPS = "param_groups.";

    /** What a valid state dict holds: the state of each parameter (empty map: none) and each group's lr. */
    record Loaded(List<Map<String, Tensor>> states, List<Float> lrs) {
    }

    private final String name;
    private final List<ParamGroup> groups;
    private final List<Tensor> params;
    private final List<Integer> groupOf;
    private final Function<ParamGroup, List<String>> stateNames;

    /**
     * @param params every parameter, group after group, as the optimizer holds them
     * @param groupOf the index of each parameter's group
     */
    StateDictCheck(String name, List<ParamGroup> groups, List<Tensor> params, List<Integer> groupOf,
            Function<ParamGroup, List<String>> stateNames) {
        this.name = name;
        this.groups = groups;
        this.params = params;
        this.groupOf = groupOf;
        this.stateNames = stateNames;
    }

    /** What to load, or an {@link IllegalArgumentException} listing every problem. */
    Loaded validate(Map<String, Tensor> stateDict) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Tensor>> states = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            states.add(new LinkedHashMap<>());
        }
        List<Float> lrs = new ArrayList<>();
        for (ParamGroup group : groups) {
            lrs.add(group.lr());
        }
        for (Map.Entry<String, Tensor> entry : stateDict.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(GROUPS)) {
                checkGroupEntry(key, entry.getValue(), lrs, problems);
            } else if (key.startsWith(STATE)) {
                checkStateEntry(key, entry.getValue(), states, problems);
            } else {
                problems.add("unexpected key " + key);
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            String prefix = GROUPS + g + ".";
            for (String option : groups.get(g).options().keySet()) {
                if (!stateDict.containsKey(prefix + option)) {
                    problems.add("missing key " + prefix + option);
                }
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> state = states.get(i);
            List<String> names = stateNames.apply(groups.get(groupOf.get(i)));
            if (!state.isEmpty() && !state.keySet().containsAll(names)) {
                List<String> absent = new ArrayList<>(names);
                absent.removeAll(state.keySet());
                problems.add("state of parameter " + i + " is incomplete: missing " + absent);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name + ":\n\t"
                    + String.join("\n\t", problems));
        }
        return new Loaded(states, lrs);
    }

    private void checkGroupEntry(String key, Tensor value, List<Float> lrs, List<String> problems) {
        String rest = key.substring(GROUPS.length());
        int dot = rest.indexOf('.');
        int g = dot < 0 ? -1 : parseIndex(rest.substring(0, dot));
        if (g < 0 || g >= groups.size()) {
            problems.add("unexpected key " + key + " (this optimizer has " + groups.size() + " parameter group"
                    + (groups.size() == 1 ? ")" : "s)"));
            return;
        }
        String option = rest.substring(dot + 1);
        ParamGroup group = groups.get(g);
        if (option.equals("params")) {
            checkGroupParams(key, value, g, problems);
            return;
        }
        if (value.numel() != 1) {
            problems.add(key + " should hold one number, got shape " + Shape.format(value.shape()));
            return;
        }
        float given = value.item();
        if (option.equals("lr")) {
            if (!(given >= 0)) {
                problems.add(key + " is " + given + ", expected lr >= 0");
            } else {
                lrs.set(g, given);
            }
        } else if (!group.options().containsKey(option)) {
            problems.add("unexpected key " + key);
        } else if (Float.compare(group.get(option), given) != 0) {
            problems.add(key + " is " + given + " but this optimizer has " + option + "=" + group.get(option)
                    + (groups.size() > 1 ? " in group " + g : ""));
        }
    }

    /** The group's parameter indices must be the ones this optimizer's group g holds. */
    private void checkGroupParams(String key, Tensor value, int g, List<String> problems) {
        int first = groupOf.indexOf(g);
        int count = groups.get(g).params().size();
        float[] expected = Optimizer.indices(Math.max(first, 0), count).toArray();
        if (value.dim() != 1 || !Arrays.equals(expected, value.toArray())) {
            problems.add(key + " is " + Arrays.toString(value.toArray()) + " but this optimizer's group " + g
                    + " holds parameters " + Arrays.toString(expected));
        }
    }

    private void checkStateEntry(String key, Tensor value, List<Map<String, Tensor>> states, List<String> problems) {
        String rest = key.substring(STATE.length());
        int dot = rest.indexOf('.');
        int index = dot < 0 ? -1 : parseIndex(rest.substring(0, dot));
        if (index < 0 || index >= params.size()) {
            problems.add("unexpected key " + key + " (this optimizer has parameters 0.." + (params.size() - 1) + ")");
            return;
        }
        String stateName = rest.substring(dot + 1);
        List<String> names = stateNames.apply(groups.get(groupOf.get(index)));
        if (!names.contains(stateName)) {
            problems.add("unexpected key " + key + " (" + name + " keeps " + names + ")");
            return;
        }
        int[] expected = stateName.equals("step") ? new int[0] : params.get(index).shape();
        if (!Arrays.equals(expected, value.shape())) {
            problems.add("size mismatch for " + key + ": copying a tensor of shape " + Shape.format(value.shape())
                    + ", the shape in the current optimizer is " + Shape.format(expected));
            return;
        }
        states.get(index).put(stateName, value);
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
