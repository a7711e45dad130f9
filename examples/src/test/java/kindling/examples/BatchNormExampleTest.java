package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.train.History;
import org.junit.jupiter.api.Test;

class BatchNormExampleTest {
    @Test
    void normalisationLetsTheSameSgdStepLearnFromTheFirstBatches() throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        DataLoader train = DataLoader.builder(new TensorDataset(data.train().inputs().narrow(0, 0, 640),
                data.train().targets().narrow(0, 0, 640))).batchSize(32).shuffle(0).build();
        DataLoader test = DataLoader.builder(new TensorDataset(data.test().inputs().narrow(0, 0, 256),
                data.test().targets().narrow(0, 0, 256))).batchSize(256).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, History> histories = BatchNormExample.compare(train, test, 1, 0.1f, 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(List.of("no normalisation", "BatchNorm", "LayerNorm"), List.copyOf(histories.keySet()));
        double none = histories.get("no normalisation").last().trainLoss();
        // 20 steps of SGD at lr 0.1: the unnormalised ReLU network is still on its plateau near ln 10 = 2.303.
        assertTrue(none > 2.2, "no normalisation: " + none);
        for (String normalised : new String[] {"BatchNorm", "LayerNorm"}) {
            double loss = histories.get(normalised).last().trainLoss();
            assertTrue(loss < none - 0.15, normalised + " " + loss + " against " + none);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("(1): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"), out);
        assertTrue(out.contains("(1): LayerNorm((6, 28, 28), eps=1e-05, elementwise_affine=True)"), out);
    }
}
