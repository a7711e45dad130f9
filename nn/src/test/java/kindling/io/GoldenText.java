package kindling.io;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.testing.Golden;
import kindling.tensor.Tensor;

/**
 * Test resources under {@code /golden}: the tensors of a golden text file, read by core's
 * {@link Golden} (the one reader and tolerance policy, from core's test jar), and the paths of binary files.
 */
public final class GoldenText {
    private GoldenText() {
    }

    /** The file {@code /golden/<name>} on the test classpath. */
    public static Path path(String name) {
        try {
            return Path.of(GoldenText.class.getResource("/golden/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no golden file /golden/" + name
                    + "; run cd tools/golden && /usr/bin/python3 gen_safetensors.py", e);
        }
    }

    /** The tensors of golden text file {@code /golden/<name>}, in file order, as fresh copies. */
    public static Map<String, Tensor> read(String name) throws IOException {
        Golden golden = Golden.load(name);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String key : golden.tensors().keySet()) {
            out.put(key, golden.get(key));
        }
        return out;
    }
}
