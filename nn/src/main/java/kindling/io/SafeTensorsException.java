package kindling.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read or written: the message starts with the file's path and
 * says what is wrong, e.g. {@code model.safetensors: tensor '0.weight' has dtype I64; Kindling reads F32, F64, F16 and BF16}.
 */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(Path file, String what) {
        super(file + ": " + what);
    }

    public SafeTensorsException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
