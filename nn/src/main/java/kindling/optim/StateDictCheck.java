package kindling.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Checks an optimizer state dict against the optimizer before anything is loaded, collecting every
 * problem so that one exception names them all: unknown keys, parameter indices out of range,
 * shapes that differ from the parameter's, a parameter with part of its state, a missing lr, and
 * hyper-parameters that differ from the optimizer's.
 */
final class StateDictCheck {
    private static final String STATE = "state.";
    private static final String GROUP = "param_groups.0.";

    private final String name;
    private final List<Tensor> params;
    private final Map<String, Float> hyperParameters;
    private final Supplier<List<String>> stateNames;

    StateDictCheck(String name, List<Tensor> params, Map<String, Float> hyperParameters,
            Supplier<List<String>> stateNames) {
        this.name = name;
        this.params = params;
        this.hyperParameters = hyperParameters;
        this.stateNames = stateNames;
    }

    /** The state per parameter (empty map: none), or an exception listing every problem. */
    List<Map<String, Tensor>> validate(Map<String, Tensor> stateDict) {
        List<String> problems = new ArrayList<>();
        List<String> names = stateNames.get();
        List<Map<String, Tensor>> loaded = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            loaded.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, Tensor> entry : stateDict.entrySet()) {
            String key = entry.getKey();
            Tensor value = entry.getValue();
            if (key.startsWith(GROUP)) {
                checkGroupEntry(key, key.substring(GROUP.length()), value, problems);
            } else if (key.startsWith(STATE)) {
                checkStateEntry(key, value, names, loaded, problems);
            } else {
                problems.add("unexpected key " + key);
            }
        }
        if (!stateDict.containsKey(GROUP + "lr")) {
            problems.add("missing key " + GROUP + "lr");
        }
        for (String hyper : hyperParameters.keySet()) {
            if (!stateDict.containsKey(GROUP + hyper)) {
                problems.add("missing key " + GROUP + hyper);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> state = loaded.get(i);
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
        return loaded;
    }

    private void checkGroupEntry(String key, String hyper, Tensor value, List<String> problems) {
        if (value.numel() != 1) {
            problems.add(key + " should hold one number, got shape " + Shape.format(value.shape()));
            return;
        }
        float given = value.item();
        if (hyper.equals("lr")) {
            if (!(given >= 0)) {
                problems.add(key + " is " + given + ", expected lr >= 0");
            }
        } else if (!hyperParameters.containsKey(hyper)) {
            problems.add("unexpected key " + key);
        } else if (Float.compare(hyperParameters.get(hyper), given) != 0) {
            problems.add(key + " is " + given + " but this optimizer has " + hyper + "="
                    + hyperParameters.get(hyper));
        }
    }

    private void checkStateEntry(String key, Tensor value, List<String> names, List<Map<String, Tensor>> loaded,
            List<String> problems) {
        String rest = key.substring(STATE.length());
        int dot = rest.indexOf('.');
        int index = dot < 0 ? -1 : parseIndex(rest.substring(0, dot));
        if (index < 0 || index >= params.size()) {
            problems.add("unexpected key " + key + " (this optimizer has parameters 0.." + (params.size() - 1) + ")");
            return;
        }
        String stateName = rest.substring(dot + 1);
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
        loaded.get(index).put(stateName, value);
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
