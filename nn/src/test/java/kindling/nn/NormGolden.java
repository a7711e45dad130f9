package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import kindling.io.GoldenText;
import kindling.tensor.Tensor;

/**
 * The cases of {@code tools/golden/gen_norm.py}: for case {@code c}, the input {@code c_x}, the
 * projection weights {@code c_w}, the output {@code c_out} and the gradients {@code c_grad_<name>}
 * of Σ out · w. {@link #check} replays a case through a module and compares all of them.
 */
final class NormGolden {
    private static Map<String, Tensor> golden;

    private NormGolden() {
    }

    /** The golden tensor {@code name}, a fresh copy that does not require grad. */
    static Tensor get(String name) {
        if (golden == null) {
            try {
                golden = GoldenText.read("norm.txt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tensor value = golden.get(name);
        assertNotNull(value, "no tensor " + name + " in norm.txt; run /usr/bin/python3 tools/golden/gen_norm.py");
        return Tensor.wrap(value.toArray(), value.shape());
    }

    /**
     * Runs {@code layer} on {@code <name>_x}, compares the output, backpropagates Σ out · w and
     * compares the input's gradient and that of every parameter of the layer.
     */
    static void check(String name, Module layer) {
        layer.zeroGrad();
        Tensor x = get(name + "_x").requiresGrad_();
        Tensor out = layer.forward(x);
        LayerGolden.assertClose(name + "_out", get(name + "_out"), out);
        out.mul(get(name + "_w")).sum().backward();
        LayerGolden.assertClose(name + "_grad_x", get(name + "_grad_x"), x.grad());
        for (Map.Entry<String, Tensor> parameter : layer.namedParameters().entrySet()) {
            String key = name + "_grad_" + parameter.getKey();
            LayerGolden.assertClose(key, get(key), parameter.getValue().grad());
        }
    }
}
