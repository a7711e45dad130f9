package kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from tools/golden/gen_safetensors.py (PyTorch 1.13) and the file it verified in PyTorch. */
class SafeTensorsGoldenTest {
    @TempDir
    Path dir;

    private static void assertSameTensor(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        assertArrayEquals(expected.toArray(), actual.toArray(), what);
    }

    @Test
    void readsAStateDictWrittenFromPyTorch() throws IOException {
        Path file = GoldenText.path("torch_model.safetensors");
        Map<String, Tensor> golden = GoldenText.read("safetensors.txt");
        Map<String, Tensor> loaded = SafeTensors.load(file);
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight", "3.bias", "3.running_mean",
                "3.running_var", "3.weight"), List.copyOf(loaded.keySet()));
        for (Map.Entry<String, Tensor> entry : loaded.entrySet()) {
            assertSameTensor(entry.getKey(), golden.get("model." + entry.getKey()), entry.getValue());
        }
        assertEquals(Map.of("format", "pt"), SafeTensors.metadata(file));
    }

    @Test
    void convertsF64F16AndBf16ToFloat() throws IOException {
        Map<String, Tensor> golden = GoldenText.read("safetensors.txt");
        Map<String, Tensor> loaded = SafeTensors.load(GoldenText.path("torch_dtypes.safetensors"));
        assertEquals(4, loaded.size());
        for (String name : List.of("f64", "f16", "bf16", "f32")) {
            assertSameTensor(name, golden.get("dtypes." + name), loaded.get(name));
        }
        assertEquals(65504f, loaded.get("f16").get(0));
        assertEquals(0x1p-24f, loaded.get("f16").get(1));
    }

    @Test
    void readsPyTorchsInt64BatchCounter() throws IOException {
        // A whole BatchNorm state dict as PyTorch saves it: num_batches_tracked is I64 and counts 2 batches.
        Map<String, Tensor> loaded = SafeTensors.load(GoldenText.path("torch_int64.safetensors"));
        assertEquals(2f, loaded.get("3.num_batches_tracked").item());
        assertEquals(0, loaded.get("3.num_batches_tracked").dim());
    }

    @Test
    void writesTheFileThatPyTorchVerified() throws IOException {
        Path out = dir.resolve("written.safetensors");
        SafeTensors.save(KindlingGoldenFile.tensors(), KindlingGoldenFile.metadata(), out);
        assertArrayEquals(Files.readAllBytes(GoldenText.path("kindling_written.safetensors")), Files.readAllBytes(out));
        Map<String, Tensor> back = SafeTensors.load(out);
        for (Map.Entry<String, Tensor> entry : KindlingGoldenFile.tensors().entrySet()) {
            assertSameTensor(entry.getKey(), entry.getValue(), back.get(entry.getKey()));
        }
    }

    @Test
    void rewritesAPyTorchFileByteForByte() throws IOException {
        // Load and save again: same keys, order, metadata and values, hence the same bytes.
        Path original = GoldenText.path("torch_model.safetensors");
        Path out = dir.resolve("again.safetensors");
        SafeTensors.save(SafeTensors.load(original), SafeTensors.metadata(original), out);
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
        assertTrue(Files.size(out) > 0);
    }
}
