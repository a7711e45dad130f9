package kindling.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.tensor.Tensor;

/**
 * Test resources under {@code /golden}: golden text files of {@code tools/golden/golden_io.py}
 * (two lines per tensor: {@code tensor <name> <sizes...>} and the row-major values) and the paths
 * of binary files. Core's reader lives in core's test sources, which this module cannot see.
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

    /** The tensors of golden text file {@code /golden/<name>}, in file order. */
    public static Map<String, Tensor> read(String name) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        InputStream in = GoldenText.class.getResourceAsStream("/golden/" + name);
        if (in == null) {
            throw new IllegalStateException("no golden file /golden/" + name);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.trim().split(" ");
                int[] shape = new int[words.length - 2];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = Integer.parseInt(words[d + 2]);
                }
                String valuesLine = reader.readLine();
                String[] numbers = valuesLine.isBlank() ? new String[0] : valuesLine.trim().split(" ");
                float[] values = new float[numbers.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.parseFloat(numbers[i]);
                }
                out.put(words[1], Tensor.wrap(values, shape));
            }
        }
        return out;
    }
}
