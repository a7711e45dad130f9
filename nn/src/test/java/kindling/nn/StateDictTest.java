package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.nn.TestLayers.Net;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StateDictTest {

    private static Map<String, float[]> snapshot(Module model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : model.stateDict().entrySet()) {
            out.put(entry.getKey(), entry.getValue().toArray());
        }
        return out;
    }

    private static void assertSameValues(Map<String, float[]> expected, Module model) {
        Map<String, float[]> actual = snapshot(model);
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertArrayEquals(expected.get(key), actual.get(key), key);
        }
    }

    @Test
    void stateDictValuesAreDetachedViewsSharingStorage() {
        Net net = new Net();
        Tensor weight = net.namedParameters().get("features.0.weight");
        Tensor saved = net.stateDict().get("features.0.weight");
        assertNotSame(weight, saved);
        assertFalse(saved.requiresGrad());
        assertSame(weight.storage(), saved.storage());
        try (NoGrad scope = NoGrad.enter()) {
            weight.fill_(7f);
        }
        assertEquals(7f, saved.get(1, 2));
    }

    @Test
    void loadCopiesEveryValueIntoTheModelsOwnTensors() {
        Net source = new Net();
        try (NoGrad scope = NoGrad.enter()) {
            source.namedBuffers().get("norm.running_mean").fill_(0.5f);
        }
        Net target = new Net();
        Tensor targetWeight = target.namedParameters().get("features.0.weight");
        LoadResult result = target.loadStateDict(source.stateDict());
        assertEquals(new LoadResult(List.of(), List.of()), result);
        assertSameValues(snapshot(source), target);
        assertSame(targetWeight, target.namedParameters().get("features.0.weight"));
        assertNotSame(targetWeight.storage(), source.namedParameters().get("features.0.weight").storage());
        assertTrue(targetWeight.requiresGrad(), "loading keeps parameters trainable");
    }

    @Test
    void strictLoadListsEveryProblemAndLeavesTheModelUnchanged() {
        Net model = new Net();
        Map<String, float[]> before = snapshot(model);
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.remove("norm.bias");
        state.remove("head.1.weight");
        state.put("features.0.weight", Tensor.zeros(4, 3));   // transposed by mistake
        state.put("features.2.bias", Tensor.zeros(3));
        state.put("classifier.weight", Tensor.zeros(2, 2));
        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state, true));
        assertEquals(List.of("norm.bias", "head.1.weight"), e.missingKeys());
        assertEquals(List.of("classifier.weight"), e.unexpectedKeys());
        assertEquals(List.of("features.0.weight", "features.2.bias"), e.mismatchedKeys());
        assertEquals("Error(s) in loading state dict for Net(): the model is unchanged\n"
                + "\tMissing key(s) in state dict: \"norm.bias\", \"head.1.weight\".\n"
                + "\tUnexpected key(s) in state dict: \"classifier.weight\".\n"
                + "\tsize mismatch for features.0.weight: copying a tensor of shape (4, 3) from the state dict, "
                + "but the shape in the model is (3, 4).\n"
                + "\tsize mismatch for features.2.bias: copying a tensor of shape (3,) from the state dict, "
                + "but the shape in the model is (2,).", e.getMessage());
        assertSameValues(before, model);
    }

    @Test
    void strictLoadFailsOnAMissingKeyAlone() {
        Net model = new Net();
        Map<String, float[]> before = snapshot(model);
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.remove("norm.running_var");
        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state));
        assertTrue(e.getMessage().contains("Missing key(s) in state dict: \"norm.running_var\""), e.getMessage());
        assertSameValues(before, model);
    }

    @Test
    void nonStrictLoadIgnoresKeysButReportsThem() {
        Net source = new Net();
        Net model = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>(source.stateDict());
        state.remove("head.1.weight");
        state.put("extra", Tensor.ones(1));
        LoadResult result = model.loadStateDict(state, false);
        assertEquals(List.of("head.1.weight"), result.missingKeys());
        assertEquals(List.of("extra"), result.unexpectedKeys());
        assertArrayEquals(source.stateDict().get("features.2.weight").toArray(),
                model.stateDict().get("features.2.weight").toArray());
    }

    @Test
    void nonStrictLoadStillRejectsShapeMismatches() {
        Net model = new Net();
        Map<String, float[]> before = snapshot(model);
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.put("norm.weight", Tensor.ones(3));
        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state, false));
        assertEquals(List.of("norm.weight"), e.mismatchedKeys());
        assertEquals(List.of(), e.missingKeys());
        assertFalse(e.getMessage().contains("Missing"), e.getMessage());
        assertSameValues(before, model);
    }

    @Test
    void nullValueIsAMismatch() {
        Net model = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.put("norm.weight", null);
        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state));
        assertTrue(e.getMessage().contains("value for norm.weight is null; the model expects shape (2,)"),
                e.getMessage());
    }

    @Test
    void loadingItsOwnStateIsANoOp() {
        Net model = new Net();
        Map<String, float[]> before = snapshot(model);
        model.loadStateDict(model.stateDict());
        assertSameValues(before, model);
    }

    @Test
    void nonPersistentBuffersAreNotSaved() {
        Module module = new ModuleTest.Bag() {
            {
                registerBuffer("kept", Tensor.ones(1));
                registerBuffer("cache", Tensor.ones(2), false);
            }
        };
        assertEquals(List.of("kept"), List.copyOf(module.stateDict().keySet()));
        assertEquals(List.of("kept", "cache"), List.copyOf(module.namedBuffers().keySet()));
    }
}
