package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.models.LeNet;
import kindling.nn.Sequential;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillExampleTest {
    @Test
    void aHigherTemperatureFlattensTheTeachersProbabilities() throws IOException {
        Generator.manualSeed(0);
        Sequential teacher = LeNet.modern();
        teacher.eval();
        Tensor images = FashionMnist.loadBundledSubset().test().inputs().narrow(0, 0, 4);
        float[] cold = DistillExample.softTargets(teacher, images, 1).toArray();
        float[] warm = DistillExample.softTargets(teacher, images, 4).toArray();
        float[] hot = DistillExample.softTargets(teacher, images, 1e6).toArray();
        for (int row = 0; row < 4; row++) {
            assertEquals(1, sum(cold, row), 1e-5, "a distribution");
            assertEquals(1, sum(warm, row), 1e-5, "a distribution");
            assertTrue(entropy(warm, row) > entropy(cold, row), "T = 4 is flatter than T = 1, row " + row);
            for (int c = 0; c < 10; c++) {
                assertEquals(0.1, hot[row * 10 + c], 1e-4, "a very high T gives the uniform distribution");
            }
        }
    }

    @Test
    void bothStudentsTrainAndTheDistilledOneUsesTheSoftTargets(@TempDir Path charts) throws IOException {
        ImageData subset = FashionMnist.loadBundledSubset();
        ImageData small = new ImageData(subset.name(), cut(subset.train(), 256), cut(subset.test(), 100),
                subset.classes(), subset.source());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DistillExample.Result result = DistillExample.run(small,
                new DistillExample.Settings(1, 128, 3, 32, 0.002, 4, 0.9, 16, 0), charts,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<DistillExample.StudentRun> students = result.students();
        assertEquals(List.of("labels only", "distilled (T = 4.0, α = 0.9)"),
                students.stream().map(DistillExample.StudentRun::name).toList());
        for (DistillExample.StudentRun student : students) {
            assertEquals(3, student.testAccuracy().size());
            List<Double> loss = student.trainLoss();
            assertTrue(loss.get(2) < loss.get(0), student.name() + ": the labels' cross-entropy falls " + loss);
        }
        // Same initial weights and batches: only the soft-target term can make the two runs differ.
        assertTrue(!students.get(0).trainLoss().equals(students.get(1).trainLoss()), "the soft term changed the training");
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("The teacher's probabilities for the first training image"), printed);
        assertTrue(Files.exists(charts.resolve("students.png")));
    }

    private static double sum(float[] p, int row) {
        double s = 0;
        for (int c = 0; c < 10; c++) {
            s += p[row * 10 + c];
        }
        return s;
    }

    private static double entropy(float[] p, int row) {
        double h = 0;
        for (int c = 0; c < 10; c++) {
            h -= p[row * 10 + c] * Math.log(p[row * 10 + c]);
        }
        return h;
    }

    private static TensorDataset cut(TensorDataset data, int n) {
        return new TensorDataset(data.inputs().narrow(0, 0, n), data.targets().narrow(0, 0, n));
    }
}
