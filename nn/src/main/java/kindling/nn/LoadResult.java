package kindling.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} did not match, as PyTorch's
 * {@code _IncompatibleKeys}: keys the model has but the state lacked, and keys the state has but
 * the model lacks. Both are empty after a strict load (a strict load with either throws instead).
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    public LoadResult {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
