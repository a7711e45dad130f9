package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.io.GoldenText;
import kindling.io.SafeTensors;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recurrent cells and networks against tools/golden/gen_rnn.py (PyTorch 1.13): outputs, final states,
 * and the gradients of Σ output · w for the input, the initial states and every parameter.
 */
class RNNGoldenTest {
    private static Map<String, Tensor> golden;

    @BeforeAll
    static void load() throws IOException {
        golden = GoldenText.read("rnn.txt");
    }

    private static Tensor get(String name) {
        Tensor value = golden.get(name);
        assertNotNull(value, "no tensor " + name + " in rnn.txt; run /usr/bin/python3 tools/golden/gen_rnn.py");
        return Tensor.wrap(value.toArray(), value.shape());
    }

    private static Tensor getOrNull(String name) {
        return golden.containsKey(name) ? get(name).requiresGrad_() : null;
    }

    /**
     * Copies the case's parameters into {@code module}, runs {@code f} on the case's input x and initial
     * states h0, c0 (null when the case has none), compares each output it returns by name, then
     * backpropagates Σ output · w_output and compares every gradient PyTorch stored.
     */
    private static void check(String name, Module module, Function<Tensor[], Map<String, Tensor>> f) {
        for (Map.Entry<String, Tensor> parameter : module.namedParameters().entrySet()) {
            parameter.getValue().detach().copy_(get(name + "_" + parameter.getKey()));
        }
        module.zeroGrad();
        Tensor[] inputs = {get(name + "_x").requiresGrad_(), getOrNull(name + "_h0"), getOrNull(name + "_c0")};
        Map<String, Tensor> outputs = f.apply(inputs);
        Tensor loss = Tensor.scalar(0);
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
            LayerGolden.assertClose(name + "_" + output.getKey(), get(name + "_" + output.getKey()), output.getValue());
            loss = loss.add(output.getValue().mul(get(name + "_w_" + output.getKey())).sum());
        }
        assertEquals(golden.keySet().stream().filter(k -> k.startsWith(name + "_w_")).count(), outputs.size(),
                name + ": every output PyTorch recorded is compared");
        loss.backward();
        String[] inputNames = {"x", "h0", "c0"};
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                LayerGolden.assertClose(name + "_grad_" + inputNames[i], get(name + "_grad_" + inputNames[i]), inputs[i].grad());
            }
        }
        for (Map.Entry<String, Tensor> parameter : module.namedParameters().entrySet()) {
            String key = name + "_grad_" + parameter.getKey();
            LayerGolden.assertClose(key, get(key), parameter.getValue().grad());
        }
    }

    private static Map<String, Tensor> named(Object... nameValue) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.put((String) nameValue[i], (Tensor) nameValue[i + 1]);
        }
        return out;
    }

    private static void checkCell(String name, RNNCell cell) {
        check(name, cell, in -> named("out", cell.forward(in[0], in[1])));
    }

    private static void checkCell(String name, GRUCell cell) {
        check(name, cell, in -> named("out", cell.forward(in[0], in[1])));
    }

    private static void checkCell(String name, LSTMCell cell) {
        check(name, cell, in -> {
            LSTMCell.State next = cell.forward(in[0], in[1] == null ? null : new LSTMCell.State(in[1], in[2]));
            return named("out", next.h(), "cn", next.c());
        });
    }

    private static void checkSequence(String name, RNNBase network) {
        check(name, network, in -> {
            RNNOutput r = network instanceof LSTM lstm ? lstm.forward(in[0], in[1], in[2])
                    : network instanceof GRU gru ? gru.forward(in[0], in[1]) : ((RNN) network).forward(in[0], in[1]);
            return r.cN() == null ? named("out", r.output(), "hn", r.hN()) : named("out", r.output(), "hn", r.hN(), "cn", r.cN());
        });
    }

    @Test
    void cellsMatchPyTorch() {
        checkCell("rnncell_tanh", new RNNCell(3, 4));
        checkCell("rnncell_relu", new RNNCell(3, 4, true, "relu"));
        checkCell("rnncell_unbatched", new RNNCell(3, 4));
        checkCell("lstmcell", new LSTMCell(3, 4));
        checkCell("lstmcell_zero_state", new LSTMCell(3, 5));
        checkCell("lstmcell_unbatched", new LSTMCell(2, 3));
        checkCell("grucell", new GRUCell(3, 4));
        checkCell("grucell_nobias", new GRUCell(3, 4, false));
        checkCell("grucell_unbatched", new GRUCell(2, 3));
    }

    @Test
    void sequenceModulesMatchPyTorch() {
        checkSequence("rnn_tanh", new RNN(3, 4));
        checkSequence("rnn_relu_2layers", RNN.builder(3, 4).numLayers(2).nonlinearity("relu").build());
        checkSequence("rnn_bidirectional", RNN.builder(3, 4).bidirectional(true).batchFirst(true).build());
        checkSequence("lstm", new LSTM(3, 4));
        checkSequence("lstm_2layers_state", new LSTM(3, 4, 2));
        checkSequence("lstm_batch_first", LSTM.builder(3, 4).batchFirst(true).build());
        checkSequence("lstm_bidirectional_2layers", LSTM.builder(3, 4).numLayers(2).bidirectional(true).build());
        checkSequence("lstm_nobias", LSTM.builder(2, 3).bias(false).build());
        checkSequence("lstm_unbatched", new LSTM(3, 4, 2));
        checkSequence("gru", new GRU(3, 4));
        checkSequence("gru_2layers_bidirectional", GRU.builder(3, 4).numLayers(2).bidirectional(true).batchFirst(true).build());
        checkSequence("gru_unbatched", new GRU(3, 4));
    }

    @Test
    void lstmsWithProjectionsMatchPyTorch() {
        checkSequence("lstm_proj", LSTM.builder(3, 5).projSize(2).build());
        checkSequence("lstm_proj_2layers_bidirectional",
                LSTM.builder(3, 4).numLayers(2).bidirectional(true).projSize(3).batchFirst(true).build());
        checkSequence("lstm_proj_nobias_unbatched", LSTM.builder(2, 4).projSize(1).bias(false).build());
    }

    @Test
    void loadsATwoLayerLstmSavedByPyTorchStrictly() throws IOException {
        Path file = GoldenText.path("torch_lstm.safetensors");
        LSTM lstm = LSTM.builder(5, 4).numLayers(2).batchFirst(true).build();
        Map<String, Tensor> state = SafeTensors.load(file);
        List<String> keys = new ArrayList<>(lstm.stateDict().keySet());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"), keys);
        LoadResult result = lstm.loadStateDict(state, true);
        assertTrue(result.missingKeys().isEmpty() && result.unexpectedKeys().isEmpty(), result.toString());
        RNNOutput r = lstm.forward(get("saved_lstm_x"), null, null);
        LayerGolden.assertClose("saved_lstm_out", get("saved_lstm_out"), r.output());
        LayerGolden.assertClose("saved_lstm_hn", get("saved_lstm_hn"), r.hN());
        LayerGolden.assertClose("saved_lstm_cn", get("saved_lstm_cn"), r.cN());
    }
}
