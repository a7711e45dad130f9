package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.TensorDataset;
import kindling.optim.Adam;
import kindling.optim.GradClip;
import kindling.optim.Optimizer;
import kindling.tensor.Tensor;
import kindling.train.Trainer;
import org.junit.jupiter.api.Test;

/** Freezing, replacing a head, loading part of a checkpoint, summaries of frozen models, intermediate outputs. */
class TransferTest {
    /** base: Conv2d BatchNorm ReLU Flatten; head: Linear. Input (N, 1, 4, 4). */
    private static Sequential model() {
        Sequential base = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten());
        Sequential net = new Sequential();
        net.add("base", base);
        net.add("head", new Linear(2 * 2 * 2, 3));
        return net;
    }

    private static Map<String, float[]> snapshot(Module module) {
        Map<String, float[]> out = new LinkedHashMap<>();
        module.stateDict().forEach((key, value) -> out.put(key, value.toArray()));
        return out;
    }

    private static void trainSteps(Sequential net, Optimizer optimizer, int steps) {
        Tensor x = Tensor.randn(6, 1, 4, 4);
        Tensor y = Tensor.of(new float[] {0, 1, 2, 0, 1, 2});
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int step = 0; step < steps; step++) {
            net.train();
            net.submodule("base").eval();                       // the PyTorch idiom: BatchNorm statistics stay fixed
            optimizer.zeroGrad();
            Tensor l = loss.forward(net.forward(x), y);
            l.backward();
            GradClip.clipGradNorm(optimizer.params(), 1f);
            optimizer.step();
        }
    }

    @Test
    void aFrozenBaseInEvalModeStaysBitIdenticalWhileTheHeadTrains() {
        Sequential net = model();
        Module base = net.submodule("base");
        base.requiresGrad_(false);
        Map<String, float[]> baseBefore = snapshot(base);
        float[] headBefore = net.submodule("head").stateDict().get("weight").toArray();
        // Every parameter goes to the optimizer, frozen ones included, as students often do.
        trainSteps(net, Adam.builder(net.parameters()).lr(0.01).build(), 5);
        Map<String, float[]> baseAfter = snapshot(base);
        for (String key : baseBefore.keySet()) {
            assertArrayEquals(baseBefore.get(key), baseAfter.get(key), key + " (running statistics included)");
        }
        assertFalse(java.util.Arrays.equals(headBefore, net.submodule("head").stateDict().get("weight").toArray()));
        assertEquals(8 * 3 + 3, net.numTrainableParameters());
        assertEquals(2 * 9 + 2 + 2 + 2, net.numParameters() - net.numTrainableParameters(), "frozen: conv and BatchNorm");
    }

    @Test
    void trainOnTheParentReachesOverridesOfTrainInChildren() {
        Sequential base = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
        Module frozenBase = new Module() {
            {
                registerModule("inner", base);
            }

            @Override
            public Tensor forward(Tensor input) {
                return base.forward(input);
            }

            @Override
            public Module train(boolean on) {
                super.train(on);
                base.eval();
                return this;
            }
        };
        Sequential net = new Sequential(frozenBase, new Linear(2, 1));
        net.train();
        assertTrue(net.isTraining());
        assertTrue(net.get(1).isTraining());
        assertFalse(base.get(1).isTraining(), "the override keeps the base in eval mode");
    }

    @Test
    void theSummaryCountsFrozenParametersAndLeavesEachModuleInItsMode() {
        Sequential net = model();
        net.submodule("base").requiresGrad_(false);
        net.train();
        net.submodule("base").eval();
        Summary summary = Summary.of(net, 1, 1, 4, 4);
        assertEquals(27, summary.trainableParameters());
        assertEquals(net.numParameters(), summary.totalParameters());
        assertEquals("False", summary.rows().get(0).trainable());
        assertEquals("True", summary.rows().get(summary.rows().size() - 1).trainable());
        assertTrue(summary.toString().contains("Trainable"), summary.toString());
        assertTrue(net.isTraining());
        assertFalse(net.submodule("base.1").isTraining(), "the summary restores the frozen base's eval mode");
        assertTrue(net.submodule("head").isTraining());
    }

    @Test
    void evaluatingLeavesAFrozenBaseInEvalMode() {
        Sequential net = model();
        net.train();
        net.submodule("base").eval();
        Tensor x = Tensor.randn(4, 1, 4, 4);
        Trainer.evaluate(net, new CrossEntropyLoss(),
                DataLoader.builder(new TensorDataset(x, Tensor.zeros(4))).batchSize(4).build());
        assertTrue(net.submodule("head").isTraining());
        assertFalse(net.submodule("base.1").isTraining(), "evaluate restores each module's own mode");
    }

    /** A model class that extends Sequential but has its own forward (a residual connection). */
    static final class Residual extends Sequential {
        Residual() {
            super(new Linear(3, 3), new ReLU());
        }

        @Override
        public Tensor forward(Tensor input) {
            return super.forward(input).add(input);
        }
    }

    @Test
    void aModuleWithItsOwnForwardIsOneSummaryRowEvenWhenItExtendsSequential() {
        Sequential net = new Sequential(new Residual(), new Linear(3, 2));
        Summary summary = Summary.of(net, 4, 3);
        assertEquals(List.of("0", "1"), summary.rows().stream().map(Summary.Row::path).toList());
        assertEquals("Residual", summary.rows().get(0).type());
        assertEquals(12, summary.rows().get(0).parameters());
        assertEquals(4L * 3 * 3, summary.rows().get(0).macs());
        assertFalse(summary.toString().contains("Trainable"), "no column when nothing is frozen");
    }

    @Test
    void replacingTheHeadByName() {
        Sequential net = model();
        Module old = net.replaceModule("head", new Linear(8, 5));
        assertEquals(3, ((Linear) old).outFeatures());
        assertEquals(List.of(1, 5), List.of(net.forward(Tensor.zeros(1, 1, 4, 4)).shape()[0],
                net.forward(Tensor.zeros(1, 1, 4, 4)).shape()[1]));
        assertEquals("head", net.submodule("head").path());
        assertEquals("", old.path(), "the old head is detached");
        assertArrayEquals(new int[] {5, 8}, net.stateDict().get("head.weight").shape());
        net.replaceModule("base.2", new Tanh());
        assertTrue(net.submodule("base.2") instanceof Tanh);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.replaceModule("base.9", new ReLU()));
        assertTrue(e.getMessage().contains("no child '9'"), e.getMessage());
        BasicBlock block = new BasicBlock(2, 2, 1);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> block.replaceModule("conv1", new Identity()));
        assertTrue(u.getMessage().contains("override replaceChild"), u.getMessage());
        assertTrue(block.submodule("conv1") instanceof Conv2d, "a refused replacement changes nothing");
    }

    @Test
    void nonStrictLoadingReportsMissingAndUnexpectedKeys() {
        Sequential pretrained = model();
        Sequential other = new Sequential();
        other.add("base", new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten()));
        other.add("classifier", new Linear(8, 5));
        LoadResult result = other.loadStateDict(pretrained.stateDict(), false);
        assertEquals(List.of("classifier.weight", "classifier.bias"), result.missingKeys());
        assertEquals(List.of("head.weight", "head.bias"), result.unexpectedKeys());
        assertArrayEquals(pretrained.stateDict().get("base.0.weight").toArray(),
                other.stateDict().get("base.0.weight").toArray());
    }

    @Test
    void loadingOneSubModuleFromAPrefixOfAStateDict() {
        Sequential pretrained = model();
        Sequential base = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten());
        LoadResult result = base.loadStateDict(pretrained.stateDict(), "base", true);
        assertTrue(result.missingKeys().isEmpty() && result.unexpectedKeys().isEmpty());
        assertArrayEquals(pretrained.stateDict().get("base.1.running_var").toArray(),
                base.stateDict().get("1.running_var").toArray());
        StateDictException e = assertThrows(StateDictException.class,
                () -> base.loadStateDict(pretrained.stateDict(), "features", true));
        assertTrue(e.getMessage().contains("no key starts with 'features.'"), e.getMessage());
    }

    @Test
    void theFeatureExtractorReturnsIntermediateOutputsOfOnePass() {
        Sequential net = model();
        net.eval();
        Tensor x = Tensor.randn(2, 1, 4, 4).requiresGrad_();
        FeatureExtractor extractor = new FeatureExtractor(net, List.of("base.0", "base.2", "head"));
        Map<String, Tensor> outputs = extractor.forward(x);
        assertEquals(List.of("base.0", "base.2", "head"), List.copyOf(outputs.keySet()));
        Sequential base = (Sequential) net.submodule("base");
        Tensor conv = base.get(0).forward(x);
        assertArrayEquals(conv.toArray(), outputs.get("base.0").toArray());
        assertArrayEquals(base.get(2).forward(base.get(1).forward(conv)).toArray(), outputs.get("base.2").toArray());
        assertArrayEquals(net.forward(x).toArray(), outputs.get("head").toArray());
        outputs.get("base.2").sum().backward();
        assertNotNull(x.grad(), "a loss on an intermediate output reaches the input");
        assertNull(net.submodule("head").stateDict().get("weight").grad());
    }

    @Test
    void theFeatureExtractorRejectsPathsInsideABlockWithItsOwnForward() {
        Sequential net = new Sequential(new BasicBlock(2, 2, 1), new Flatten());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FeatureExtractor(net, List.of("0.conv1")));
        assertTrue(e.getMessage().contains("runs its children in its own forward; ask for '0' instead"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(net, List.of("3")));
        assertTrue(e.getMessage().contains("has no child '3'"), e.getMessage());
    }
}
