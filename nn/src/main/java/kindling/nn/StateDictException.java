package kindling.nn;

import java.nio.file.Path;
import java.util.List;

/**
 * A state dict that does not fit a model. The message lists every problem at once, as PyTorch's
 * {@code Error(s) in loading state_dict for Sequential: ...}, and the model is left unchanged.
 */
public class StateDictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<String> mismatchedKeys;

    public StateDictException(String message, List<String> missingKeys, List<String> unexpectedKeys,
            List<String> mismatchedKeys) {
        super(message);
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
        this.mismatchedKeys = List.copyOf(mismatchedKeys);
    }

    /**
     * The same problems with the file they were read from in front, {@code path: Error(s) in ...},
     * as the other errors about a file begin; this exception is the cause.
     */
    StateDictException inFile(Path file) {
        StateDictException named = new StateDictException(file + ": " + getMessage(), missingKeys, unexpectedKeys,
                mismatchedKeys);
        named.initCause(this);
        return named;
    }

    /** Keys of the model absent from the state (reported only by a strict load). */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Keys of the state the model does not have (reported only by a strict load). */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** Keys present in both whose shapes differ, or whose value is null. */
    public List<String> mismatchedKeys() {
        return mismatchedKeys;
    }
}
