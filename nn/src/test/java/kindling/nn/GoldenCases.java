package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import kindling.io.GoldenText;
import kindling.tensor.Tensor;

/**
 * The cases of a golden file written by a {@code tools/golden/gen_<area>.py} script's {@code case()}:
 * for case {@code c}, the input {@code c_x}, the projection weights {@code c_w}, the output
 * {@code c_out} and the gradients {@code c_grad_<name>} of Σ out · w. {@link #check} replays a case
 * through a module and compares all of them.
 */
final class GoldenCases {
    /** gen_norm.py: pooling and normalisation. */
    static final GoldenCases NORM = new GoldenCases("norm.txt", "gen_norm.py");
    /** gen_conv.py: convolutions and residual blocks. */
    static final GoldenCases CONV = new GoldenCases("conv.txt", "gen_conv.py");
    /** gen_conv_transpose.py: transposed convolutions. */
    static final GoldenCases CONV_TRANSPOSE = new GoldenCases("conv_transpose.txt", "gen_conv_transpose.py");
    /** gen_resnet.py: residual blocks (their state dicts are resnet_<case>.safetensors). */
    static final GoldenCases RESNET = new GoldenCases("resnet.txt", "gen_resnet.py");

    /** gen_generative.py: SiLU, GroupNorm, Upsample, the sinusoidal time embedding. */
    static final GoldenCases GENERATIVE = new GoldenCases("generative.txt", "gen_generative.py");

    private final String file;
    private final String script;
    private Map<String, Tensor> golden;

    private GoldenCases(String file, String script) {
        this.file = file;
        this.script = script;
    }

    /** The golden tensor {@code name}, a fresh copy that does not require grad. */
    Tensor get(String name) {
        if (golden == null) {
            try {
                golden = GoldenText.read(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tensor value = golden.get(name);
        assertNotNull(value, "no tensor " + name + " in " + file + "; run /usr/bin/python3 tools/golden/" + script);
        return Tensor.wrap(value.toArray(), value.shape());
    }

    /**
     * Runs {@code layer} on {@code <name>_x}, compares the output, backpropagates Σ out · w and
     * compares the input's gradient and that of every parameter of the layer.
     */
    void check(String name, Module layer) {
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
