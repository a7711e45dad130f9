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
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.TensorDataset;
import kindling.io.SafeTensors;
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

/** {@link Trainer#resume} is all or nothing, and a checkpoint it cannot use is named with what is wrong. */
class ResumeTest {
    @TempDir
    Path dir;

    private static TensorDataset data() {
        Generator g = new Generator(5);
        return new TensorDataset(Tensor.randn(g, 48, 2), Tensor.randint(g, 0, 2, 48));
    }

    private static Sequential model(long seed, int hidden) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, 2));
    }

    /** A trainer whose SGD has {@code momentum} and whose StepLR multiplies lr by 0.1 every epoch. */
    private record Run(Sequential model, SGD sgd, StepLR scheduler, Trainer trainer) {
        static Run of(Sequential model, float momentum, Path checkpoints) {
            SGD sgd = SGD.builder(model.parameters()).lr(0.1f).momentum(momentum).build();
            StepLR scheduler = new StepLR(sgd, 1, 0.1f);
            Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), sgd).epochs(3).scheduler(scheduler)
                    .checkpoints(checkpoints).output(new PrintStream(new ByteArrayOutputStream(), true,
                            StandardCharsets.UTF_8), false).build();
            return new Run(model, sgd, scheduler, trainer);
        }

        /** Everything resume may change, as copies: weights, optimizer state dict, scheduler position. */
        Map<String, float[]> snapshot() {
            Map<String, float[]> all = new LinkedHashMap<>();
            model.stateDict().forEach((key, value) -> all.put("model." + key, value.toArray()));
            sgd.stateDict().forEach((key, value) -> all.put("optimizer." + key, value.toArray()));
            all.put("scheduler.lastEpoch", new float[] {scheduler.lastEpoch()});
            all.put("scheduler.lastLr", new float[] {scheduler.getLastLr()});
            return all;
        }
    }

    private static void assertUnchanged(Map<String, float[]> before, Map<String, float[]> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((key, value) -> assertArrayEquals(value, after.get(key), key + " changed"));
    }

    /** Trains two epochs with momentum 0.9 and leaves the checkpoint in {@code dir/run}. */
    private Path checkpointAfterTwoEpochs() throws IOException {
        Run first = Run.of(model(1, 4), 0.9f, dir.resolve("run"));
        Trainer twoEpochs = Trainer.builder(first.model(), new CrossEntropyLoss(), first.sgd()).epochs(2)
                .scheduler(first.scheduler()).checkpoints(dir.resolve("run"))
                .output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false).build();
        twoEpochs.fit(DataLoader.builder(data()).batchSize(16).build(), null);
        return twoEpochs.checkpointFile();
    }

    @Test
    void anOptimizerThatDoesNotFitChangesNothingAtAll() throws IOException {
        Path file = checkpointAfterTwoEpochs();
        Run other = Run.of(model(2, 4), 0.5f, dir.resolve("run"));       // momentum 0.5, not the checkpoint's 0.9
        Map<String, float[]> before = other.snapshot();
        CheckpointException e = assertThrows(CheckpointException.class, () -> other.trainer().resume());
        assertTrue(e.getMessage().startsWith(file + ": cannot resume: "), e.getMessage());
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
        assertUnchanged(before, other.snapshot());
        assertEquals(0.1f, other.sgd().getLr());
        // And fit starts from epoch 1 on the model's own weights: the history did not change either.
        History history = other.trainer().fit(DataLoader.builder(data()).batchSize(16).build(), null);
        assertEquals(3, history.epochs().size());
    }

    @Test
    void aModelOfAnotherShapeChangesNothingAtAll() throws IOException {
        Path file = checkpointAfterTwoEpochs();
        Run other = Run.of(model(2, 5), 0.9f, dir.resolve("run"));
        Map<String, float[]> before = other.snapshot();
        CheckpointException e = assertThrows(CheckpointException.class, () -> other.trainer().resume());
        assertTrue(e.getMessage().startsWith(file + ": cannot resume: "), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatch"), e.getMessage());
        assertUnchanged(before, other.snapshot());
    }

    @Test
    void aFittingCheckpointRestoresAllFour() throws IOException {
        checkpointAfterTwoEpochs();
        Run again = Run.of(model(3, 4), 0.9f, dir.resolve("run"));
        assertEquals(2, again.trainer().resume());
        assertEquals(2, again.scheduler().lastEpoch());
        assertEquals(0.1f * 0.1f * 0.1f, again.scheduler().getLastLr(), 1e-9f);
        assertEquals(again.scheduler().getLastLr(), again.sgd().getLr());
        assertTrue(!again.sgd().state(again.model().parameters().get(0)).isEmpty(), "momentum buffers restored");
    }

    @Test
    void aCheckpointWithoutGeneratorStateStillResumesAndLeavesTheGeneratorAlone() throws IOException {
        // Checkpoints written before the generator's state was saved: everything else is restored.
        Path file = checkpointAfterTwoEpochs();
        Map<String, String> metadata = new LinkedHashMap<>(SafeTensors.metadata(file));
        String saved = metadata.remove("global_generator");
        assertTrue(saved != null, "a new checkpoint holds the global generator's state");
        withMetadata(file, metadata);
        Generator.manualSeed(11);
        long[] before = Generator.global().getState();
        Run again = Run.of(model(3, 4), 0.9f, dir.resolve("run"));
        long[] afterModel = Generator.global().getState();
        assertEquals(2, again.trainer().resume());
        assertArrayEquals(afterModel, Generator.global().getState());
        assertFalse(java.util.Arrays.equals(before, afterModel), "building the model drew from the generator");
    }

    @Test
    void resumePutsBackTheGeneratorStateTheCheckpointHolds() throws IOException {
        Path file = checkpointAfterTwoEpochs();
        String[] words = SafeTensors.metadata(file).get("global_generator").split(" ");
        Generator.manualSeed(12345);
        Run again = Run.of(model(3, 4), 0.9f, dir.resolve("run"));
        assertEquals(2, again.trainer().resume());
        assertArrayEquals(new long[] {Long.parseUnsignedLong(words[0], 16), Long.parseUnsignedLong(words[1], 16)},
                Generator.global().getState());
    }

    @Test
    void theLrIsTheCheckpointsEvenWhereTheScheduleWouldGiveAnother() throws IOException {
        // As when the lr was changed by hand during the run: the scheduler still catches up two
        // epochs, but the optimizer ends with the checkpoint's lr and state, value for value.
        Path file = checkpointAfterTwoEpochs();
        Map<String, Tensor> tensors = SafeTensors.load(file);
        tensors.put("optimizer.param_groups.0.lr", Tensor.scalar(0.0123f));
        SafeTensors.save(tensors, SafeTensors.metadata(file), file);
        Run again = Run.of(model(3, 4), 0.9f, dir.resolve("run"));
        assertEquals(2, again.trainer().resume());
        assertEquals(2, again.scheduler().lastEpoch());
        assertEquals(0.1f * 0.1f * 0.1f, again.scheduler().getLastLr(), 1e-9f);
        assertEquals(0.0123f, again.sgd().getLr());
        Map<String, Tensor> loaded = again.sgd().stateDict();
        tensors.forEach((key, value) -> {
            if (key.startsWith("optimizer.")) {
                assertArrayEquals(value.toArray(), loaded.get(key.substring("optimizer.".length())).toArray(), key);
            }
        });
        assertEquals(tensors.keySet().stream().filter(key -> key.startsWith("optimizer.")).count(), loaded.size());
    }

    /** The checkpoint's tensors re-saved with {@code metadata} instead of the trainer's. */
    private Path withMetadata(Path file, Map<String, String> metadata) throws IOException {
        SafeTensors.save(SafeTensors.load(file), metadata, file);
        return file;
    }

    @Test
    void aCheckpointWithoutHistoryNamesTheFileAndWhatIsMissing() throws IOException {
        Path file = withMetadata(checkpointAfterTwoEpochs(), Map.of());
        Run other = Run.of(model(2, 4), 0.9f, dir.resolve("run"));
        Map<String, float[]> before = other.snapshot();
        CheckpointException e = assertThrows(CheckpointException.class, () -> other.trainer().resume());
        assertTrue(e.getMessage().startsWith(file + ": cannot resume: the metadata has no 'history' entry"),
                e.getMessage());
        assertEquals(file, e.file());
        assertUnchanged(before, other.snapshot());
    }

    @Test
    void garbledHistoryNamesTheFileAndTheLine() throws IOException {
        Path file = checkpointAfterTwoEpochs();
        String history = SafeTensors.metadata(file).get("history");
        Run other = Run.of(model(2, 4), 0.9f, dir.resolve("run"));
        Map<String, float[]> before = other.snapshot();

        withMetadata(file, Map.of("epoch", "2", "history", history.replaceFirst(" ", " abc ")));
        assertTrue(assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage()
                .startsWith(file + ": cannot resume: garbled history metadata: history line 1 has 8 fields"));
        withMetadata(file, Map.of("epoch", "2", "history", history.replace("\n2 ", "\nx ")));
        assertTrue(assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage()
                .startsWith(file + ": cannot resume: garbled history metadata: history line 2 is not seven numbers"));
        withMetadata(file, Map.of("epoch", "3", "history", history));
        assertEquals(file + ": cannot resume: the metadata says epoch '3' but its history has 2 epochs",
                assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage());
        withMetadata(file, Map.of("history", history));
        assertTrue(assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage()
                .startsWith(file + ": cannot resume: the metadata has no 'epoch' entry"));
        assertUnchanged(before, other.snapshot());
    }

    @Test
    void garbledGeneratorStateNamesTheFileAndChangesNothing() throws IOException {
        Path file = checkpointAfterTwoEpochs();
        String history = SafeTensors.metadata(file).get("history");
        Run other = Run.of(model(2, 4), 0.9f, dir.resolve("run"));
        Map<String, float[]> before = other.snapshot();
        long[] generatorBefore = Generator.global().getState();

        withMetadata(file, Map.of("epoch", "2", "history", history, "global_generator", "12ab"));
        assertEquals(file + ": cannot resume: garbled global_generator metadata '12ab': expected two hexadecimal numbers",
                assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage());
        withMetadata(file, Map.of("epoch", "2", "history", history, "global_generator", "12ab xyz"));
        assertTrue(assertThrows(CheckpointException.class, () -> other.trainer().resume()).getMessage()
                .startsWith(file + ": cannot resume: garbled global_generator metadata '12ab xyz'"));
        assertUnchanged(before, other.snapshot());
        assertArrayEquals(generatorBefore, Generator.global().getState());
    }

    /** A model whose Dropout (at index 2) draws from {@code generator}, with a quiet trainer for {@code epochs}. */
    private static Trainer dropoutTrainer(Generator generator, int epochs, Path checkpoints) {
        Generator.manualSeed(1);
        Sequential net = new Sequential(new Linear(2, 4), new ReLU(), new Dropout(0.5, generator), new Linear(4, 2));
        return Trainer.builder(net, new CrossEntropyLoss(), SGD.builder(net.parameters()).lr(0.1f).build()).epochs(epochs)
                .checkpoints(checkpoints).output(new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), false).build();
    }

    @Test
    void aDropoutsOwnGeneratorIsSavedUnderItsPathAndPutBack() throws IOException {
        Generator own = new Generator(21);
        Trainer first = dropoutTrainer(own, 2, dir.resolve("own"));
        first.fit(DataLoader.builder(data()).batchSize(16).build(), null);
        long[] atSave = own.getState();
        assertEquals(Long.toHexString(atSave[0]) + " " + Long.toHexString(atSave[1]),
                SafeTensors.metadata(first.checkpointFile()).get("model.2.generator"));

        Generator fresh = new Generator(99);
        assertEquals(2, dropoutTrainer(fresh, 3, dir.resolve("own")).resume());
        assertArrayEquals(atSave, fresh.getState());
    }

    @Test
    void aCheckpointWithoutTheDropoutsGeneratorResumesAndLeavesThatGeneratorAlone() throws IOException {
        Trainer first = dropoutTrainer(new Generator(21), 2, dir.resolve("own"));
        first.fit(DataLoader.builder(data()).batchSize(16).build(), null);
        Map<String, String> metadata = new LinkedHashMap<>(SafeTensors.metadata(first.checkpointFile()));
        assertTrue(metadata.remove("model.2.generator") != null);
        withMetadata(first.checkpointFile(), metadata);

        Generator fresh = new Generator(99);
        long[] before = fresh.getState();
        assertEquals(2, dropoutTrainer(fresh, 3, dir.resolve("own")).resume());
        assertArrayEquals(before, fresh.getState());
    }

    @Test
    void aGarbledDropoutGeneratorStateNamesItsKeyAndChangesNothing() throws IOException {
        Trainer first = dropoutTrainer(new Generator(21), 2, dir.resolve("own"));
        first.fit(DataLoader.builder(data()).batchSize(16).build(), null);
        Path file = first.checkpointFile();
        Map<String, String> metadata = new LinkedHashMap<>(SafeTensors.metadata(file));
        metadata.put("model.2.generator", "12ab");
        withMetadata(file, metadata);

        Generator fresh = new Generator(99);
        long[] before = fresh.getState();
        Trainer again = dropoutTrainer(fresh, 3, dir.resolve("own"));
        Generator.global().nextLong();                 // not the checkpoint's global state: resume must not set it
        long[] globalBefore = Generator.global().getState();
        assertFalse(java.util.Arrays.equals(globalBefore, parseState(SafeTensors.metadata(file).get("global_generator"))));
        assertEquals(file + ": cannot resume: garbled model.2.generator metadata '12ab': expected two hexadecimal numbers",
                assertThrows(CheckpointException.class, again::resume).getMessage());
        assertArrayEquals(before, fresh.getState());
        assertArrayEquals(globalBefore, Generator.global().getState());
    }

    private static long[] parseState(String text) {
        String[] words = text.split(" ");
        return new long[] {Long.parseUnsignedLong(words[0], 16), Long.parseUnsignedLong(words[1], 16)};
    }
}
