package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.models.Vgg;
import kindling.examples.models.Vgg19;
import kindling.io.SafeTensors;
import kindling.nn.Module;
import kindling.nn.Sequential;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StyleTransferExampleTest {
    @Test
    void aFewStepsLowerTheStyleLossAndLeaveTheNetworkAlone() throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        Sequential vgg = Vgg.small();                            // untrained: the test checks the mechanics
        vgg.requiresGrad_(false);
        vgg.eval();
        Map<String, float[]> before = new LinkedHashMap<>();
        vgg.stateDict().forEach((k, v) -> before.put(k, v.toArray()));
        StyleTransferExample.Network network = new StyleTransferExample.Network("test", vgg, "2.3",
                List.of("0.1", "1.1", "2.1"), Vgg.SMALL_INPUT, false);
        Tensor content = StyleTransferExample.contentImage(data, 0, Vgg.SMALL_INPUT, false);
        Tensor style = StyleTransferExample.pattern("checks", Vgg.SMALL_INPUT, false);
        StyleTransferExample.Result result = StyleTransferExample.transfer(network, content, style, 8, 0.05, 1, 1e4);

        assertEquals(8, result.history().size());
        assertTrue(result.history().get(7).style() < result.history().get(0).style(), result.history().toString());
        assertArrayEquals(new int[] {1, 1, 32, 32}, result.image().shape());
        for (float v : result.image().toArray()) {
            assertTrue(v >= 0 && v <= 1, "pixels stay in [0, 1]: " + v);
        }
        vgg.stateDict().forEach((k, v) -> assertArrayEquals(before.get(k), v.toArray(), k + " must not change"));
    }

    @Test
    void vgg19HasTorchvisionsKeysAndLoadsAFileWithTheClassifierToo() throws IOException {
        Sequential model = Vgg19.withFeatures();
        assertEquals(20_024_384, model.numParameters());
        List<String> keys = List.copyOf(model.stateDict().keySet());
        assertEquals(32, keys.size());
        assertEquals("features.0.weight", keys.get(0));
        assertEquals("features.5.weight", keys.get(4));
        assertEquals("features.34.bias", keys.get(31));
        assertArrayEquals(new int[] {512, 512, 3, 3}, model.stateDict().get("features.34.weight").shape());

        // A file as torchvision's whole state dict would be: features.* and a classifier.
        Map<String, Tensor> file = new LinkedHashMap<>(Vgg19.withFeatures().stateDict());
        file.put("classifier.0.weight", Tensor.zeros(2, 3));
        Path path = Files.createTempFile("vgg19", ".safetensors");
        try {
            SafeTensors.save(file, path);
            StyleTransferExample.Network network = StyleTransferExample.vgg19(path, 32);
            Module loaded = network.model();
            assertArrayEquals(file.get("features.28.weight").toArray(),
                    loaded.stateDict().get("features.28.weight").toArray());
            assertFalse(loaded.parameters().get(0).requiresGrad(), "the network is frozen");
            Tensor x = network.prepare(StyleTransferExample.pattern("rings", 32, true));
            assertArrayEquals(new int[] {1, 3, 32, 32}, x.shape());
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
