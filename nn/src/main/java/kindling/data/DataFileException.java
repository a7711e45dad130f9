package kindling.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that is missing, truncated or not what it claims to be; the message starts with its path. */
public final class DataFileException extends IOException {
    private final transient Path file;

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
