package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.nn.TestLayers.BatchNorm1d;
import kindling.nn.TestLayers.Linear;
import kindling.nn.TestLayers.Net;
import kindling.nn.TestLayers.ReLU;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The expected names, orders and printed trees are PyTorch 1.13's for the same model:
 * <pre>
 *   class Net(nn.Module):
 *       def __init__(self):
 *           super().__init__()
 *           self.features = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
 *           self.norm = nn.BatchNorm1d(2)
 *           self.head = nn.ModuleList([nn.Identity(), nn.Linear(2, 2, bias=False)])
 * </pre>
 */
class ModuleTest {

    /** A module whose registration methods a test can call from outside. */
    static class Bag extends Module {
        Tensor parameter(String name, Tensor t) {
            return registerParameter(name, t);
        }

        Tensor buffer(String name, Tensor t) {
            return registerBuffer(name, t);
        }

        <M extends Module> M module(String name, M m) {
            return registerModule(name, m);
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    @Test
    void namesAndOrderMatchPyTorch() {
        Net net = new Net();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked",
                "head.1.weight"), new ArrayList<>(net.stateDict().keySet()));
        assertEquals(List.of("", "features", "features.0", "features.1", "features.2", "norm", "head", "head.0",
                "head.1"), new ArrayList<>(net.namedModules().keySet()));
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                "norm.weight", "norm.bias", "head.1.weight"), new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(List.of("norm.running_mean", "norm.running_var", "norm.num_batches_tracked"),
                new ArrayList<>(net.namedBuffers().keySet()));
        assertSame(net, net.namedModules().get(""));
        assertSame(net.features.get(0), net.namedModules().get("features.0"));
        assertEquals(31, net.numParameters());
        assertEquals(7, net.parameters().size());
        assertSame(net.namedParameters().get("features.2.bias"), net.parameters().get(3));
    }

    @Test
    void ownParametersComeBeforeChildren() {
        Bag bag = new Bag();
        bag.module("child", new Linear(2, 2));
        bag.parameter("scale", Tensor.ones(1));
        bag.buffer("count", Tensor.zeros(1));
        assertEquals(List.of("scale", "count", "child.weight", "child.bias"), new ArrayList<>(bag.stateDict().keySet()));
        assertEquals(List.of("scale", "child.weight", "child.bias"), new ArrayList<>(bag.namedParameters().keySet()));
    }

    @Test
    void toStringMatchesPyTorchPrint() {
        String expected = "Net(\n"
                + "  (features): Sequential(\n"
                + "    (0): Linear(in_features=4, out_features=3, bias=True)\n"
                + "    (1): ReLU()\n"
                + "    (2): Linear(in_features=3, out_features=2, bias=True)\n"
                + "  )\n"
                + "  (norm): BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
                + "  (head): ModuleList(\n"
                + "    (0): Identity()\n"
                + "    (1): Linear(in_features=2, out_features=2, bias=False)\n"
                + "  )\n"
                + ")";
        assertEquals(expected, new Net().toString());
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void multiLineExtraReprIsIndentedLikePyTorch() {
        // PyTorch: extra lines go on their own lines before the children, each indented by two spaces.
        Module twoLines = new Bag() {
            @Override
            public String extraRepr() {
                return "a=1\nb=2";
            }
        };
        assertEquals("Bag(\n  a=1\n  b=2\n)", twoLines.toString());
        Sequential outer = new Sequential(new Sequential(twoLines));
        assertEquals("Sequential(\n  (0): Sequential(\n    (0): Bag(\n      a=1\n      b=2\n    )\n  )\n)",
                outer.toString());
    }

    @Test
    void pathIsKnownAfterRegistrationEvenWhenBuiltBottomUp() {
        Net net = new Net();
        Module first = net.features.get(0);
        assertEquals("features.0", first.path());
        assertEquals("head.1", net.head.get(1).path());
        assertEquals("", net.path());
        assertEquals("Linear(in_features=4, out_features=3, bias=True) at features.0", first.describe());
        assertEquals("Net()", net.describe());
    }

    @Test
    void badNamesAreRejectedNamingTheModulePath() {
        Bag root = new Bag();
        Bag inner = root.module("block", new Bag());
        inner.parameter("weight", Tensor.ones(2));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> inner.buffer("weight", Tensor.ones(2)));
        assertEquals("Bag() at block: registerBuffer: name 'weight' is already used by a parameter",
                duplicate.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class,
                () -> inner.module("a.b", new Identity()));
        assertTrue(dotted.getMessage().contains("at block") && dotted.getMessage().contains("'a.b'"),
                dotted.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> inner.parameter("", Tensor.ones(1)));
        assertTrue(empty.getMessage().contains("non-empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> inner.parameter(null, Tensor.ones(1)));
        IllegalArgumentException child = assertThrows(IllegalArgumentException.class,
                () -> root.parameter("block", Tensor.ones(1)));
        assertTrue(child.getMessage().contains("already used by a child module"), child.getMessage());
    }

    @Test
    void registeringAnAncestorIsACycle() {
        Bag root = new Bag();
        Bag inner = root.module("inner", new Bag());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inner.module("up", root));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> root.module("self", root));
        assertThrows(IllegalArgumentException.class, () -> root.module("none", null));
    }

    @Test
    void parametersRequireGradAndMustBeLeaves() {
        Bag bag = new Bag();
        Tensor weight = Tensor.ones(2);
        assertSame(weight, bag.parameter("weight", weight));
        assertTrue(weight.requiresGrad());
        Tensor computed = weight.mul(weight);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bag.parameter("computed", computed));
        assertTrue(e.getMessage().contains("MulOp") && e.getMessage().contains("leaf"), e.getMessage());
        Tensor buffer = bag.buffer("stats", Tensor.zeros(2));
        assertFalse(buffer.requiresGrad());
    }

    @Test
    void nullParameterIsRegisteredButSkipped() {
        Linear noBias = new Linear(3, 2, false);
        assertEquals(List.of("weight"), new ArrayList<>(noBias.stateDict().keySet()));
        assertEquals(6, noBias.numParameters());
        Bag bag = new Bag();
        bag.parameter("bias", null);
        assertThrows(IllegalArgumentException.class, () -> bag.parameter("bias", Tensor.ones(1)));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Net net = new Net();
        for (Module m : net.namedModules().values()) {
            assertTrue(m.isTraining());
        }
        assertSame(net, net.eval());
        for (Map.Entry<String, Module> m : net.namedModules().entrySet()) {
            assertFalse(m.getValue().isTraining(), m.getKey());
        }
        net.features.train();
        assertTrue(net.features.get(2).isTraining());
        assertFalse(net.isTraining());
        assertFalse(net.head.get(0).isTraining());
        net.train();
        assertTrue(net.head.get(1).isTraining());
    }

    @Test
    void zeroGradSetsGradientsToNull() {
        Sequential model = new Sequential(new Linear(1, 2), new Linear(1, 2));
        model.forward(Tensor.of(new float[] {1f, 2f})).sum().backward();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), p.getKey());
        }
        model.zeroGrad();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            assertNull(p.getValue().grad(), p.getKey());
        }
    }

    @Test
    void freezeStopsGradientsAndUnfreezeRestoresThem() {
        Sequential model = new Sequential(new Linear(1, 2), new Linear(1, 2));
        model.get(0).freeze();
        model.forward(Tensor.of(new float[] {1f, 2f})).sum().backward();
        Map<String, Tensor> parameters = model.namedParameters();
        assertFalse(parameters.get("0.weight").requiresGrad());
        assertNull(parameters.get("0.weight").grad());
        assertNull(parameters.get("0.bias").grad());
        assertNotNull(parameters.get("1.weight").grad());
        assertEquals(8, model.numParameters());
        model.unfreeze();
        for (Tensor p : model.parameters()) {
            assertTrue(p.requiresGrad());
        }
    }

    @Test
    void applyVisitsChildrenBeforeParents() {
        Net net = new Net();
        List<String> visited = new ArrayList<>();
        assertSame(net, net.apply(m -> visited.add(m.path())));
        assertEquals(List.of("features.0", "features.1", "features.2", "features", "norm", "head.0", "head.1",
                "head", ""), visited);
    }

    @Test
    void sharedModuleAppearsOnceInNamedModulesButInEveryStateDictPath() {
        Linear shared = new Linear(2, 2);
        Sequential model = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("", "0", "1"), new ArrayList<>(model.namedModules().keySet()));
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(model.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(model.stateDict().keySet()));
        assertEquals("0", shared.path());
    }

    @Test
    void sequentialChainsForwardAndNamesChildren() {
        Sequential model = new Sequential(new Identity(), new ReLU(), new Identity());
        Tensor out = model.forward(Tensor.of(new float[] {-1f, 2f}));
        assertEquals(List.of(0f, 2f), List.of(out.get(0), out.get(1)));
        assertEquals(3, model.size());
        assertSame(model.get(2), model.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> model.get(3));
        model.add(new Identity()).add("head", new Identity());
        assertEquals(List.of("", "0", "1", "2", "3", "head"), new ArrayList<>(model.namedModules().keySet()));

        Map<String, Module> named = new LinkedHashMap<>();
        named.put("conv", new Identity());
        named.put("act", new ReLU());
        Sequential fromMap = new Sequential(named);
        assertEquals("Sequential(\n  (conv): Identity()\n  (act): ReLU()\n)", fromMap.toString());
        Tensor x = Tensor.ones(3);
        assertSame(x, new Sequential().forward(x));
    }

    @Test
    void moduleListHoldsButDoesNotRun() {
        ModuleList list = new ModuleList(new Identity()).add(new Linear(2, 2));
        assertEquals(2, list.size());
        List<Module> seen = new ArrayList<>();
        for (Module m : list) {
            seen.add(m);
        }
        assertEquals(List.of(list.get(0), list.get(-1)), seen);
        assertEquals(List.of("1.weight", "1.bias"), new ArrayList<>(list.stateDict().keySet()));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> list.forward(Tensor.ones(2)));
        assertTrue(e.getMessage().startsWith("ModuleList() has no forward"), e.getMessage());
        Net net = new Net();
        UnsupportedOperationException nested = assertThrows(UnsupportedOperationException.class,
                () -> net.head.forward(Tensor.ones(2)));
        assertTrue(nested.getMessage().startsWith("ModuleList() at head has no forward"), nested.getMessage());
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.randn(2, 3);
        assertSame(x, new Identity().forward(x));
        assertEquals(0, new Identity().numParameters());
    }

    @Test
    void batchNormStandInHasPyTorchKeys() {
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(new BatchNorm1d(3).stateDict().keySet()));
    }

    @Test
    void namedGeneratorsListsEachModulesOwnGeneratorByPathOnceAndNeverTheGlobalOne() {
        Generator shared = new Generator(1);
        Generator rnn = new Generator(2);
        Sequential net = new Sequential(new Dropout(0.5, shared), new Dropout(0.5),
                LSTM.builder(3, 4).numLayers(2).dropout(0.5).generator(rnn).build(), new Dropout(0.5, shared),
                new Dropout(0.5, Generator.global()));
        Map<String, Generator> generators = net.namedGenerators();
        assertEquals(List.of("0.generator", "2.generator"), new ArrayList<>(generators.keySet()));
        assertSame(shared, generators.get("0.generator"));
        assertSame(rnn, generators.get("2.generator"));
        assertTrue(new Dropout(0.5).namedGenerators().isEmpty());
        // Not tensors: the state dict is PyTorch's, without them.
        assertFalse(net.stateDict().keySet().stream().anyMatch(key -> key.contains("generator")));
    }

    @Test
    void aGeneratorsNameIsCheckedAsAnyOther() {
        class Noisy extends Module {
            Noisy() {
                registerBuffer("noise", Tensor.zeros(1));
                registerGenerator("noise", new Generator(0));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Noisy::new);
        assertTrue(e.getMessage().endsWith("registerGenerator: name 'noise' is already used by a buffer"), e.getMessage());
    }
}
