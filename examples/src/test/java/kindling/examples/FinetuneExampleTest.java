package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import org.junit.jupiter.api.Test;

class FinetuneExampleTest {
    @Test
    void theThreeMethodsRunAndCountTheirFrozenParameters() throws IOException {
        ImageData full = FashionMnist.loadBundledSubset();
        ImageData small = new ImageData(full.name(), cut(full.train(), 600), cut(full.test(), 100), full.classes(),
                full.source());
        Path charts = Files.createTempDirectory("finetune");
        List<FinetuneExample.Run> runs = FinetuneExample.run(small, new int[] {2}, 1, 1, 1, 0.001, 0.01, charts);

        assertEquals(List.of("from scratch", "frozen base + new head", "+ last stage at lr/10"),
                runs.stream().map(FinetuneExample.Run::method).toList());
        long total = runs.get(0).trainable();
        assertEquals(0, runs.get(0).frozen());
        assertEquals(128 * 5 + 5, runs.get(1).trainable(), "only the new head trains");
        assertEquals(total, runs.get(1).trainable() + runs.get(1).frozen());
        assertEquals(645 + 525_568, runs.get(2).trainable(), "the head and the last stage (b5)");
        assertEquals(2, runs.get(2).testAccuracy().size(), "(c) continues (b)'s curve");
        assertTrue(Files.exists(charts.resolve("finetune-2.png")));
        String table = FinetuneExample.table(runs, new int[] {2});
        assertTrue(table.contains("| frozen base + new head | 645 / 699,904 |"), table);
    }

    @Test
    void classesTakesAtMostNPerClassAndShiftsTheLabels() throws IOException {
        TensorDataset few = FinetuneExample.classes(FashionMnist.loadBundledSubset().train(), 5, 3);
        assertEquals(15, few.size());
        for (float label : few.targets().toArray()) {
            assertTrue(label >= 0 && label < 5, "label " + label);
        }
    }

    private static TensorDataset cut(TensorDataset data, int n) {
        return new TensorDataset(data.inputs().narrow(0, 0, n), data.targets().narrow(0, 0, n));
    }
}
