package kindling.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Loading a state dict into a model, in two phases so that a bad checkpoint never leaves a model
 * half-loaded: first every key and shape is checked, then — only if all is well — values are copied.
 */
final class StateDicts {
    private StateDicts() {
    }

    /**
     * Checks {@code state} against {@code model.stateDict()}: keys the model has but the state lacks
     * (missing), keys the state has but the model lacks (unexpected), and keys whose shapes differ.
     * A strict load fails on any of the three; a non-strict one ignores missing and unexpected keys
     * but still fails on a shape mismatch, as PyTorch does. On success each value is copied into the
     * model's tensor with {@code copy_} inside {@link NoGrad}, so the model keeps its own storage.
     */
    static LoadResult load(Module model, Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> targets = model.stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> mismatchLines = new ArrayList<>();
        for (Map.Entry<String, Tensor> target : targets.entrySet()) {
            String key = target.getKey();
            if (!state.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor source = state.get(key);
            int[] expected = target.getValue().shape();
            if (source == null) {
                mismatched.add(key);
                mismatchLines.add("value for " + key + " is null; the model expects shape " + Shape.format(expected));
            } else if (!Shape.same(source.shape(), expected)) {
                mismatched.add(key);
                mismatchLines.add("size mismatch for " + key + ": copying a tensor of shape "
                        + Shape.format(source.shape()) + " from the state dict, but the shape in the model is "
                        + Shape.format(expected));
            }
        }
        for (String key : state.keySet()) {
            if (!targets.containsKey(key)) {
                unexpected.add(key);
            }
        }
        boolean keysFail = strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (keysFail || !mismatched.isEmpty()) {
            throw new StateDictException(message(model, strict, missing, unexpected, mismatchLines),
                    strict ? missing : List.of(), strict ? unexpected : List.of(), mismatched);
        }
        try (NoGrad scope = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> target : targets.entrySet()) {
                Tensor source = state.get(target.getKey());
                if (source != null) {
                    target.getValue().copy_(source);
                }
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /** The entries of {@code state} under {@code prefix + "."}, keyed without it; all of them for "". */
    static Map<String, Tensor> underPrefix(Map<String, Tensor> state, String prefix) {
        if (prefix.isEmpty()) {
            return state;
        }
        String start = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : state.entrySet()) {
            if (entry.getKey().startsWith(start)) {
                out.put(entry.getKey().substring(start.length()), entry.getValue());
            }
        }
        if (out.isEmpty()) {
            throw new StateDictException("Error(s) in loading state dict: no key starts with '" + start + "'",
                    List.of(), List.of(), List.of());
        }
        return out;
    }

    private static String message(Module model, boolean strict, List<String> missing, List<String> unexpected,
            List<String> mismatchLines) {
        StringBuilder text = new StringBuilder("Error(s) in loading state dict for ").append(model.describe())
                .append(": the model is unchanged");
        if (strict && !missing.isEmpty()) {
            text.append("\n\tMissing key(s) in state dict: ").append(quoted(missing)).append('.');
        }
        if (strict && !unexpected.isEmpty()) {
            text.append("\n\tUnexpected key(s) in state dict: ").append(quoted(unexpected)).append('.');
        }
        for (String line : mismatchLines) {
            text.append("\n\t").append(line).append('.');
        }
        return text.toString();
    }

    private static String quoted(List<String> keys) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            text.append(text.length() == 0 ? "" : ", ").append('"').append(key).append('"');
        }
        return text.toString();
    }
}
