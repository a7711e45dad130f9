package kindling.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Golden values computed by PyTorch ({@code tools/golden/*.py}, run with Debian's python3-torch)
 * and committed under {@code src/test/resources/golden}, so tests never need Python. The one reader
 * and the one comparison for every module's tests: {@code kindling-nn} uses it through core's test jar.
 *
 * <p>The format ({@code tools/golden/golden_io.py}) is two lines per tensor, {@code tensor <name>
 * <sizes...>} and the row-major values; lines starting with {@code #} are comments. An optional
 * comment {@code #expr <case> <expression>} stores the PyTorch expression of a case, and a failing
 * comparison of any tensor of that case ({@code <case>_out}, {@code <case>_grad...}) prints it.
 *
 * <p>The tolerance policy: float32 results agree with PyTorch's to {@link #ATOL} + {@link #RTOL}·|expected|
 * element by element, NaN and infinities exactly. A test that needs looser bounds (a long chain of
 * float32 sums, a transcendental function's last bits) passes them explicitly and says why.
 */
public final class Golden {
    /** Absolute tolerance of the default comparison. */
    public static final double ATOL = 1e-5;
    /** Relative tolerance of the default comparison. */
    public static final double RTOL = 1e-4;

    private final String resource;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> expressions;

    private Golden(String resource, Map<String, Tensor> tensors, Map<String, String> expressions) {
        this.resource = resource;
        this.tensors = tensors;
        this.expressions = expressions;
    }

    /** Reads {@code /golden/<file>} from the test classpath. */
    public static Golden load(String file) {
        String resource = "/golden/" + file;
        InputStream in = Golden.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("no golden file " + resource + "; run /usr/bin/python3 tools/golden/generate_all.py");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> expressions = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header;
            while ((header = reader.readLine()) != null) {
                if (header.startsWith("#expr ")) {
                    String[] parts = header.substring(6).trim().split(" ", 2);
                    expressions.put(parts[0], parts.length > 1 ? parts[1] : "");
                    continue;
                }
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
                tensors.put(words[1], Tensor.wrap(values, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return new Golden(resource, tensors, expressions);
    }

    /** Every tensor of the file, in file order (read-only; {@link #get} gives fresh copies). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Whether the file has a tensor {@code name}. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** A fresh copy of the tensor stored under {@code name}, not requiring grad. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(resource + " has no tensor '" + name + "'; it has " + tensors.keySet());
        }
        return Tensor.wrap(t.toArray(), t.shape());
    }

    /** A fresh leaf copy of {@code name} that requires grad, to use as an input. */
    public Tensor input(String name) {
        return get(name).requiresGrad_();
    }

    /**
     * The PyTorch expression of the case tensor {@code name} belongs to: the {@code #expr} of the
     * longest case name that is {@code name} itself or a prefix of it followed by '_'; null if none.
     */
    public String expression(String name) {
        String best = null;
        for (String caseName : expressions.keySet()) {
            boolean matches = name.equals(caseName) || name.startsWith(caseName + "_");
            if (matches && (best == null || caseName.length() > best.length())) {
                best = caseName;
            }
        }
        return best == null ? null : expressions.get(best);
    }

    /** Asserts {@code actual} matches golden {@code name} within the default tolerance ({@link #ATOL}, {@link #RTOL}). */
    public void assertClose(String name, Tensor actual) {
        assertClose(name, actual, ATOL, RTOL);
    }

    /** Asserts {@code actual} matches golden {@code name} in shape and within atol + rtol·|expected|. */
    public void assertClose(String name, Tensor actual, double atol, double rtol) {
        String expression = expression(name);
        String what = resource + ":" + name + (expression == null ? "" : " (PyTorch: " + expression + ")");
        assertClose(what, tensors.get(name) == null ? get(name) : tensors.get(name), actual, atol, rtol);
    }

    /** {@link #assertClose(String, Tensor, Tensor, double, double)} with the default tolerance. */
    public static void assertClose(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, ATOL, RTOL);
    }

    /** Asserts shapes equal and every element within atol + rtol·|expected|, naming the worst element. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (actual == null) {
            fail(what + ": got null (no gradient reached it?), expected " + Shape.format(expected.shape()));
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
