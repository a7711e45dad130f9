package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.io.GoldenText;
import kindling.nn.functional.AttentionMask;
import kindling.tensor.Tensor;

/**
 * The cases of {@code tools/golden/gen_attention.py} and {@code gen_seq2seq.py} (one name space): for case {@code c}, its parameters
 * {@code c_<path>}, inputs, projection weights {@code c_w} (and {@code c_ww} for the attention weights),
 * outputs {@code c_out} and {@code c_weights}, and the gradients {@code c_grad_<name>}.
 */
final class AttentionGolden {
    private static Map<String, Tensor> golden;

    private AttentionGolden() {
    }

    /** The golden tensor {@code name}, a fresh copy that does not require grad. */
    static Tensor get(String name) {
        if (golden == null) {
            try {
                Map<String, Tensor> both = new java.util.HashMap<>(GoldenText.read("attention.txt"));
                both.putAll(GoldenText.read("seq2seq.txt"));
                golden = both;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tensor value = golden.get(name);
        assertNotNull(value, "no tensor " + name + " in attention.txt or seq2seq.txt; run /usr/bin/python3 tools/golden/generate_all.py");
        return Tensor.wrap(value.toArray(), value.shape());
    }

    static boolean has(String name) {
        get("sdpa_plain_q");
        return golden.containsKey(name);
    }

    /** The golden tensor {@code name} as a leaf that requires grad. */
    static Tensor leaf(String name) {
        return get(name).requiresGrad_();
    }

    /** A PyTorch bool mask stored as 0/1, or null when the case has none. */
    static AttentionMask boolMask(String name) {
        return has(name) ? AttentionMask.notAllowed(get(name)) : null;
    }

    /** A PyTorch float mask, or null when the case has none. */
    static AttentionMask floatMask(String name) {
        return has(name) ? AttentionMask.additive(get(name)) : null;
    }

    /** Copies the case's parameters into {@code module}, by path. */
    static void loadParameters(String name, Module module) {
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> parameter : module.namedParameters().entrySet()) {
                parameter.getValue().copy_(get(name + "_" + parameter.getKey()));
            }
        }
    }

    /**
     * Compares the output (and weights, when the case has them), backpropagates
     * Σ out · w [+ Σ weights · ww] and compares the gradients of the named inputs and every parameter.
     */
    static void check(String name, Module module, Tensor out, Tensor weights, Map<String, Tensor> inputs) {
        LayerGolden.assertClose(name + "_out", get(name + "_out"), out);
        Tensor loss = out.mul(get(name + "_w")).sum();
        if (has(name + "_weights")) {
            LayerGolden.assertClose(name + "_weights", get(name + "_weights"), weights);
            loss = loss.add(weights.mul(get(name + "_ww")).sum());
        }
        loss.backward();
        for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
            String key = name + "_grad_" + input.getKey();
            LayerGolden.assertClose(key, get(key), input.getValue().grad());
        }
        if (module != null) {
            for (Map.Entry<String, Tensor> parameter : module.namedParameters().entrySet()) {
                String key = name + "_grad_" + parameter.getKey();
                LayerGolden.assertClose(key, get(key), parameter.getValue().grad());
            }
        }
    }
}
