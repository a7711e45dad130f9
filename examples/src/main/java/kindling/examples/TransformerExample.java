package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.examples.charts.Charts;
import kindling.examples.charts.HeatMaps;
import kindling.examples.models.DigitTransformer;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.MultiheadAttention;
import kindling.nn.Summary;
import kindling.nn.functional.Attention;
import kindling.nn.functional.AttentionMask;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;
import kindling.train.ProgressBar;

/**
 * A Transformer encoder learns to reverse sequences of 8 to 10 digits: {@code 3 1 4 1 5 9 2 6} →
 * {@code 6 2 9 5 1 4 1 3}, one output digit per position, shorter sequences padded at the end.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="transformer"
 *   mvn -q compile exec:java -Dexec.args="transformer --help"   # every option with its default
 * </pre>
 * First it prints d2l's shape check of multi-head attention (11.5: queries (2, 4, 100), 5 heads →
 * output (2, 4, 100)) step by step. Then it trains {@link DigitTransformer} on freshly drawn batches
 * with Adam, reports the per-token and whole-sequence accuracy on 2,000 new sequences, and writes the
 * loss curve and one attention heat map per head of the last layer to {@code charts/transformer/}.
 *
 * <p>Reversing needs attention: output position i must read input position len − 1 − i, which depends
 * on the sequence's length, so the model has to find the length (the padding mask hides the PAD
 * tokens) and then look at the mirrored position — the heat maps show this anti-diagonal.
 */
public final class TransformerExample {
    static final int MAX_LEN = 10;
    static final int MIN_LEN = 8;

    private TransformerExample() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("transformer", "A Transformer encoder learns to reverse digit sequences; "
                        + "attention heat maps.")
                .integer("steps", 6000, "optimizer steps")
                .integer("batch-size", 64, "sequences per step")
                .number("lr", 0.002, "Adam learning rate")
                .integer("d-model", 32, "model width (embedding size)")
                .integer("heads", 4, "attention heads per layer")
                .integer("layers", 2, "encoder layers")
                .threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        int steps = options.getInt("steps");
        int batchSize = options.getInt("batch-size");
        float lr = (float) options.getDouble("lr");
        int dModel = options.getInt("d-model");
        int heads = options.getInt("heads");
        int layers = options.getInt("layers");
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed"));

        System.out.println("Multi-head attention, d2l 11.5's shape check, step by step:");
        traceMultiHeadAttention(System.out);

        DigitTransformer model = new DigitTransformer(dModel, heads, layers, 0.0);
        System.out.println("\n" + model);
        System.out.println("\n" + Summary.of(model, 1, MAX_LEN));
        System.out.printf("Training %d steps of %d sequences, Adam lr %s, %d thread(s)%n", steps, batchSize, lr,
                Threads.get());
        long start = System.nanoTime();
        double[] losses = train(model, steps, batchSize, lr, new Generator(1), System.out);
        double seconds = (System.nanoTime() - start) / 1e9;
        Accuracy accuracy = evaluate(model, 2000, new Generator(2));
        System.out.printf(Locale.ROOT, "%ntrained in %.0f s; on 2,000 new sequences: per-token accuracy %.4f, "
                + "whole sequences right %.4f%n", seconds, accuracy.perToken(), accuracy.wholeSequences());
        Path dir = Path.of("charts", "transformer");
        Path curve = Charts.lines("Reversing digits: training loss", "training step",
                "cross-entropy (mean of " + LOG_EVERY + " steps)", Map.of("loss", losses), LOG_EVERY,
                dir.resolve("loss.png"));
        System.out.println("Loss curve: " + curve.toAbsolutePath());
        for (Path map : writeHeatMaps(model, layers - 1, dir)) {
            System.out.println("Attention heat map: " + map.toAbsolutePath());
        }
    }

    static final int LOG_EVERY = 10;

    /**
     * A batch of {@code n} digit sequences of length 8..10 padded with PAD: tokens (n, 10) and targets
     * (n, 10), the reversed digits and −100 (CrossEntropyLoss's ignoreIndex) at the padding.
     */
    static Batch reversalBatch(Generator generator, int n) {
        float[] tokens = new float[n * MAX_LEN];
        float[] targets = new float[n * MAX_LEN];
        for (int s = 0; s < n; s++) {
            int length = MIN_LEN + generator.nextInt(MAX_LEN - MIN_LEN + 1);
            for (int i = 0; i < MAX_LEN; i++) {
                tokens[s * MAX_LEN + i] = i < length ? generator.nextInt(10) : DigitTransformer.PAD;
                targets[s * MAX_LEN + i] = -100;
            }
            for (int i = 0; i < length; i++) {
                targets[s * MAX_LEN + i] = tokens[s * MAX_LEN + length - 1 - i];
            }
        }
        return new Batch(Tensor.wrap(tokens, n, MAX_LEN), Tensor.wrap(targets, n, MAX_LEN));
    }

    /** Token sequences (N, L) and the sequences the model should answer (N, L). */
    record Batch(Tensor tokens, Tensor targets) {
    }

    /** How well the model reverses: over the non-padding tokens, and over whole sequences. */
    record Accuracy(double perToken, double wholeSequences) {
    }

    /** Cross-entropy over the non-padding positions of every sequence. */
    static Tensor loss(DigitTransformer model, Tensor tokens, Tensor targets) {
        Tensor scores = model.forward(tokens);                                  // (N, L, 10)
        return new CrossEntropyLoss().forward(scores.reshape(-1, 10), targets.reshape(-1));
    }

    /** Adam on fresh batches; returns the mean loss of every {@link #LOG_EVERY} steps. */
    static double[] train(DigitTransformer model, int steps, int batchSize, float lr, Generator data, PrintStream out) {
        model.train();
        Adam optimizer = Adam.builder(model.parameters()).lr(lr).build();
        ProgressBar progress = out == null ? null : new ProgressBar(out, ProgressBar.onTerminal(), "training", steps);
        double[] curve = new double[steps / LOG_EVERY];
        double sum = 0;
        for (int step = 1; step <= steps; step++) {
            Batch batch = reversalBatch(data, batchSize);
            Tensor loss = loss(model, batch.tokens(), batch.targets());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            sum += loss.item();
            if (step % LOG_EVERY == 0) {
                curve[step / LOG_EVERY - 1] = sum / LOG_EVERY;
                if (progress != null) {
                    progress.update(step, sum / LOG_EVERY, tokenAccuracy(model, batch), (long) step * batchSize);
                }
                sum = 0;
            }
        }
        return curve;
    }

    private static double tokenAccuracy(DigitTransformer model, Batch batch) {
        try (NoGrad ignored = NoGrad.enter()) {
            return accuracy(model.forward(batch.tokens()), batch.targets()).perToken();
        }
    }

    /** The accuracy on {@code n} new sequences. */
    static Accuracy evaluate(DigitTransformer model, int n, Generator generator) {
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            Batch batch = reversalBatch(generator, n);
            return accuracy(model.forward(batch.tokens()), batch.targets());
        }
    }

    private static Accuracy accuracy(Tensor scores, Tensor targets) {
        float[] predicted = scores.argmax(-1).toArray();
        float[] wanted = targets.toArray();
        int tokens = 0;
        int right = 0;
        int sequences = targets.size(0);
        int perfect = 0;
        for (int s = 0; s < sequences; s++) {
            boolean all = true;
            for (int i = 0; i < MAX_LEN; i++) {
                int k = s * MAX_LEN + i;
                if (wanted[k] != -100) {
                    tokens++;
                    boolean ok = predicted[k] == wanted[k];
                    right += ok ? 1 : 0;
                    all &= ok;
                }
            }
            perfect += all ? 1 : 0;
        }
        return new Accuracy((double) right / tokens, (double) perfect / sequences);
    }

    /** One PNG per head: the weights of layer {@code layer} on one sequence of 9 digits. */
    static List<Path> writeHeatMaps(DigitTransformer model, int layer, Path dir) throws IOException {
        model.eval();
        Tensor tokens = Tensor.of(new float[] {3, 1, 4, 1, 5, 9, 2, 6, 5, DigitTransformer.PAD}, 1, MAX_LEN);
        Tensor weights;
        try (NoGrad ignored = NoGrad.enter()) {
            weights = model.attentionWeights(tokens, layer);                   // (1, heads, L, L)
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < MAX_LEN; i++) {
            int t = (int) tokens.get(0, i);
            labels.add(i + ":" + (t == DigitTransformer.PAD ? "_" : "" + t));
        }
        List<Path> files = new ArrayList<>();
        for (int h = 0; h < weights.size(1); h++) {
            double[][] grid = new double[MAX_LEN][MAX_LEN];
            for (int q = 0; q < MAX_LEN; q++) {
                for (int k = 0; k < MAX_LEN; k++) {
                    grid[q][k] = weights.get(0, h, q, k);
                }
            }
            files.add(HeatMaps.heatMap("layer " + layer + ", head " + h + ": attention weights", "key (position:digit)",
                    "query (position:digit)", labels, labels, grid,
                    dir.resolve("attention-layer" + layer + "-head" + h + ".png")));
        }
        return files;
    }

    /**
     * d2l 11.5's check, written out: {@code MultiHeadAttention(100, 5)} with queries X (2, 4, 100) and
     * keys/values Y (2, 6, 100), valid lengths (3, 2); each step prints its shape. The last line is the
     * book's {@code attention(X, Y, Y, valid_lens).shape} (torch.Size([2, 4, 100])): the output of
     * {@link MultiheadAttention#forward} itself, to show the steps are the layer's.
     */
    static Tensor traceMultiHeadAttention(PrintStream out) {
        int numHiddens = 100;
        int numHeads = 5;
        MultiheadAttention attention = MultiheadAttention.builder(numHiddens, numHeads).batchFirst(true).build();
        attention.eval();
        Tensor x = Tensor.ones(2, 4, numHiddens);
        Tensor y = Tensor.ones(2, 6, numHiddens);
        AttentionMask validLens = AttentionMask.padding(new int[] {3, 2}, 6);
        int d = numHiddens / numHeads;
        print(out, "queries X", x);
        print(out, "keys = values Y", y);
        Tensor q = x.matmul(attention.inProjWeight.narrow(0, 0, numHiddens).t()).add(attention.inProjBias.narrow(0, 0, numHiddens));
        print(out, "Q = X W_qᵀ + b_q", q);
        Tensor k = y.matmul(attention.inProjWeight.narrow(0, numHiddens, numHiddens).t())
                .add(attention.inProjBias.narrow(0, numHiddens, numHiddens));
        Tensor v = y.matmul(attention.inProjWeight.narrow(0, 2 * numHiddens, numHiddens).t())
                .add(attention.inProjBias.narrow(0, 2 * numHiddens, numHiddens));
        print(out, "K, V = Y W_kᵀ + b_k, Y W_vᵀ + b_v", k);
        Tensor qHeads = q.reshape(2, 4, numHeads, d).permute(0, 2, 1, 3);
        Tensor kHeads = k.reshape(2, 6, numHeads, d).permute(0, 2, 1, 3);
        Tensor vHeads = v.reshape(2, 6, numHeads, d).permute(0, 2, 1, 3);
        print(out, "Q split into " + numHeads + " heads", qHeads);
        print(out, "K, V split into " + numHeads + " heads", kHeads);
        Tensor mask = validLens.additive().reshape(2, 1, 1, 6);
        Tensor scores = qHeads.div((float) Math.sqrt(d)).matmul(kHeads.transpose(-2, -1)).add(mask);
        print(out, "scores Q Kᵀ/√" + d + " + mask", scores);
        Attention.Result heads = Attention.scaledDotProduct(qHeads, kHeads, vHeads, new AttentionMask(mask), 0, null);
        print(out, "weights = softmax(scores)", heads.weights());
        print(out, "heads = weights V", heads.output());
        Tensor concat = heads.output().permute(0, 2, 1, 3).reshape(2, 4, numHiddens);
        print(out, "heads concatenated", concat);
        print(out, "output = concat W_oᵀ + b_o", attention.outProj.forward(concat));
        Tensor output = attention.forward(x, y, y, validLens, null, false, true).output();
        print(out, "attention(X, Y, Y, valid_lens)", output);             // the book's one line, by the layer itself
        return output;
    }

    private static void print(PrintStream out, String step, Tensor t) {
        out.printf("  %-36s %s%n", step, Shape.format(t.shape()));
    }
}
