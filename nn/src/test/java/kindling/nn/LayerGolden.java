package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import kindling.io.GoldenText;
import kindling.testing.Golden;
import kindling.tensor.Tensor;

/**
 * The cases of {@code tools/golden/gen_layers.py}: for case {@code c}, inputs {@code c_<name>}, the
 * projection weights {@code c_w}, the output {@code c_out} and gradients {@code c_grad_<name>} of
 * Σ out · w. {@link #check} replays a case in Kindling and compares all of them.
 */
final class LayerGolden {
    private static Map<String, Tensor> golden;

    private LayerGolden() {
    }

    /** The golden tensor {@code name}, a fresh copy that does not require grad. */
    static Tensor get(String name) {
        if (golden == null) {
            try {
                golden = GoldenText.read("layers.txt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tensor value = golden.get(name);
        assertNotNull(value, "no tensor " + name + " in layers.txt; run /usr/bin/python3 tools/golden/gen_layers.py");
        return Tensor.wrap(value.toArray(), value.shape());
    }

    /** The golden tensor {@code name} as a leaf that requires grad. */
    static Tensor leaf(String name) {
        return get(name).requiresGrad_();
    }

    /**
     * Runs {@code f} on the case's inputs: those listed in {@code withGrad} as leaves, the others
     * plain; compares the output, then backpropagates Σ out · w and compares each listed gradient.
     */
    static void check(String name, Function<Map<String, Tensor>, Tensor> f, String[] withGrad, String... plain) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String input : withGrad) {
            inputs.put(input, leaf(name + "_" + input));
        }
        for (String input : plain) {
            inputs.put(input, get(name + "_" + input));
        }
        Tensor out = f.apply(inputs);
        assertClose(name + "_out", get(name + "_out"), out);
        out.mul(get(name + "_w")).sum().backward();
        for (String input : withGrad) {
            assertClose(name + "_grad_" + input, get(name + "_grad_" + input), inputs.get(input).grad());
        }
    }

    /** Same shape and within core's tolerance policy ({@link Golden#ATOL}, {@link Golden#RTOL}; NaN/∞ exactly). */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        Golden.assertClose(what, expected, actual);
    }
}
