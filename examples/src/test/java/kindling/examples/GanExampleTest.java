package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.generative.GaussianMixture;
import kindling.examples.models.DcGan;
import kindling.nn.BCEWithLogitsLoss;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanExampleTest {
    @Test
    void dcganNetworksHaveTheShapesAndParameterCountsOfTheirDiagram() {
        Generator.manualSeed(0);
        Sequential g = DcGan.generator(64, 32);
        Sequential d = DcGan.discriminator(32);
        Tensor images = g.forward(Tensor.randn(3, 64, 1, 1));
        assertArrayEquals(new int[] {3, 1, 28, 28}, images.shape());
        assertTrue(images.max().item() <= 1f && images.min().item() >= -1f, "Tanh keeps images in [−1, 1]");
        assertArrayEquals(new int[] {3, 1}, d.forward(images).shape());
        // G: 64·64·7·7 + 64 | 2·64 | 64·32·4·4 + 32 | 2·32 | 32·1·4·4 + 1
        assertEquals(200_768 + 128 + 32_800 + 64 + 513, g.numParameters());
        // D: 1·32·4·4 + 32 | 32·64·4·4 + 64 | 2·64 | 64·1·7·7 + 1
        assertEquals(544 + 32_832 + 128 + 3_137, d.numParameters());
    }

    @Test
    void aFewRoundsTeachTheDiscriminatorToTellRealFromGenerated() throws IOException {
        Generator.manualSeed(0);
        ImageData data = FashionMnist.loadBundledSubset();
        Tensor real = data.train().inputs().narrow(0, 0, 32).mul(2f).sub(1f);
        Sequential g = DcGan.generator(16, 8);
        Sequential d = DcGan.discriminator(8);
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        Adam optimizerD = Adam.builder(d.parameters()).lr(2e-4f).betas(0.5f, 0.999f).build();
        Adam optimizerG = Adam.builder(g.parameters()).lr(2e-4f).betas(0.5f, 0.999f).build();
        Generator noise = new Generator(1);
        GanExample.Step first = GanExample.trainStep(g, d, bce, optimizerD, optimizerG, real, 16, noise);
        GanExample.Step last = first;
        for (int i = 0; i < 15; i++) {
            last = GanExample.trainStep(g, d, bce, optimizerD, optimizerG, real, 16, noise);
        }
        // At the start D cannot tell (its loss is near 2·ln 2 = 1.386 or above); after a few rounds it
        // scores the real batch above the generated one and its loss has fallen.
        assertTrue(first.lossD() > 1.0, first.toString());
        assertTrue(last.lossD() < first.lossD(), first + " → " + last);
        assertTrue(last.realScore() > last.fakeScore(), last.toString());
        assertTrue(Double.isFinite(last.lossG()));
    }

    @Test
    void modesAreCountedNearTheirCentres() {
        GaussianMixture ring = GaussianMixture.onCircle(4, 2.0, 0.1);
        // modes at (2, 0), (0, 2), (−2, 0), (0, −2), 2√2 apart: "near" is within 2√2/4 = 0.707
        assertEquals(Math.sqrt(8) / 4, GanExample.nearRadius(ring), 1e-6);
        Tensor points = Tensor.of(new float[][] {{2f, 0f}, {2.1f, 0.1f}, {0f, 2f}, {-2f, 0.25f}, {-2f, 0.5f}, {0f, 0f}});
        assertArrayEquals(new int[] {2, 1, 2, 0, 1}, GanExample.countPerMode(ring, points, GanExample.nearRadius(ring)));
        assertArrayEquals(new int[] {2, 1, 1, 0, 2}, GanExample.countPerMode(ring, points, 0.3));   // within 3σ
        GanExample.ModeCoverage coverage = GanExample.ModeCoverage.of("six points", ring, points);
        assertEquals(3, coverage.covered());                 // a quarter of a fair share is 6/16 of a point
        assertEquals(4.0 / 6, coverage.sharp(), 1e-9);
        int[] counts = GanExample.countPerMode(ring, ring.sample(4000, new Generator(3)), 0.3);
        // In the plane P(|x − μ| > 3σ) = e^(−9/2) ≈ 1.1%: about 44 of 4,000 points lie off every mode.
        assertTrue(counts[4] > 15 && counts[4] < 80, "points of the target off every mode: " + counts[4]);
    }

    @Test
    void aShortRingRunMeasuresBothModels() throws java.io.IOException {
        Generator.manualSeed(4);
        GanExample.RingResult result = GanExample.ring(GaussianMixture.onCircle(8, 2.0, 0.05), 40, 1e-3f, 8, 0);
        assertEquals(8, result.target().covered());
        assertTrue(result.target().sharp() > 0.95, result.target().toString());
        assertEquals(8, result.gan().perMode().length);
        assertEquals(8, result.flow().perMode().length);
    }

    @Test
    void theJudgeIsSavedOnceAndReloaded(@TempDir Path folder) throws IOException {
        ImageData full = FashionMnist.loadBundledSubset();
        ImageData small = new ImageData(full.name(), new TensorDataset(full.train().inputs().narrow(0, 0, 512),
                full.train().targets().narrow(0, 0, 512)), new TensorDataset(full.test().inputs().narrow(0, 0, 200),
                full.test().targets().narrow(0, 0, 200)), full.classes(), full.source());
        SampleClassifier trained = SampleClassifier.trainedOn(small, folder, 1);
        Path file = folder.resolve("lenet-512.safetensors");
        assertTrue(Files.exists(file));
        long written = Files.getLastModifiedTime(file).toMillis();
        SampleClassifier reloaded = SampleClassifier.trainedOn(small, folder, 1);
        assertEquals(written, Files.getLastModifiedTime(file).toMillis(), "the second call loads, it does not train");
        assertEquals(trained.testAccuracy(), reloaded.testAccuracy());
        Tensor images = small.test().inputs().narrow(0, 0, 10);
        assertArrayEquals(trained.predict(images), reloaded.predict(images));
        int[] targets = new int[10];
        for (int i = 0; i < 10; i++) {
            targets[i] = (int) small.test().targets().get(i);
        }
        int[] histogram = trained.histogram(images, 10);
        assertEquals(10, java.util.Arrays.stream(histogram).sum());
        double agreement = trained.agreement(images, targets);
        assertTrue(agreement >= 0 && agreement <= 1);
    }
}
