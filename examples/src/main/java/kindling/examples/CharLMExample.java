package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import kindling.autograd.NoGrad;
import kindling.examples.charts.Charts;
import kindling.examples.models.CharLM;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.RNNOutput;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.GradClip;
import kindling.optim.Optimizer;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;
import kindling.train.ProgressBar;

/**
 * A character-level language model learns English words and makes up new ones (the dinosaur-names
 * exercise of the deep learning specialisation's sequence models course, on 8,000 English words).
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="charlm"                   # LSTM, 10 epochs
 *   mvn -q compile exec:java -Dexec.args="charlm --cell gru"
 *   mvn -q compile exec:java -Dexec.args="charlm --proj-size 64"   # LSTM whose 128-unit state is projected to 64
 *   mvn -q compile exec:java -Dexec.args="charlm --max-norm 1"      # letter vectors at most 1 long
 *   mvn -q compile exec:java -Dexec.args="charlm --help"   # every option with its default
 * </pre>
 * Each epoch: shuffle the training words (seeded), for each batch compute the cross-entropy of every
 * next letter, backpropagate through time, clip the gradient norm to {@code --clip} (recurrent nets
 * can have exploding gradients), take an Adam step. After it: the validation loss on 10% of the
 * words held out, and words sampled at temperatures 0.5, 1 and 1.5 with the same seed every epoch,
 * so the change from epoch to epoch is the model's. Writes the loss curves to {@code charts/charlm/}.
 */
public final class CharLMExample {
    static final double[] TEMPERATURES = {0.5, 1.0, 1.5};

    private CharLMExample() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("charlm", "A character-level LSTM/GRU language model learns English words "
                        + "and makes up new ones.")
                .choice("cell", "the recurrent cell", "lstm", "gru")
                .integer("epochs", 10, "passes over the training words")
                .integer("batch-size", 32, "words per optimizer step")
                .integer("hidden", 128, "hidden state size")
                .integer("proj-size", 0, "LSTM only: project the hidden state to this many features (0: no projection)")
                .integer("embedding", 16, "letter embedding size")
                .number("lr", 0.005, "Adam learning rate")
                .number("clip", 1.0, "largest gradient norm; larger gradients are scaled down to it")
                .number("max-norm", "longest a letter vector may be (Embedding's maxNorm)").byDefault("no limit")
                .threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        String cell = options.choice("cell");
        int epochs = options.getInt("epochs");
        int batchSize = options.getInt("batch-size");
        int hidden = options.getInt("hidden");
        int projSize = options.getInt("proj-size");
        int embedding = options.getInt("embedding");
        float lr = (float) options.getDouble("lr");
        float clip = (float) options.getDouble("clip");
        double maxNorm = options.getDouble("max-norm", Double.NaN);
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(seed);

        List<String> words = Words.load();
        List<String> shuffled = new ArrayList<>(words);
        Collections.shuffle(shuffled, new Random(seed));
        int validationSize = shuffled.size() / 10;
        List<String> validation = shuffled.subList(0, validationSize);
        List<String> train = shuffled.subList(validationSize, shuffled.size());
        System.out.printf("Data: %,d words from Debian's wamerican (%,d to train, %,d held out), e.g. %s%n",
                words.size(), train.size(), validation.size(), train.subList(0, 5));

        CharLM model = new CharLM(cell, embedding, hidden, projSize, maxNorm);
        System.out.println("\nCharLM (" + cell + "):\n" + model);
        System.out.println("\nShape trace, as d2l prints it:");
        shapeTrace(model, System.out);
        System.out.println("\n" + Summary.of(model, 1, 8));

        Optimizer optimizer = Adam.builder(model.parameters()).lr(lr).build();
        System.out.printf("Training %d epochs, batch %d, Adam lr %s, gradient norm clipped to %s, %d thread(s)%n",
                epochs, batchSize, lr, clip, Threads.get());
        // The letter vectors start as N(0, 1) rows, about √E long, and training is free to stretch them;
        // with --max-norm each forward first scales down, in place, every picked row that is longer.
        System.out.printf("Longest letter vector ‖W[v]‖₂ before training: %.3f%s%n",
                largestRowNorm(model.embedding.weight), Double.isNaN(maxNorm) ? " (no --max-norm)"
                        : " (--max-norm " + maxNorm + ": rows are scaled down at their next use)");
        Set<String> known = new HashSet<>(words);
        double[] trainLoss = new double[epochs];
        double[] validationLoss = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            long start = System.nanoTime();
            String label = String.format("epoch %d/%d", epoch + 1, epochs);
            trainLoss[epoch] = trainEpoch(model, optimizer, train, batchSize, clip, new Random(seed + 1 + epoch),
                    new ProgressBar(System.out, ProgressBar.onTerminal(), label, (train.size() + batchSize - 1) / batchSize,
                            "words"));
            validationLoss[epoch] = evaluate(model, validation, 256);
            System.out.printf("%s: train loss %.4f, validation loss %.4f (nats per letter), %.1f s%n", label,
                    trainLoss[epoch], validationLoss[epoch], (System.nanoTime() - start) / 1e9);
            printSamples(model, seed, known, System.out);
        }
        System.out.printf("Longest letter vector ‖W[v]‖₂ after training: %.3f%s%n", largestRowNorm(model.embedding.weight),
                Double.isNaN(maxNorm) ? "" : " (the last Adam step may stretch a row past " + maxNorm
                        + " again; its next lookup cuts it back)");
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train loss", trainLoss);
        series.put("validation loss", validationLoss);
        Path chart = Charts.lines("Character LM (" + cell + ") on " + words.size() + " English words", "epoch",
                "cross-entropy (nats per letter)", series, Path.of("charts", "charlm", "charlm-" + cell + ".png"));
        System.out.println("Loss curves: " + chart.toAbsolutePath());
    }

    /** The largest Euclidean length of a row of {@code table} (V, D). */
    static double largestRowNorm(Tensor table) {
        float[] w = table.toArray();
        int width = table.size(1);
        double largest = 0;
        for (int row = 0; row < table.size(0); row++) {
            double squares = 0;
            for (int j = 0; j < width; j++) {
                squares += (double) w[row * width + j] * w[row * width + j];
            }
            largest = Math.max(largest, Math.sqrt(squares));
        }
        return largest;
    }

    /**
     * One pass over {@code words} in a shuffled order: for each batch, loss, backward through time,
     * gradient-norm clipping and an optimizer step. Returns the mean loss per letter over the epoch.
     */
    static double trainEpoch(CharLM model, Optimizer optimizer, List<String> words, int batchSize, float clip,
                             Random order, ProgressBar progress) {
        model.train();
        List<String> shuffled = new ArrayList<>(words);
        Collections.shuffle(shuffled, order);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        double lossSum = 0;
        double correct = 0;
        long letters = 0;
        int batches = (shuffled.size() + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++) {
            List<String> slice = shuffled.subList(b * batchSize, Math.min(shuffled.size(), (b + 1) * batchSize));
            Words.Batch batch = Words.encode(slice);
            Tensor logits = model.forward(batch.inputs()).reshape(-1, CharLM.VOCAB);      // (N·L, 27)
            Tensor targets = batch.targets().reshape(-1);                                  // (N·L)
            Tensor loss = criterion.forward(logits, targets);
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipGradNorm(model.parameters(), clip);
            optimizer.step();
            long counted = countLetters(targets);
            lossSum += loss.item() * counted;
            correct += countCorrect(logits, targets);
            letters += counted;
            if (progress != null) {
                progress.update(b + 1, lossSum / letters, correct / letters, (long) (b + 1) * batchSize);
            }
        }
        return lossSum / letters;
    }

    /** The mean cross-entropy per letter (end token included) over {@code words}, in eval mode without gradients. */
    static double evaluate(CharLM model, List<String> words, int batchSize) {
        model.eval();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        double lossSum = 0;
        long letters = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < words.size(); start += batchSize) {
                Words.Batch batch = Words.encode(words.subList(start, Math.min(words.size(), start + batchSize)));
                Tensor targets = batch.targets().reshape(-1);
                long counted = countLetters(targets);
                lossSum += criterion.forward(model.forward(batch.inputs()).reshape(-1, CharLM.VOCAB), targets).item() * counted;
                letters += counted;
            }
        } finally {
            model.train();
        }
        return lossSum / letters;
    }

    private static long countLetters(Tensor targets) {
        return (long) targets.ne(Words.IGNORE).sum().item();
    }

    private static double countCorrect(Tensor logits, Tensor targets) {
        return logits.argmax(1).eq(targets).sum().item();
    }

    /** Eight words at each temperature, drawn with the same seed every epoch; '*' marks words of the list. */
    static void printSamples(CharLM model, int seed, Set<String> known, PrintStream out) {
        try (NoGrad ignored = NoGrad.enter()) {
            for (double temperature : TEMPERATURES) {
                Generator generator = new Generator(seed + 1000);
                StringBuilder line = new StringBuilder(String.format("  T=%.1f:", temperature));
                for (int i = 0; i < 8; i++) {
                    String word = model.sample(generator, temperature, 20);
                    line.append(' ').append(word).append(known.contains(word) ? "*" : "");
                }
                out.println(line);
            }
        }
    }

    /**
     * The layer-by-layer trace of a batch of one 8-letter word, then the LSTM's (or GRU's) own shapes
     * as d2l prints them for {@code Y, state = rnn_layer(X, state)}.
     */
    static void shapeTrace(CharLM model, PrintStream out) {
        Summary.traceShapes(model, Tensor.zeros(1, 8), out);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor x = Tensor.zeros(2, 8, model.embedding.embeddingDim());
            RNNOutput r = model.rnn instanceof kindling.nn.LSTM lstm ? lstm.forward(x, null, null)
                    : ((kindling.nn.GRU) model.rnn).forward(x, null);
            out.println("X.shape " + Shape.format(x.shape()) + "  (N, L, E) with batch_first");
            out.println("Y.shape " + Shape.format(r.output().shape()) + (model.rnn.projSize() > 0
                    ? "  (N, L, P): the hidden state projected to projSize features" : "  (N, L, H)"));
            out.println("h_n.shape " + Shape.format(r.hN().shape()) + (model.rnn.projSize() > 0 ? "  (num_layers, N, P)" : "  (num_layers, N, H)"));
            if (r.cN() != null) {
                out.println("c_n.shape " + Shape.format(r.cN().shape()) + "  (num_layers, N, H)");
            }
        }
    }
}
