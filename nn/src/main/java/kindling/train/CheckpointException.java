package kindling.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be resumed from: its metadata is missing or garbled, or its state does
 * not fit the model, optimizer or scheduler being resumed. The message starts with the file's path
 * and says what is wrong; when it is thrown, nothing of the trainer has changed.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The checkpoint file at fault. */
    public Path file() {
        return file;
    }
}
