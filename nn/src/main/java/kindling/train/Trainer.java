package kindling.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.data.Batch;
import kindling.data.Batches;
import kindling.data.DataLoader;
import kindling.io.SafeTensors;
import kindling.nn.Loss;
import kindling.nn.Module;
import kindling.optim.LRScheduler;
import kindling.optim.Optimizer;
import kindling.optim.ParamGroup;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The training loop for a classifier, as d2l's {@code train_ch6}: for each epoch, one pass over the
 * training batches (forward, loss, backward, optimizer step), then the loss and accuracy on the
 * validation batches, a line of {@link History}, a scheduler step and, if asked, a checkpoint.
 * <pre>
 *   Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), SGD.builder(model.parameters()).lr(0.9f).build())
 *           .epochs(10).checkpoints(Path.of("checkpoints/lenet")).build();
 *   History history = trainer.fit(trainLoader, testLoader);
 * </pre>
 * The whole loop is {@link #fit} and {@link #trainOneEpoch}: read them top to bottom.
 *
 * <p><b>Checkpoints</b> are one safetensors file per run ({@code checkpoint.safetensors}: the model's
 * state dict under {@code model.}, the optimizer's under {@code optimizer.}; in its metadata the
 * epoch, the history, the global generator's state, the state of every generator the model's
 * modules own ({@link Module#namedGenerators()}, a {@code Dropout} given its own) and of every one given
 * to {@link Builder#generator} (a transform's), replaced
 * atomically after every epoch, so a crash leaves the previous epoch's file. {@link #resume}
 * continues a run from it; with a {@link DataLoader} the shuffling continues where it was, and
 * dropout draws again what it would have drawn, so an interrupted and resumed run ends with the same
 * weights as one that never stopped.
 */
public final class Trainer {
    /** Loss and accuracy over a data set. */
    public record Evaluation(double loss, double accuracy) {
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final int epochs;
    private final Path checkpointDir;
    private final PrintStream out;
    private final boolean redraw;
    private final String unit;
    private final String validationName;
    /** Generators outside the model whose states the checkpoints keep, by name ({@link Builder#generator}). */
    private final Map<String, Generator> generators;
    private History history = new History();

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.scheduler = b.scheduler;
        this.epochs = b.epochs;
        this.checkpointDir = b.checkpointDir;
        this.out = b.out;
        this.redraw = b.redraw;
        this.unit = b.unit;
        this.validationName = b.validationName;
        this.generators = new LinkedHashMap<>(b.generators);
    }

    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /** Trains until {@code epochs} epochs are complete (counting any resumed ones) and returns the history. */
    public History fit(Batches train, Batches validation) throws IOException {
        for (int epoch = history.epochs().size() + 1; epoch <= epochs; epoch++) {
            if (train instanceof DataLoader loader) {
                loader.setEpoch(epoch - 1);
            }
            long start = System.nanoTime();
            EpochTotals trained = trainOneEpoch(train, "epoch " + epoch + "/" + epochs);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation checked = validation == null ? new Evaluation(Double.NaN, Double.NaN) : evaluate(model, loss, validation);
            if (scheduler != null) {
                scheduler.step();
            }
            history.add(new History.Epoch(epoch, trained.meanLoss(), trained.accuracy(), checked.loss(),
                    checked.accuracy(), seconds, trained.images() / seconds));
            String evaluated = validation == null ? ""       // nothing evaluated: say nothing rather than NaN
                    : String.format(", %s loss %.4f, %s acc %.4f", validationName, checked.loss(),
                            validationName, checked.accuracy());
            out.printf("epoch %d/%d: train loss %.4f, train acc %.4f%s, %.1f s%n",
                    epoch, epochs, trained.meanLoss(), trained.accuracy(), evaluated, seconds);
            if (checkpointDir != null) {
                saveCheckpoint();
            }
        }
        return history;
    }

    /** What one pass over the training batches gives: the mean loss, the accuracy, and how many images. */
    private record EpochTotals(double meanLoss, double accuracy, long images) {
    }

    /** One pass over {@code train}: forward, loss, backward and a step per batch. */
    private EpochTotals trainOneEpoch(Batches train, String label) {
        model.train();
        ProgressBar bar = new ProgressBar(out, redraw, label, train.numBatches(), unit);
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        int done = 0;
        for (Batch batch : train) {
            Tensor logits = model.forward(batch.inputs());
            Tensor batchLoss = loss.forward(logits, batch.targets());
            optimizer.zeroGrad();
            batchLoss.backward();
            optimizer.step();
            lossSum += batchLoss.item() * batch.size();
            correct += countCorrect(logits, batch.targets());
            images += batch.size();
            bar.update(++done, lossSum / images, (double) correct / images, images);
        }
        return new EpochTotals(lossSum / Math.max(images, 1), (double) correct / Math.max(images, 1), images);
    }

    /** The mean loss and the accuracy of {@code model} on {@code data}, in eval mode without gradients. */
    public static Evaluation evaluate(Module model, Loss loss, Batches data) {
        // Each module's flag is put back, so a frozen base kept in eval mode stays so.
        Map<String, Boolean> modes = model.trainingModes();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch batch : data) {
                Tensor logits = model.forward(batch.inputs());
                lossSum += loss.forward(logits, batch.targets()).item() * batch.size();
                correct += countCorrect(logits, batch.targets());
                images += batch.size();
            }
        } finally {
            model.restoreTrainingModes(modes);
        }
        return new Evaluation(lossSum / Math.max(images, 1), (double) correct / Math.max(images, 1));
    }

    /**
     * How many rows of {@code logits} (N, classes) have their largest value at the target class; with
     * class-probability targets (N, classes), at the target's most likely class.
     */
    public static long countCorrect(Tensor logits, Tensor targets) {
        float[] predicted = logits.argmax(1, false).toArray();
        float[] expected = targets.dim() == logits.dim() ? targets.argmax(1, false).toArray() : targets.toArray();
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == expected[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The checkpoint file of this run, in the checkpoint directory. */
    public Path checkpointFile() {
        return checkpointDir.resolve("checkpoint.safetensors");
    }

    private void saveCheckpoint() throws IOException {
        Files.createDirectories(checkpointDir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((key, value) -> tensors.put("model." + key, value));
        optimizer.stateDict().forEach((key, value) -> tensors.put("optimizer." + key, value));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", Integer.toString(history.epochs().size()));
        metadata.put("history", history.serialize());
        metadata.put("global_generator", stateText(Generator.global()));
        checkpointedGenerators().forEach((key, generator) -> metadata.put(key, stateText(generator)));
        SafeTensors.save(tensors, metadata, checkpointFile());
    }

    /**
     * The generators a checkpoint keeps besides the global one, by metadata key: the model's own under
     * the module's path, as its tensors ("model.2.generator" is the generator of the Dropout at index
     * 2), and the named ones under "generator.name". Metadata, not tensors, so the model part of the
     * file still loads in PyTorch.
     */
    private Map<String, Generator> checkpointedGenerators() {
        Map<String, Generator> keyed = new LinkedHashMap<>();
        model.namedGenerators().forEach((path, generator) -> keyed.put("model." + path, generator));
        generators.forEach((name, generator) -> keyed.put("generator." + name, generator));
        return keyed;
    }

    /** A generator's {@link Generator#getState()} as two hexadecimal numbers. */
    private static String stateText(Generator generator) {
        long[] state = generator.getState();
        return Long.toHexString(state[0]) + " " + Long.toHexString(state[1]);
    }

    /**
     * Restores the model, the optimizer, the scheduler's position and the history from this run's
     * checkpoint, if there is one, so that {@link #fit} continues after the last completed epoch.
     * Returns the number of completed epochs (0 when there is no checkpoint).
     *
     * <p>The generators' states are put back last: the global generator's, each of the model's own
     * ({@link Module#namedGenerators()}, by path) and each one given to {@link Builder#generator} (by its
     * name), so dropout, crops and flips draw what the uninterrupted run drew. A
     * generator the checkpoint has no state for (a checkpoint written before generators were saved, or
     * a Dropout that had none of its own then) is left as it is: the run resumes, but its masks differ
     * from the uninterrupted run's. A saved state the model has no generator for is ignored.
     *
     * <p>All or nothing: either all four change, or, when anything in the checkpoint is missing,
     * garbled or does not fit (a model of another shape, an optimizer with another momentum), a
     * {@link CheckpointException} names the file and the problem and none of them has changed.
     */
    public int resume() throws IOException {
        Path file = checkpointFile();
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        Map<String, Tensor> tensors = SafeTensors.load(file);
        Map<String, String> metadata = SafeTensors.metadata(file);
        History saved = savedHistory(file, metadata);
        long[] random = savedGeneratorState(file, metadata, "global_generator");
        Map<Generator, long[]> ownRandom = new IdentityHashMap<>();
        for (Map.Entry<String, Generator> entry : checkpointedGenerators().entrySet()) {
            long[] state = savedGeneratorState(file, metadata, entry.getKey());
            if (state != null) {
                ownRandom.put(entry.getValue(), state);
            }
        }
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        tensors.forEach((key, value) -> {
            if (key.startsWith("model.")) {
                modelState.put(key.substring("model.".length()), value);
            } else if (key.startsWith("optimizer.")) {
                optimizerState.put(key.substring("optimizer.".length()), value);
            }
        });
        // What to put back if anything fails: copies of the model's values (its state dict shares
        // storage with it) and the optimizer's own state dict, which it can always load again.
        // Both are used only through the public state-dict methods, whatever their layout.
        Map<String, Tensor> modelBefore = new LinkedHashMap<>();
        model.stateDict().forEach((key, value) -> modelBefore.put(key, value.copy()));
        Map<String, Tensor> optimizerBefore = optimizer.stateDict();
        List<Float> lrsBefore = groupLrs();
        try {
            // Each load checks everything before it changes anything, so these two are also the
            // checks; only a failure of the second leaves something (the model) to put back.
            model.loadStateDict(modelState);
            optimizer.loadStateDict(optimizerState);
            if (scheduler != null) {
                // The scheduler catches up from the lr the run started with, as it did in the
                // interrupted run; then each group gets back the lr the checkpoint holds, so the
                // lr is the one the run had, whatever the schedule's rule. A scheduler changes
                // only the lrs, so they are all that has to be set aside and put back.
                List<Float> lrsLoaded = groupLrs();
                setGroupLrs(lrsBefore);
                for (int i = 0; i < saved.epochs().size(); i++) {
                    scheduler.step();
                }
                setGroupLrs(lrsLoaded);
            }
        } catch (RuntimeException e) {
            model.loadStateDict(modelBefore);
            optimizer.loadStateDict(optimizerBefore);
            throw new CheckpointException(file, "cannot resume: " + e.getMessage()
                    + "\nNothing was changed: the model, optimizer, scheduler and history are as they were.", e);
        }
        history = saved;
        if (random != null) {
            Generator.global().setState(random);
        }
        ownRandom.forEach(Generator::setState);
        return history.epochs().size();
    }

    /**
     * A generator's state when the checkpoint was saved (the global one's under
     * {@code global_generator}, a module's own under {@code model.<path>}, a named one under
     * {@code generator.<name>}), so dropout (and any other draw from it) continues as in the
     * uninterrupted run; null in a checkpoint without it.
     */
    private static long[] savedGeneratorState(Path file, Map<String, String> metadata, String key)
            throws CheckpointException {
        String text = metadata.get(key);
        if (text == null) {
            return null;
        }
        String[] words = text.trim().split(" ");
        try {
            if (words.length != 2) {
                throw new NumberFormatException("expected two hexadecimal numbers");
            }
            return new long[] {Long.parseUnsignedLong(words[0], 16), Long.parseUnsignedLong(words[1], 16)};
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "cannot resume: garbled " + key + " metadata '" + text
                    + "': " + e.getMessage(), e);
        }
    }

    /** Each parameter group's lr, in order. */
    private List<Float> groupLrs() {
        List<Float> lrs = new ArrayList<>();
        for (ParamGroup group : optimizer.paramGroups()) {
            lrs.add(group.lr());
        }
        return lrs;
    }

    /** Sets each parameter group's lr to the one at its index in {@code lrs}. */
    private void setGroupLrs(List<Float> lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(lrs.get(g));
        }
    }

    /** The history in a checkpoint's metadata, checked against its epoch count. */
    private static History savedHistory(Path file, Map<String, String> metadata) throws CheckpointException {
        String text = metadata.get("history");
        String epoch = metadata.get("epoch");
        if (text == null || epoch == null) {
            throw new CheckpointException(file, "cannot resume: the metadata has no '" + (text == null ? "history" : "epoch")
                    + "' entry; a Trainer checkpoint holds 'epoch' and 'history' (is this a model file saved with "
                    + "Module.save? load it with Module.load instead)");
        }
        History saved;
        try {
            saved = History.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "cannot resume: garbled history metadata: " + e.getMessage(), e);
        }
        if (!epoch.equals(Integer.toString(saved.epochs().size()))) {
            throw new CheckpointException(file, "cannot resume: the metadata says epoch '" + epoch + "' but its history has "
                    + saved.epochs().size() + " epochs");
        }
        return saved;
    }

    /** Options for a {@link Trainer}. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer optimizer;
        private LRScheduler scheduler;
        private int epochs = 10;
        private Path checkpointDir;
        private PrintStream out = System.out;
        private boolean redraw = ProgressBar.onTerminal();
        private String unit = "img";
        private String validationName = "val";
        private final Map<String, Generator> generators = new LinkedHashMap<>();

        private Builder(Module model, Loss loss, Optimizer optimizer) {
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
        }

        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 1, got " + n);
            }
            epochs = n;
            return this;
        }

        /** Stepped once at the end of every epoch. */
        public Builder scheduler(LRScheduler s) {
            scheduler = s;
            return this;
        }

        /** Write {@code checkpoint.safetensors} into this directory after every epoch. */
        public Builder checkpoints(Path directory) {
            checkpointDir = directory;
            return this;
        }

        /** Where progress goes, and whether it redraws one line (a terminal) or prints plain lines. */
        public Builder output(PrintStream stream, boolean redrawOneLine) {
            out = stream;
            redraw = redrawOneLine;
            return this;
        }

        /**
         * What one example of the data is, for the progress bar's rate ({@code "img"} by default,
         * {@code "words"}, {@code "seq"}, ...): the bar shows {@code unit/s}.
         */
        public Builder unit(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Trainer: unit must name what one example is, got '" + name + "'");
            }
            unit = name;
            return this;
        }

        /**
         * What the epoch lines call the data {@link #fit} evaluates on: "val" (the default) for a
         * validation set, "test" when it is the test set, as in d2l's {@code train_ch6}.
         */
        public Builder validationName(String name) {
            validationName = name;
            return this;
        }

        /**
         * A generator the run draws from outside the model, such as the one a {@code RandomCrop} or
         * {@code RandomHorizontalFlip} was given: every checkpoint keeps its state under
         * {@code generator.<name>}, and {@link Trainer#resume} puts it back, so an augmented run resumes
         * with the crops and flips the uninterrupted run would have drawn. (The model's own generators
         * and the global one are kept without being named here.)
         *
         * @throws IllegalArgumentException if the name is blank or already given, or the generator is null
         */
        public Builder generator(String name, Generator generator) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Trainer.Builder.generator: the name must not be blank, got '" + name + "'");
            }
            if (generator == null) {
                throw new IllegalArgumentException("Trainer.Builder.generator: generator '" + name + "' is null");
            }
            if (generators.containsKey(name)) {
                throw new IllegalArgumentException("Trainer.Builder.generator: a generator named '" + name
                        + "' was already given; each needs its own name in the checkpoint");
            }
            generators.put(name, generator);
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
