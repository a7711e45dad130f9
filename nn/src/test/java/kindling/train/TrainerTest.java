package kindling.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongFunction;
import kindling.data.DataLoader;
import kindling.data.TensorDataset;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Dropout;
import kindling.nn.Linear;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.optim.SGD;
import kindling.optim.StepLR;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Two Gaussian blobs in 2-D, class 0 around (−1, −1) and class 1 around (1, 1). */
    private static TensorDataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            float centre = y[i] == 0 ? -1 : 1;
            x[2 * i] = centre + 0.5f * (float) g.nextGaussian();
            x[2 * i + 1] = centre + 0.5f * (float) g.nextGaussian();
        }
        return new TensorDataset(Tensor.wrap(x, n, 2), Tensor.wrap(y, n));
    }

    private static Sequential model(long seed) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));
    }

    private static Trainer trainer(Sequential net, int epochs, Path checkpoints, PrintStream out) {
        SGD sgd = SGD.builder(net.parameters()).lr(0.1f).momentum(0.9f).build();
        return Trainer.builder(net, new CrossEntropyLoss(), sgd).epochs(epochs)
                .scheduler(new StepLR(sgd, 2, 0.5f))
                .checkpoints(checkpoints).output(out, false).build();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void fitLearnsAndRecordsOneLinePerEpoch() throws IOException {
        Sequential net = model(1);
        DataLoader train = DataLoader.builder(blobs(200, 1)).batchSize(20).shuffle(0).build();
        DataLoader test = DataLoader.builder(blobs(100, 2)).batchSize(50).build();
        History history = trainer(net, 4, null, quiet()).fit(train, test);
        assertEquals(4, history.epochs().size());
        assertTrue(history.last().validationAccuracy() > 0.9, history.toString());
        assertTrue(history.last().trainLoss() < history.epochs().get(0).trainLoss(), history.toString());
        assertTrue(net.isTraining());
    }

    @Test
    void theEpochLinesAndTheTableNameTheEvaluatedSetAsAsked() throws IOException {
        Sequential net = model(1);
        DataLoader train = DataLoader.builder(blobs(40, 1)).batchSize(20).build();
        DataLoader test = DataLoader.builder(blobs(20, 2)).batchSize(20).build();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SGD sgd = SGD.builder(net.parameters()).lr(0.1f).build();
        History history = Trainer.builder(net, new CrossEntropyLoss(), sgd).epochs(1).validationName("test")
                .output(new PrintStream(buffer, true, StandardCharsets.UTF_8), false).build().fit(train, test);
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains(", test loss ") && out.contains(", test acc ") && !out.contains("val "), out);
        String[] table = history.table("test").split("\\R");
        assertEquals("epoch  train loss  train acc  test loss  test acc  seconds  img/s", table[0]);
        assertEquals(table[0].length(), table[1].length(), "columns under their headings:\n" + history.table("test"));
        assertTrue(history.toString().startsWith("epoch  train loss  train acc  val loss  val acc"), history.toString());
    }

    @Test
    void withoutAnEvaluationSetTheEpochLinesSayNothingOfIt() throws IOException {
        Sequential net = model(1);
        DataLoader train = DataLoader.builder(blobs(40, 1)).batchSize(20).build();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SGD sgd = SGD.builder(net.parameters()).lr(0.1f).build();
        Trainer.builder(net, new CrossEntropyLoss(), sgd).epochs(1)
                .output(new PrintStream(buffer, true, StandardCharsets.UTF_8), false).build().fit(train, null);
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 1/1: train loss ") && !out.contains("NaN") && !out.contains("val "), out);
    }

    @Test
    void aFastEpochsRateStaysInItsColumn() {
        History history = new History();
        history.add(new History.Epoch(1, 0.5, 0.75, 0.25, 1.0, 0.0004, 104_181));
        history.add(new History.Epoch(2, 0.5, 0.75, 0.25, 1.0, 1.5, 2.5e7));
        history.add(new History.Epoch(3, 0.5, 0.75, 0.25, 1.0, 1.5, 812));
        String[] table = history.table("test").split("\\R");
        for (String line : table) {
            assertEquals(table[0].length(), line.length(), "columns under their headings:\n" + history.table("test"));
        }
        assertTrue(table[1].endsWith(" 104k") && table[2].endsWith("  25M") && table[3].endsWith("  812"),
                history.table("test"));
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        assertResumedRunEndsWithTheUninterruptedWeights(TrainerTest::model, "plain");
    }

    @Test
    void withDropoutTooAResumedRunEndsWithTheUninterruptedWeights() throws IOException {
        assertResumedRunEndsWithTheUninterruptedWeights(TrainerTest::modelWithDropout, "dropout");
    }

    @Test
    void withADropoutThatHasItsOwnGeneratorAResumedRunEndsWithTheUninterruptedWeights() throws IOException {
        // The fresh model's generator starts from another seed, as in a new process: only the state the
        // checkpoint holds under model.2.generator makes its masks the uninterrupted run's.
        assertResumedRunEndsWithTheUninterruptedWeights(TrainerTest::modelWithOwnDropoutGenerator, "own-generator");
    }

    /**
     * Trains {@code model.apply(7)} for 4 epochs straight; and {@code model.apply(7)} for 2 epochs, then
     * a fresh {@code model.apply(99)} with the global generator moved on (a new process: other weights,
     * other draws) resumed from that checkpoint for the last 2. Both must end with the same weights.
     */
    private void assertResumedRunEndsWithTheUninterruptedWeights(LongFunction<Sequential> model, String name)
            throws IOException {
        DataLoader train = DataLoader.builder(blobs(120, 1)).batchSize(16).shuffle(3).build();
        Sequential straight = model.apply(7);
        trainer(straight, 4, dir.resolve(name + "-straight"), quiet()).fit(train, null);

        Sequential interrupted = model.apply(7);
        trainer(interrupted, 2, dir.resolve(name + "-resumed"), quiet()).fit(train, null);
        assertTrue(Files.isRegularFile(dir.resolve(name + "-resumed").resolve("checkpoint.safetensors")));
        Sequential resumed = model.apply(99);
        Generator.global().nextLong();
        Trainer again = trainer(resumed, 4, dir.resolve(name + "-resumed"), quiet());
        assertEquals(2, again.resume());
        History history = again.fit(train, null);
        assertEquals(4, history.epochs().size());
        straight.stateDict().forEach((key, value) ->
                assertArrayEquals(value.toArray(), resumed.stateDict().get(key).toArray(), key));
    }

    /**
     * An augmented run: the loader jitters every input with noise from its own generator, which a
     * fresh process makes again from the same seed. Given to the trainer by name, its state is in the
     * checkpoint and the resumed run ends with the uninterrupted run's weights; not given, the resumed
     * run draws the first epochs' noise again and ends elsewhere (which shows the check can fail).
     */
    @Test
    void aGeneratorGivenToTheTrainerResumesWhereTheAugmentationLeftOff() throws IOException {
        Map<String, Tensor> straight = trainJittered(4, "straight", true, false);
        trainJittered(2, "given", true, false);
        Map<String, Tensor> resumed = trainJittered(4, "given", true, true);
        straight.forEach((key, value) -> assertArrayEquals(value.toArray(), resumed.get(key).toArray(), key));

        trainJittered(2, "not-given", true, false);
        Map<String, Tensor> unsaved = trainJittered(4, "not-given", false, true);
        assertFalse(straight.keySet().stream().allMatch(key ->
                Arrays.equals(straight.get(key).toArray(), unsaved.get(key).toArray())),
                "without the transform's generator the resumed run should draw other noise");
    }

    /**
     * {@code epochs} epochs of a jittered run into checkpoint directory {@code name}, resumed from it
     * first when {@code resume}; the jitter's generator is a new one seeded 5 (as in a new process),
     * given to the trainer as "jitter" when {@code named}. Returns the model's state dict.
     */
    private Map<String, Tensor> trainJittered(int epochs, String name, boolean named, boolean resume) throws IOException {
        Generator jitter = new Generator(5);
        DataLoader train = DataLoader.builder(blobs(120, 1)).batchSize(16).shuffle(3)
                .transform(x -> x.add(Tensor.of(new float[] {(float) jitter.nextGaussian(), (float) jitter.nextGaussian()}, 2)))
                .build();
        Sequential net = model(resume ? 99 : 7);
        SGD sgd = SGD.builder(net.parameters()).lr(0.1f).momentum(0.9f).build();
        Trainer.Builder builder = Trainer.builder(net, new CrossEntropyLoss(), sgd).epochs(epochs)
                .checkpoints(dir.resolve(name)).output(quiet(), false);
        if (named) {
            builder.generator("jitter", jitter);
        }
        Trainer trainer = builder.build();
        if (resume) {
            assertEquals(2, trainer.resume());
        }
        trainer.fit(train, null);
        return net.stateDict();
    }

    @Test
    void aGeneratorForTheCheckpointNeedsANameOfItsOwn() {
        Sequential net = model(1);
        Trainer.Builder builder = Trainer.builder(net, new CrossEntropyLoss(), SGD.builder(net.parameters()).lr(0.1f).build())
                .generator("crop", new Generator(1));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> builder.generator("crop", new Generator(2)));
        assertTrue(twice.getMessage().startsWith("Trainer.Builder.generator: a generator named 'crop'"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.generator(" ", new Generator(2)));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> builder.generator("flip", null));
        assertTrue(none.getMessage().contains("'flip' is null"), none.getMessage());
    }

    private static Sequential modelWithDropout(long seed) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.3), new Linear(16, 2));
    }

    private static Sequential modelWithOwnDropoutGenerator(long seed) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.3, new Generator(seed * 31 + 1)),
                new Linear(16, 2));
    }

    @Test
    void accuracyAgainstClassProbabilitiesCountsTheTargetsMostLikelyClass() {
        Tensor logits = Tensor.of(new float[] {2, 1, 0, 0, 1, 2, 1, 3, 0}, 3, 3);        // predicts 0, 2, 1
        Tensor soft = Tensor.of(new float[] {0.7f, 0.2f, 0.1f, 0.6f, 0.1f, 0.3f, 0, 1, 0}, 3, 3);   // 0, 0, 1
        assertEquals(2, Trainer.countCorrect(logits, soft));
        assertEquals(2, Trainer.countCorrect(logits, Tensor.of(new float[] {0, 0, 1}, 3)));
    }

    @Test
    void withoutACheckpointResumeStartsFromZero() throws IOException {
        assertEquals(0, trainer(model(1), 1, dir.resolve("none"), quiet()).resume());
    }

    @Test
    void plainProgressLinesHaveNoCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "epoch 1/1", 20);
        for (int i = 1; i <= 20; i++) {
            bar.update(i, 0.5, 0.75, i * 10L);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"));
        assertEquals(4, text.lines().count(), "one line at each quarter of the epoch: " + text);
        assertTrue(text.lines().reduce((a, b) -> b).orElseThrow().startsWith("epoch 1/1 20/20 loss 0.5000 acc 0.7500 ETA 0:00"));
    }

    @Test
    void theProgressRateNamesTheTrainersUnit() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sequential net = model(3);
        Trainer.builder(net, new CrossEntropyLoss(), SGD.builder(net.parameters()).lr(0.1f).build()).epochs(1)
                .unit("words").output(new PrintStream(bytes, true, StandardCharsets.UTF_8), false).build()
                .fit(DataLoader.builder(blobs(64, 4)).batchSize(8).build(), null);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(4, text.lines().filter(line -> line.endsWith(" words/s")).count(), text);
    }

    @Test
    void onATerminalOneLineIsRedrawn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, "epoch 2/5", 4);
        bar.update(2, 1.0, 0.5, 64);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("\repoch 2/5 [==========>         ] 2/4 loss 1.0000"),
                bytes.toString(StandardCharsets.UTF_8));
    }
}
