package kindling.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Golden values computed by PyTorch ({@code tools/golden/*.py}, run with Debian's python3-torch)
 * and committed under {@code src/test/resources/golden}, so tests never need Python.
 * The format is two lines per tensor: {@code tensor <name> <sizes...>} and the row-major values.
 */
public final class Golden {
    private final String resource;
    private final Map<String, Tensor> tensors;

    private Golden(String resource, Map<String, Tensor> tensors) {
        this.resource = resource;
        this.tensors = tensors;
    }

    /** Reads {@code /golden/<file>} from the test classpath. */
    public static Golden load(String file) {
        String resource = "/golden/" + file;
        InputStream in = Golden.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("no golden file " + resource + "; run /usr/bin/python3 tools/golden/generate_all.py");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header;
            while ((header = reader.readLine()) != null) {
                if (header.isBlank() || header.startsWith("#")) {
                    continue;
                }
                String[] words = header.trim().split(" ");
                if (!words[0].equals("tensor") || words.length < 2) {
                    throw new IllegalStateException(resource + ": expected 'tensor <name> <sizes>' but got: " + header);
                }
                int[] shape = new int[words.length - 2];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = Integer.parseInt(words[d + 2]);
                }
                String line = reader.readLine();
                String[] numbers = line == null || line.isBlank() ? new String[0] : line.trim().split(" ");
                float[] values = new float[numbers.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.parseFloat(numbers[i]);
                }
                tensors.put(words[1], Tensor.of(values, shape.length == 0 && values.length == 1 ? new int[0]
                        : shape).reshape(shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return new Golden(resource, tensors);
    }

    /** The tensor stored under {@code name}. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(resource + " has no tensor '" + name + "'; it has " + tensors.keySet());
        }
        return t;
    }

    /** A fresh leaf copy of {@code name} that requires grad, to use as an input. */
    public Tensor input(String name) {
        return get(name).copy().requiresGrad_();
    }

    /** Asserts {@code actual} matches golden {@code name} in shape and within atol + rtol·|expected|. */
    public void assertClose(String name, Tensor actual, double atol, double rtol) {
        assertClose(resource + ":" + name, get(name), actual, atol, rtol);
    }

    /** Asserts shapes equal and every element within atol + rtol·|expected|, naming the worst element. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (actual == null) {
            fail(what + ": got null, expected " + Shape.format(expected.shape()));
        }
        if (!Shape.same(expected.shape(), actual.shape())) {
            fail(what + ": expected shape " + Shape.format(expected.shape()) + " but got " + Shape.format(actual.shape()));
        }
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            boolean same = a[i] == e[i] || (Float.isNaN(e[i]) && Float.isNaN(a[i]));   // also equal infinities
            double excess = Math.abs((double) a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (!same && (excess > worstExcess || Double.isNaN(excess))) {
                worst = i;
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + a[worst] + " but PyTorch gives " + e[worst]
                    + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }
}
