package kindling.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kindling.autograd.GradCheck;
import kindling.autograd.NoGrad;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.triplet.PKSampler;
import kindling.examples.triplet.TripletMining;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingNetTest {
    @Test
    void theShapeTraceEndsInAUnitLengthEmbedding() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.traceShapes(EmbeddingNet.create(), Tensor.zeros(1, 1, 28, 28),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                Conv2d output shape:\t(1, 16, 28, 28)
                BatchNorm2d output shape:\t(1, 16, 28, 28)
                ReLU output shape:\t(1, 16, 28, 28)
                MaxPool2d output shape:\t(1, 16, 14, 14)
                Conv2d output shape:\t(1, 32, 14, 14)
                BatchNorm2d output shape:\t(1, 32, 14, 14)
                ReLU output shape:\t(1, 32, 14, 14)
                MaxPool2d output shape:\t(1, 32, 7, 7)
                Flatten output shape:\t(1, 1568)
                Linear output shape:\t(1, 128)
                ReLU output shape:\t(1, 128)
                Linear output shape:\t(1, 32)
                L2Normalize output shape:\t(1, 32)
                """, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void parametersAndMacsAddUp() {
        Summary summary = Summary.of(EmbeddingNet.create(), 1, 1, 28, 28);
        // conv 16·9+16, BN 2·16, conv 32·144+32, BN 2·32, linear 1568·128+128, linear 128·32+32
        assertEquals(160 + 32 + 4_640 + 64 + 200_832 + 4_128, summary.totalParameters());
        assertEquals(209_856, summary.totalParameters());
        // 16·28·28·9 + 32·14·14·144 + 1568·128 + 128·32
        assertEquals(112_896 + 903_168 + 200_704 + 4_096, summary.totalMacs());
        // D = 64 widens only the last Linear: + 32·128 weights + 32 biases
        assertEquals(209_856 + 32 * 128 + 32, Summary.of(EmbeddingNet.create(64), 1, 1, 28, 28).totalParameters());
    }

    @Test
    void everyEmbeddingHasLengthOne() {
        Generator.manualSeed(0);
        Sequential net = EmbeddingNet.create(8);
        net.eval();
        float[] e;
        try (NoGrad ignored = NoGrad.enter()) {
            e = net.forward(Tensor.rand(new Generator(1), 3, 1, 28, 28)).toArray();
        }
        for (int i = 0; i < 3; i++) {
            double sum = 0;
            for (int c = 0; c < 8; c++) {
                sum += e[i * 8 + c] * e[i * 8 + c];
            }
            assertEquals(1.0, sum, 1e-5, "squared length of embedding " + i);
        }
    }

    @Test
    void normalizePassesTheGradientCheck() {
        Tensor x = Tensor.randn(new Generator(2), 3, 4).requiresGrad_();
        GradCheck.Result result = GradCheck.check(in -> EmbeddingNet.normalize(in[0], 1e-12f), x);
        assertTrue(result.passed(), result.toString());
        // x used twice: the norm and the numerator share it
        Tensor y = Tensor.randn(new Generator(3), 2, 3).requiresGrad_();
        GradCheck.Result twice = GradCheck.check(in -> EmbeddingNet.normalize(in[0].mul(in[0]).add(in[0]), 1e-12f), y);
        assertTrue(twice.passed(), twice.toString());
    }

    @Test
    void badArgumentsAndShapesAreNamed() {
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> EmbeddingNet.create(0));
        assertTrue(dim.getMessage().contains("dim must be at least 1, got 0"), dim.getMessage());
        Sequential net = EmbeddingNet.create();
        ShapeException shape = assertThrows(ShapeException.class, () -> net.get(12).forward(Tensor.zeros(2, 32, 1)));
        assertEquals("L2Normalize() at 12: expected input (N, D) but got (2, 32, 1)", shape.getMessage());
    }

    @Test
    void aFewStepsOnOneSmallBatchLowerTheTripletLoss() throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        int[] labels = new int[data.train().size()];
        float[] targets = data.train().targets().toArray();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Math.round(targets[i]);
        }
        int[] indices = new PKSampler(labels, 4, 8, 0).next();          // 32 images, 4 classes × 8
        int[] batchLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            batchLabels[i] = labels[indices[i]];
        }
        Tensor images = data.train().inputs().indexSelect(0, TripletMining.indexTensor(indices));
        Generator.manualSeed(0);
        Sequential net = EmbeddingNet.create();
        TripletMining mining = new TripletMining(TripletMining.Strategy.BATCH_HARD, 0.2);
        Optimizer optimizer = Adam.builder(net.parameters()).lr(0.001f).build();
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < STEPS; step++) {
            Tensor loss = mining.loss(net.forward(images), batchLabels);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            first = step == 0 ? loss.item() : first;
            last = loss.item();
        }
        // seed 0: 0.40 at first (twice the margin: the random embedding mixes the classes), 0 after 10 steps
        assertTrue(first > 0.2, "batch-hard loss of the untrained network: " + first);
        assertTrue(last < 0.05, "batch-hard loss on one batch after " + STEPS + " steps: " + last);
    }

    private static final int STEPS = 15;
}
