package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kindling.io.GoldenText;
import kindling.io.SafeTensors;
import kindling.nn.TestLayers.BatchNorm1d;
import kindling.nn.TestLayers.Linear;
import kindling.nn.TestLayers.Net;
import kindling.nn.TestLayers.ReLU;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void saveThenLoadRestoresEveryParameterAndBuffer() throws IOException {
        Net trained = new Net();
        Path file = dir.resolve("net.safetensors");
        trained.save(file);
        Net fresh = new Net();
        assertEquals(new LoadResult(List.of(), List.of()), fresh.load(file));
        for (Map.Entry<String, Tensor> entry : trained.stateDict().entrySet()) {
            assertArrayEquals(entry.getValue().toArray(), fresh.stateDict().get(entry.getKey()).toArray(),
                    entry.getKey());
        }
    }

    @Test
    void loadingAnotherModelsCheckpointFailsWithoutChangingTheModel() throws IOException {
        Path file = dir.resolve("small.safetensors");
        new Sequential(new Linear(4, 3)).save(file);
        Net model = new Net();
        float[] before = model.stateDict().get("features.0.weight").toArray();
        StateDictException e = assertThrows(StateDictException.class, () -> model.load(file));
        assertTrue(e.getMessage().startsWith(file + ": Error(s) in loading state dict for "), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state dict: \"0.bias\", \"0.weight\""), e.getMessage());
        assertEquals(List.of("0.bias", "0.weight"), e.unexpectedKeys());
        assertArrayEquals(before, model.stateDict().get("features.0.weight").toArray());
    }

    @Test
    void loadsAPyTorchStateDict() throws IOException {
        // torch.nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2), BatchNorm1d(2)), its whole state dict
        // with BatchNorm's I64 num_batches_tracked, loads strictly.
        Sequential model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2), new BatchNorm1d(2));
        LoadResult result = model.loadStateDict(SafeTensors.load(GoldenText.path("torch_int64.safetensors")), true);
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());
        assertEquals(2f, model.stateDict().get("3.num_batches_tracked").item());
        Map<String, Tensor> golden = GoldenText.read("safetensors.txt");
        for (Map.Entry<String, Tensor> entry : model.stateDict().entrySet()) {
            if (!entry.getKey().equals("3.num_batches_tracked")) {
                assertArrayEquals(golden.get("model." + entry.getKey()).toArray(), entry.getValue().toArray(),
                        entry.getKey());
            }
        }
    }

    @Test
    void loadsAPyTorchStateDictWithoutTheBatchCounterNonStrictly() throws IOException {
        // The same model saved with float tensors only: a non-strict load reports the counter missing.
        Sequential model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2), new BatchNorm1d(2));
        LoadResult result = model.loadStateDict(SafeTensors.load(GoldenText.path("torch_model.safetensors")), false);
        assertEquals(List.of("3.num_batches_tracked"), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());
    }
}
