package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Recurrent layers: gradient checks, shapes, names, printing, errors, dropout, long sequences, MACs. */
class RNNTest {
    private static Tensor[] withParameters(Module module, Tensor... inputs) {
        List<Tensor> all = new ArrayList<>(List.of(inputs));
        all.addAll(module.parameters());
        return all.toArray(new Tensor[0]);
    }

    private static void assertGradCheck(String what, java.util.function.Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(f, 1e-2, 1e-2, 1e-2, inputs);
        assertTrue(r.passed(), what + ": " + r);
    }

    @Test
    void cellsPassTheFiniteDifferenceCheck() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 2, 3).requiresGrad_();
        Tensor h = Tensor.randn(g, 2, 2).requiresGrad_();
        Tensor c = Tensor.randn(g, 2, 2).requiresGrad_();
        RNNCell relu = new RNNCell(3, 2, true, "relu");
        assertGradCheck("RNNCell relu", in -> relu.forward(in[0], in[1]), withParameters(relu, x, h));
        LSTMCell lstm = new LSTMCell(3, 2);
        assertGradCheck("LSTMCell", in -> {
            LSTMCell.State s = lstm.forward(in[0], new LSTMCell.State(in[1], in[2]));
            return Tensor.cat(1, s.h(), s.c());
        }, withParameters(lstm, x, h, c));
        GRUCell gru = new GRUCell(3, 2);
        assertGradCheck("GRUCell", in -> gru.forward(in[0], in[1]), withParameters(gru, x, h));
    }

    @Test
    void sequenceModulesPassTheFiniteDifferenceCheck() {
        Generator g = new Generator(6);
        LSTM lstm = LSTM.builder(2, 2).numLayers(2).bidirectional(true).build();
        Tensor x = Tensor.randn(g, 3, 2, 2).requiresGrad_();
        Tensor h0 = Tensor.randn(g, 4, 2, 2).requiresGrad_();
        Tensor c0 = Tensor.randn(g, 4, 2, 2).requiresGrad_();
        assertGradCheck("LSTM", in -> {
            RNNOutput r = lstm.forward(in[0], in[1], in[2]);
            return Tensor.cat(0, r.output().flatten(), r.hN().flatten(), r.cN().flatten());
        }, withParameters(lstm, x, h0, c0));
        GRU gru = GRU.builder(2, 2).numLayers(2).batchFirst(true).build();
        Tensor xb = Tensor.randn(g, 2, 3, 2).requiresGrad_();
        assertGradCheck("GRU", in -> {
            RNNOutput r = gru.forward(in[0], in[1]);
            return Tensor.cat(0, r.output().flatten(), r.hN().flatten());
        }, withParameters(gru, xb, Tensor.randn(g, 2, 2, 2).requiresGrad_()));
        RNN rnn = RNN.builder(2, 3).bidirectional(true).build();
        assertGradCheck("RNN", in -> rnn.forward(in[0]), withParameters(rnn, Tensor.randn(g, 4, 2).requiresGrad_()));
        LSTM lstmp = LSTM.builder(2, 3).numLayers(2).projSize(2).build();
        assertGradCheck("LSTM with projections", in -> {
            RNNOutput r = lstmp.forward(in[0], in[1], in[2]);
            return Tensor.cat(0, r.output().flatten(), r.hN().flatten(), r.cN().flatten());
        }, withParameters(lstmp, Tensor.randn(g, 3, 2, 2).requiresGrad_(), Tensor.randn(g, 2, 2, 2).requiresGrad_(),
                Tensor.randn(g, 2, 2, 3).requiresGrad_()));
    }

    @Test
    void projectionsAddWeightHrAndShrinkHAndTheOutput() {
        LSTM lstm = LSTM.builder(5, 4).projSize(2).numLayers(2).bidirectional(true).build();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_hr_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse", "weight_hr_l1_reverse"),
                List.copyOf(lstm.namedParameters().keySet()));
        assertArrayEquals(new int[] {16, 5}, lstm.namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 2}, lstm.namedParameters().get("weight_hh_l0").shape());
        assertArrayEquals(new int[] {2, 4}, lstm.namedParameters().get("weight_hr_l0").shape());
        assertArrayEquals(new int[] {16, 4}, lstm.namedParameters().get("weight_ih_l1_reverse").shape());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "weight_hr_l0"),
                List.copyOf(LSTM.builder(5, 4).projSize(2).bias(false).build().namedParameters().keySet()));
        assertEquals(2, lstm.projSize());
        assertEquals(2, lstm.outputSize());
        assertEquals(4, new LSTM(5, 4).outputSize());
        RNNOutput r = lstm.forward(Tensor.zeros(7, 3, 5), null, null);
        assertArrayEquals(new int[] {7, 3, 4}, r.output().shape());
        assertArrayEquals(new int[] {4, 3, 2}, r.hN().shape());
        assertArrayEquals(new int[] {4, 3, 4}, r.cN().shape());
        assertEquals("LSTM(5, 4, proj_size=2, num_layers=2, bidirectional=True)", lstm.toString());
        assertEquals("LSTM(5, 4, proj_size=2): expected h0 (1, 3, 2) (numLayers·numDirections, N, projSize) but got (1, 3, 4)",
                assertThrows(ShapeException.class, () -> LSTM.builder(5, 4).projSize(2).build()
                        .forward(Tensor.zeros(6, 3, 5), Tensor.zeros(1, 3, 4), null)).getMessage());
        assertEquals("LSTM(5, 4, proj_size=2): expected c0 (1, 3, 4) (numLayers·numDirections, N, hiddenSize) but got (1, 3, 2)",
                assertThrows(ShapeException.class, () -> LSTM.builder(5, 4).projSize(2).build()
                        .forward(Tensor.zeros(6, 3, 5), null, Tensor.zeros(1, 3, 2))).getMessage());
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndInitBounds() {
        LSTM lstm = LSTM.builder(5, 4).numLayers(2).bidirectional(true).build();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.namedParameters().keySet()));
        assertArrayEquals(new int[] {16, 5}, lstm.namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 8}, lstm.namedParameters().get("weight_ih_l1_reverse").shape());
        assertArrayEquals(new int[] {16, 4}, lstm.namedParameters().get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {16}, lstm.namedParameters().get("bias_hh_l0_reverse").shape());
        assertEquals(2 * (16 * 5 + 16 * 4 + 32) + 2 * (16 * 8 + 16 * 4 + 32), lstm.numParameters());
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                List.copyOf(new GRUCell(3, 4).namedParameters().keySet()));
        assertArrayEquals(new int[] {12, 3}, new GRUCell(3, 4).weightIh.shape());
        assertNull(new LSTMCell(3, 4, false).biasIh);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(GRU.builder(3, 4).bias(false).build()
                .namedParameters().keySet()));
        GRU big = new GRU(10, 100);
        double bound = 1 / Math.sqrt(100);
        for (Tensor p : big.parameters()) {
            assertTrue(p.abs().max().item() <= bound);
            assertTrue(p.abs().max().item() > bound * 0.9, "drawn from the whole interval");
        }
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("LSTM(5, 4, num_layers=2, batch_first=True)", LSTM.builder(5, 4).numLayers(2).batchFirst(true).build().toString());
        assertEquals("LSTM(5, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)",
                LSTM.builder(5, 4).numLayers(2).bias(false).batchFirst(true).dropout(0.5).bidirectional(true).build().toString());
        assertEquals("RNN(3, 4)", RNN.builder(3, 4).nonlinearity("relu").build().toString());
        assertEquals("GRU(3, 4)", new GRU(3, 4).toString());
        assertEquals("RNNCell(3, 4, nonlinearity=relu)", new RNNCell(3, 4, true, "relu").toString());
        assertEquals("LSTMCell(3, 4, bias=False)", new LSTMCell(3, 4, false).toString());
        assertEquals("GRUCell(3, 4)", new GRUCell(3, 4).toString());
    }

    @Test
    void outputShapesFollowPyTorch() {
        GRU gru = GRU.builder(3, 4).numLayers(3).bidirectional(true).batchFirst(true).build();
        RNNOutput r = gru.forward(Tensor.zeros(2, 7, 3), null);
        assertArrayEquals(new int[] {2, 7, 8}, r.output().shape());
        assertArrayEquals(new int[] {6, 2, 4}, r.hN().shape());
        assertNull(r.cN());
        RNNOutput unbatched = new LSTM(3, 4, 2).forward(Tensor.zeros(5, 3), null, null);
        assertArrayEquals(new int[] {5, 4}, unbatched.output().shape());
        assertArrayEquals(new int[] {2, 4}, unbatched.cN().shape());
        assertArrayEquals(new int[] {4}, new LSTMCell(3, 4).forward(Tensor.zeros(3)).shape());
        // The last time step of the forward direction's output is h_n: the same numbers.
        LSTM lstm = new LSTM(3, 4);
        RNNOutput s = lstm.forward(Tensor.randn(new Generator(1), 6, 2, 3), null, null);
        assertArrayEquals(s.hN().select(0, 0).toArray(), s.output().select(0, 5).toArray());
    }

    @Test
    void shapeErrorsNameTheModuleItsPathAndTheShapes() {
        LSTM lstm = LSTM.builder(5, 4).batchFirst(true).build();
        assertEquals("LSTM(5, 4, batch_first=True): expected input (N, L, 5) with batchFirst=true but got (3, 6, 7)",
                assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(3, 6, 7))).getMessage());
        Sequential model = new Sequential(new GRU(5, 4));
        assertEquals("GRU(5, 4) at 0: expected input (L, N, 5) with batchFirst=false but got (3, 6, 7)",
                assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(3, 6, 7))).getMessage());
        assertEquals("LSTM(5, 4, batch_first=True): expected h0 (1, 3, 4) (numLayers·numDirections, N, hiddenSize) "
                + "but got (1, 2, 4)", assertThrows(ShapeException.class,
                () -> lstm.forward(Tensor.zeros(3, 6, 5), Tensor.zeros(1, 2, 4), null)).getMessage());
        assertEquals("LSTM(5, 4, batch_first=True): expected unbatched input (L, 5) but got (6, 7)",
                assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(6, 7))).getMessage());
        assertEquals("GRUCell(3, 4): expected input (N, 3) or (3) but got (2, 5)",
                assertThrows(ShapeException.class, () -> new GRUCell(3, 4).forward(Tensor.zeros(2, 5))).getMessage());
        assertEquals("LSTMCell(3, 4): expected c (2, 4) but got (2, 3)",
                assertThrows(ShapeException.class, () -> new LSTMCell(3, 4).forward(Tensor.zeros(2, 3),
                        new LSTMCell.State(null, Tensor.zeros(2, 3)))).getMessage());
    }

    @Test
    void constructorArgumentsAreChecked() {
        assertEquals("LSTM: numLayers must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new LSTM(3, 4, 0)).getMessage());
        assertEquals("GRU: dropout must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> GRU.builder(3, 4).dropout(1.5).build()).getMessage());
        assertEquals("RNN: inputSize and hiddenSize must be at least 1, got inputSize=3, hiddenSize=0",
                assertThrows(IllegalArgumentException.class, () -> new RNN(3, 0)).getMessage());
        assertEquals("RNNCell: unknown nonlinearity 'sigmoid'; expected \"tanh\" or \"relu\"",
                assertThrows(IllegalArgumentException.class, () -> new RNNCell(3, 4, true, "sigmoid")).getMessage());
        assertThrows(IllegalStateException.class, () -> LSTM.builder(3, 4).nonlinearity("relu"));
        assertEquals("LSTM: projSize must be smaller than hiddenSize, got projSize=4, hiddenSize=4",
                assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).projSize(4).build()).getMessage());
        assertEquals("LSTM: projSize must be positive, or 0 for no projections, got -1",
                assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).projSize(-1).build()).getMessage());
        assertEquals("GRU: projSize is an option of LSTM only",
                assertThrows(IllegalStateException.class, () -> GRU.builder(3, 4).projSize(2)).getMessage());
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        LSTM lstm = LSTM.builder(3, 4).numLayers(2).dropout(0.5).build();
        Tensor x = Tensor.randn(new Generator(2), 5, 2, 3);
        Generator.manualSeed(7);
        float[] first = lstm.forward(x).toArray();
        Generator.manualSeed(7);
        assertArrayEquals(first, lstm.forward(x).toArray(), "seeded by the global generator");
        assertFalse(java.util.Arrays.equals(first, lstm.forward(x).toArray()), "a fresh mask on each call");
        lstm.eval();
        LSTM plain = new LSTM(3, 4, 2);
        plain.loadStateDict(lstm.stateDict());
        assertArrayEquals(plain.forward(x).toArray(), lstm.forward(x).toArray(), "no dropout in eval mode");
    }

    @Test
    void dropoutTakesAGeneratorOfItsOwnAndLeavesTheGlobalOneAlone() {
        Tensor x = Tensor.randn(new Generator(2), 5, 2, 3);
        LSTM first = LSTM.builder(3, 4).numLayers(2).dropout(0.5).generator(new Generator(11)).build();
        LSTM second = LSTM.builder(3, 4).numLayers(2).dropout(0.5).generator(new Generator(11)).build();
        second.loadStateDict(first.stateDict());
        Generator.manualSeed(3);
        float[] a = first.forward(x).toArray();
        long globalNext = Generator.global().nextLong();
        Generator.manualSeed(99);
        float[] b = second.forward(x).toArray();
        assertArrayEquals(a, b, "same generator seed, same masks, whatever the global seed");
        assertEquals(new Generator(3).nextLong(), globalNext, "the global generator was not drawn from");
        GRU other = GRU.builder(3, 4).numLayers(2).dropout(0.5).generator(new Generator(12)).build();
        GRU same = GRU.builder(3, 4).numLayers(2).dropout(0.5).generator(new Generator(12)).build();
        same.loadStateDict(other.stateDict());
        assertArrayEquals(other.forward(x).toArray(), same.forward(x).toArray());
    }

    @Test
    void anEmptySequenceIsRefusedSayingLMustBeAtLeastOne() {
        LSTM lstm = new LSTM(5, 4);
        assertEquals("LSTM(5, 4): the sequence is empty: expected input (L, N, 5) with "
                + "batchFirst=false with L >= 1 but got (0, 2, 5), L = 0",
                assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(0, 2, 5))).getMessage());
        LSTM batchFirst = LSTM.builder(5, 4).batchFirst(true).build();
        assertTrue(assertThrows(ShapeException.class, () -> batchFirst.forward(Tensor.zeros(2, 0, 5)))
                .getMessage().contains("L >= 1"));
        assertTrue(assertThrows(ShapeException.class, () -> new GRU(5, 4).forward(Tensor.zeros(0, 5)))
                .getMessage().contains("unbatched input (L, 5) with L >= 1 but got (0, 5)"));
    }

    @Test
    void backpropagatesThroughFiveHundredStepsWithoutOverflowingTheStack() {
        LSTM lstm = new LSTM(2, 3);
        Tensor x = Tensor.randn(new Generator(3), 500, 1, 2).requiresGrad_();
        RNNOutput r = lstm.forward(x, null, null);
        r.hN().sum().backward();
        float[] grad = x.grad().toArray();
        for (float v : grad) {
            assertTrue(Float.isFinite(v));
        }
        assertTrue(Math.abs(grad[grad.length - 1]) > 0, "the last step reaches h_n");
        assertTrue(lstm.namedParameters().get("weight_hh_l0").grad().abs().sum().item() > 0);
    }

    @Test
    void summaryCountsTheMatrixProductsOfEveryStep() {
        // L·N·(H_in·4H + H·4H) per layer: 6·2·(3·16 + 4·16) = 1,344; the second layer reads H = 4.
        Sequential model = new Sequential(LSTM.builder(3, 4).numLayers(2).build(), new Linear(4, 2));
        Summary summary = Summary.of(model, 6, 2, 3);
        assertEquals(6 * 2 * (3 * 16 + 4 * 16) + 6 * 2 * (4 * 16 + 4 * 16), summary.rows().get(0).macs());
        assertArrayEquals(new int[] {6, 2, 4}, summary.rows().get(0).outputShape());
        assertEquals(6 * 2 * 4 * 2, summary.rows().get(1).macs());
    }
}
