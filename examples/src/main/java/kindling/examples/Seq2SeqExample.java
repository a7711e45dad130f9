package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import kindling.autograd.NoGrad;
import kindling.data.text.Vocab;
import kindling.examples.charts.Charts;
import kindling.examples.charts.HeatMaps;
import kindling.examples.models.AttentionGruTranslator;
import kindling.examples.models.DateTransformer;
import kindling.examples.models.Translator;
import kindling.examples.seq2seq.DateBatches;
import kindling.examples.seq2seq.Dates;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.KeyValueCache;
import kindling.nn.Module;
import kindling.nn.MultiheadAttention;
import kindling.nn.Transformer;
import kindling.nn.TransformerDecoderLayer;
import kindling.nn.functional.AttentionMask;
import kindling.optim.Adam;
import kindling.optim.CosineAnnealingLR;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;
import kindling.train.CachedNextTokenModel;
import kindling.train.Hypothesis;
import kindling.train.NextTokenModel;
import kindling.train.ProgressBar;
import kindling.train.SequenceSearch;

/**
 * Neural machine translation of dates, the course's exercise: "tuesday, march 5 2002", "05.03.02" or
 * "the 5th of march 2002" → "2002-03-05", character by character, by an encoder–decoder Transformer and by a
 * bidirectional GRU encoder with an attention decoder.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="seq2seq"            the Transformer, then the GRU
 *   mvn -q compile exec:java -Dexec.args="seq2seq --quick"    fewer steps and dates (under two minutes), lower accuracy
 *   options: --model both|transformer|rnn  --steps N  --rnn-steps N  --batch-size N  --lr X  --d-model N
 *            --heads N  --layers N  --test N  --alpha X  --timing-dates N  --timing-rounds N  --threads N
 *            --seed N  --show
 * </pre>
 * It prints the data, the shape of every tensor through one decoder layer, trains each model with teacher
 * forcing (Adam, cross-entropy on every output character), then translates held-out dates (never seen in any
 * format in training) with greedy search and beam search of widths 1, 3 and 5, and prints the exact-match
 * accuracy table and a few translations with their beam scores. The searches decode step by step with each model's
 * cache (the Transformer's key/value cache, whose shapes it prints step by step, and the GRU's state); the
 * example times them against rerunning the decoder on whole prefixes, on the same dates. Charts in {@code charts/seq2seq/}: the training
 * curves and the cross-attention heat maps (source characters × output characters).
 */
public final class Seq2SeqExample {
    static final int LOG_EVERY = 20;
    static final int[] BEAM_WIDTHS = {1, 3, 5};

    /** One model's results: its loss curve, training time, and the exact-match accuracy of each search. */
    record ModelResult(String name, double[] losses, double trainSeconds, Map<String, Double> accuracy,
            double decodeSeconds) {
    }

    private Seq2SeqExample() {
    }

    public static void main(String[] args) {
        Options options = Options.declare("seq2seq", "human-readable dates to ISO dates: a Transformer and a GRU encoder-decoder "
                        + "with attention, greedy and beam search")
                .flag("quick", "a run of about a minute: fewer steps and test dates")
                .choice("model", "which model to train", "both", "transformer", "rnn")
                .integer("steps", "Adam steps for the Transformer").byDefault("600, 200 with --quick")
                .integer("rnn-steps", "Adam steps for the GRU encoder-decoder").byDefault("400, 150 with --quick")
                .integer("batch-size", 64, "sentence pairs per step")
                .number("lr", 0.002, "Adam's learning rate")
                .integer("d-model", 64, "the Transformer's model width")
                .integer("heads", 4, "attention heads")
                .integer("layers", 2, "encoder and decoder layers")
                .integer("test", "held-out dates to translate").byDefault("200, 50 with --quick")
                .number("alpha", 0.7, "length-normalisation exponent of beam search")
                .integer("timing-dates", 50, "held-out dates decoded with and without the key/value cache to time it")
                .integer("timing-rounds", 3, "alternating rounds of that timing (medians are printed)")
                .threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));
        boolean quick = options.has("quick");
        String which = options.choice("model", "both", "transformer", "rnn");
        int steps = options.getInt("steps", quick ? 200 : 600);
        int rnnSteps = options.getInt("rnn-steps", quick ? 150 : 400);
        int batchSize = options.getInt("batch-size", 64);
        float lr = (float) options.getDouble("lr", 0.002);
        int dModel = options.getInt("d-model", 64);
        int heads = options.getInt("heads", 4);
        int layers = options.getInt("layers", 2);
        int testSize = options.getInt("test", quick ? 50 : 200);
        double alpha = options.getDouble("alpha", 0.7);
        int timingDates = Math.min(options.getInt("timing-dates", 50), testSize);
        int timingRounds = options.getInt("timing-rounds", 3);
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(options.getInt("seed", 0));

        // ---- data: dates 1950..2049, a tenth held out; pairs drawn afresh for every batch
        Dates.Split split = Dates.split(42, 0.1);
        Vocab source = DateBatches.sourceVocab();
        Vocab target = DateBatches.targetVocab();
        System.out.printf("Dates: %d for training, %d held out; %d formats; source %s%ntarget %s%n",
                split.train().size(), split.test().size(), Dates.FORMATS.size(), source, target);
        Random examples = new Random(7);
        for (Dates.Pair pair : Dates.sample(examples, split.train(), 6)) {
            System.out.printf("  %-32s → %s%n", pair.human(), pair.iso());
        }
        List<Dates.Pair> heldOut = Dates.sample(new Random(2), split.test(), testSize);

        List<ModelResult> results = new ArrayList<>();
        Path dir = Path.of("charts", "seq2seq");
        try {
            if (!which.equals("rnn")) {
                // ---- model 1: the Transformer, and the shapes through one of its decoder layers
                DateTransformer transformer = new DateTransformer(source.size(), target.size(), dModel, heads, layers,
                        2 * dModel);
                System.out.println("\n" + transformer);
                System.out.printf("%,d parameters%n", transformer.numParameters());
                System.out.println("\nOne decoder layer, step by step, on a batch of 2 dates:");
                traceDecoderLayer(System.out, transformer, DateBatches.of(Dates.sample(new Random(3), split.train(), 2),
                        source, target));
                results.add(trainAndEvaluate("Transformer", transformer, transformer, steps, batchSize, lr, split,
                        source, target, heldOut, alpha));
                printTranslations(transformer, source, target, heldOut.subList(0, 5), alpha);
                System.out.println("\nThe key/value cache while beam search of width 3 decodes \""
                        + heldOut.get(0).human() + "\":");
                traceCache(System.out, transformer, encode(source, heldOut.get(0).human()), alpha);
                printTiming(System.out, "Transformer", timeDecoding(transformer, transformer, source,
                        heldOut.subList(0, timingDates), alpha, timingRounds));
                for (Path map : transformerHeatMaps(transformer, source, target, heldOut.get(0), dir)) {
                    System.out.println("Cross-attention heat map: " + map.toAbsolutePath());
                }
            }
            if (!which.equals("transformer")) {
                // ---- model 2: bidirectional GRU encoder, additive attention, GRU decoder
                AttentionGruTranslator rnn = new AttentionGruTranslator(source.size(), target.size(), 32, 64);
                System.out.println("\n" + rnn);
                System.out.printf("%,d parameters%n", rnn.numParameters());
                results.add(trainAndEvaluate("GRU + attention", rnn, rnn, rnnSteps, batchSize, 0.005f, split, source,
                        target, heldOut, alpha));
                printTranslations(rnn, source, target, heldOut.subList(0, 5), alpha);
                printTiming(System.out, "GRU decoder", timeDecoding(rnn, rnn, source, heldOut.subList(0, timingDates),
                        alpha, timingRounds));
                Path map = rnnHeatMap(rnn, source, target, heldOut.get(0), dir);
                System.out.println("Attention heat map: " + map.toAbsolutePath());
            }
            printTable(System.out, results, heldOut.size(), alpha);
            Map<String, double[]> curves = new LinkedHashMap<>();
            for (ModelResult r : results) {
                curves.put(r.name(), r.losses());
            }
            Path curve = Charts.lines("Date translation: training loss", "step (x" + LOG_EVERY + ")",
                    "cross-entropy per character", curves, dir.resolve("loss.png"));
            System.out.println("Loss curves: " + curve.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains {@code translator} (the loop itself is {@link #train}), then measures it on the held-out dates. */
    static ModelResult trainAndEvaluate(String name, Module model, Translator translator, int steps, int batchSize,
            float lr, Dates.Split split, Vocab source, Vocab target, List<Dates.Pair> heldOut, double alpha) {
        System.out.printf("%nTraining the %s: %d steps of %d dates, Adam lr %s, %d thread(s)%n", name, steps, batchSize,
                lr, Threads.get());
        long start = System.nanoTime();
        double[] losses = train(model, translator, steps, batchSize, lr, split.train(), source, target, new Random(1),
                System.out);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "trained in %.0f s; final loss %.4f%n", trainSeconds, losses[losses.length - 1]);
        start = System.nanoTime();
        Map<String, Double> accuracy = evaluate(model, translator, source, target, heldOut, alpha);
        double decodeSeconds = (System.nanoTime() - start) / 1e9;
        return new ModelResult(name, losses, trainSeconds, accuracy, decodeSeconds);
    }

    /**
     * Adam on fresh batches with teacher forcing, the learning rate annealed to 0 along a cosine: the decoder reads &lt;bos&gt; and the true characters, and
     * every position is scored against the next true character. Returns the mean loss of every {@link #LOG_EVERY} steps.
     */
    static double[] train(Module model, Translator translator, int steps, int batchSize, float lr,
            List<java.time.LocalDate> dates, Vocab source, Vocab target, Random data, PrintStream out) {
        model.train();
        Adam optimizer = Adam.builder(model.parameters()).lr(lr).build();
        // The learning rate falls from lr to 0 along a half cosine: large steps early, fine ones at the end,
        // which is what turns "almost every character right" into "every character right".
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, steps);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        ProgressBar progress = out == null ? null : new ProgressBar(out, ProgressBar.onTerminal(), "training", steps);
        double[] curve = new double[steps / LOG_EVERY];
        double sum = 0;
        for (int step = 1; step <= steps; step++) {
            DateBatches.Batch batch = DateBatches.of(Dates.sample(data, dates, batchSize), source, target);
            Tensor scores = translator.forward(batch.source().tokens(), batch.source().keyPaddingMask(),
                    batch.decoderInput());                                              // (N, 11, V)
            Tensor loss = criterion.forward(scores.reshape(-1, target.size()), batch.decoderTarget().reshape(-1));
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            schedule.step();
            sum += loss.item();
            if (step % LOG_EVERY == 0) {
                curve[step / LOG_EVERY - 1] = sum / LOG_EVERY;
                if (progress != null) {
                    progress.update(step, sum / LOG_EVERY, characterAccuracy(scores, batch.decoderTarget()),
                            (long) step * batchSize);
                }
                sum = 0;
            }
        }
        return curve;
    }

    private static double characterAccuracy(Tensor scores, Tensor wanted) {
        float[] predicted = scores.detach().argmax(-1, false).toArray();
        float[] truth = wanted.toArray();
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += predicted[i] == truth[i] ? 1 : 0;
        }
        return (double) right / truth.length;
    }

    /** Exact-match accuracy on {@code heldOut} of greedy search and of beam search of each width in {@link #BEAM_WIDTHS}. */
    static Map<String, Double> evaluate(Module model, Translator translator, Vocab source, Vocab target,
            List<Dates.Pair> heldOut, double alpha) {
        model.eval();
        Map<String, Integer> right = new LinkedHashMap<>();
        right.put("greedy", 0);
        for (int width : BEAM_WIDTHS) {
            right.put("beam " + width, 0);
        }
        try (NoGrad ignored = NoGrad.enter()) {
            for (Dates.Pair pair : heldOut) {
                NextTokenModel next = translator.nextTokenModel(encode(source, pair.human()));
                Hypothesis greedy = SequenceSearch.greedy(next, Vocab.BOS_INDEX, Vocab.EOS_INDEX, maxLength());
                right.merge("greedy", matches(target, greedy, pair) ? 1 : 0, Integer::sum);
                for (int width : BEAM_WIDTHS) {
                    Hypothesis best = SequenceSearch.beam(next, Vocab.BOS_INDEX, Vocab.EOS_INDEX, width, maxLength(),
                            alpha).get(0);
                    right.merge("beam " + width, matches(target, best, pair) ? 1 : 0, Integer::sum);
                }
            }
        }
        Map<String, Double> accuracy = new LinkedHashMap<>();
        right.forEach((search, count) -> accuracy.put(search, (double) count / heldOut.size()));
        return accuracy;
    }

    /** Room for the 10 characters and &lt;eos&gt;, and a few more so that a wrong model can show it rambles. */
    static int maxLength() {
        return DateBatches.ISO_LENGTH + 4;
    }

    private static boolean matches(Vocab target, Hypothesis h, Dates.Pair pair) {
        return h.finished() && target.decodeCharacters(h.withoutEos()).equals(pair.iso());
    }

    /** One unpadded source, (1, S). */
    static Tensor encode(Vocab source, String human) {
        int[] indices = source.encodeCharacters(human, false, false);
        float[] values = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            values[i] = indices[i];
        }
        return Tensor.wrap(values, 1, indices.length);
    }

    /** Each date's three best hypotheses from a beam of width 3, with log-probability and length-normalised score. */
    static void printTranslations(Translator translator, Vocab source, Vocab target, List<Dates.Pair> pairs, double alpha) {
        System.out.printf("A few held-out dates, beam search of width 3 (score = log P / T^%s):%n", alpha);
        try (NoGrad ignored = NoGrad.enter()) {
            for (Dates.Pair pair : pairs) {
                List<Hypothesis> beam = SequenceSearch.beam(translator.nextTokenModel(encode(source, pair.human())),
                        Vocab.BOS_INDEX, Vocab.EOS_INDEX, 3, maxLength(), alpha);
                System.out.printf("  %-30s (want %s)%n", pair.human(), pair.iso());
                for (Hypothesis h : beam.subList(0, Math.min(3, beam.size()))) {
                    System.out.printf(Locale.ROOT, "      %-12s log P %8.4f   score %8.4f%s%n",
                            target.decodeCharacters(h.withoutEos()), h.logProbability(), h.score(),
                            h.finished() ? "" : "   (no <eos>)");
                }
            }
        }
    }

    /**
     * The decoding times of the four searches (greedy, beams 1, 3, 5) over the same dates, with the model's
     * cache and without it, one entry per round, and whether both found the same hypotheses.
     */
    record DecodeTiming(int dates, double[] cachedSeconds, double[] uncachedSeconds, boolean sameHypotheses) {
    }

    /**
     * Decodes {@code dates} with all four searches {@code rounds} times with the cache (the model's
     * {@link kindling.train.CachedNextTokenModel}) and as many times without it ({@code next::logProbs}, which
     * reruns the decoder on whole prefixes), alternating which goes first, and compares every hypothesis.
     */
    static DecodeTiming timeDecoding(Module model, Translator translator, Vocab source, List<Dates.Pair> dates,
            double alpha, int rounds) {
        model.eval();
        double[] cached = new double[rounds];
        double[] uncached = new double[rounds];
        List<List<Hypothesis>> first = null;
        boolean same = true;
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                boolean useCache = (r + k) % 2 == 0;                         // cached first in even rounds
                long start = System.nanoTime();
                List<List<Hypothesis>> found = decodeAll(translator, source, dates, alpha, useCache);
                double seconds = (System.nanoTime() - start) / 1e9;
                (useCache ? cached : uncached)[r] = seconds;
                if (first == null) {
                    first = found;
                } else {
                    same &= sameHypotheses(first, found);
                }
            }
        }
        return new DecodeTiming(dates.size(), cached, uncached, same);
    }

    /** Greedy search and beam search of each width, for every date: 4 lists of hypotheses per date. */
    private static List<List<Hypothesis>> decodeAll(Translator translator, Vocab source, List<Dates.Pair> dates,
            double alpha, boolean useCache) {
        List<List<Hypothesis>> all = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Dates.Pair pair : dates) {
                NextTokenModel next = translator.nextTokenModel(encode(source, pair.human()));
                NextTokenModel search = useCache ? next : next::logProbs;     // a plain NextTokenModel: no cache
                all.add(List.of(SequenceSearch.greedy(search, Vocab.BOS_INDEX, Vocab.EOS_INDEX, maxLength())));
                for (int width : BEAM_WIDTHS) {
                    all.add(SequenceSearch.beam(search, Vocab.BOS_INDEX, Vocab.EOS_INDEX, width, maxLength(), alpha));
                }
            }
        }
        return all;
    }

    /** The same token sequences in the same order, and log-probabilities equal to float rounding. */
    private static boolean sameHypotheses(List<List<Hypothesis>> a, List<List<Hypothesis>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).size() != b.get(i).size()) {
                return false;
            }
            for (int j = 0; j < a.get(i).size(); j++) {
                Hypothesis x = a.get(i).get(j);
                Hypothesis y = b.get(i).get(j);
                if (!x.tokens().equals(y.tokens()) || Math.abs(x.logProbability() - y.logProbability()) > 1e-4) {
                    return false;
                }
            }
        }
        return true;
    }

    static void printTiming(PrintStream out, String name, DecodeTiming timing) {
        double cached = median(timing.cachedSeconds());
        double uncached = median(timing.uncachedSeconds());
        out.printf(Locale.ROOT, "%s: decoding %d held-out dates (greedy, beams 1, 3, 5), %d rounds alternating, "
                        + "median (min-max): cached %.2f s (%.2f-%.2f), whole prefixes rerun %.2f s (%.2f-%.2f), %.1fx; "
                        + "the same hypotheses: %s%n", name, timing.dates(), timing.cachedSeconds().length, cached,
                min(timing.cachedSeconds()), max(timing.cachedSeconds()), uncached, min(timing.uncachedSeconds()),
                max(timing.uncachedSeconds()), uncached / cached, timing.sameHypotheses() ? "yes" : "NO");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }

    /**
     * What the Transformer's key/value cache holds at each step of a beam search of width 3 on {@code src}
     * (1, S): the beams' parents, the new tokens fed, and the shapes of layer 0's cached keys. Decodes through
     * the same {@link kindling.train.CachedNextTokenModel} as the searches, watching its calls.
     */
    static void traceCache(PrintStream out, DateTransformer model, Tensor src, double alpha) {
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor memory = model.encode(src, null);
            CachedNextTokenModel uncached = model.nextTokenModel(src);
            CachedNextTokenModel traced = new CachedNextTokenModel() {
                @Override
                public Tensor logProbs(int[][] prefixes) {
                    return uncached.logProbs(prefixes);                   // the whole-prefix answer, untraced
                }

                @Override
                public Decoding startDecoding() {
                    return model.startDecoding(memory, (parentBeams, newTokens, cache, scores) -> {
                        KeyValueCache.LayerCache layer0 = cache.layer(0);
                        out.printf("  step %-2d parents %-10s new tokens %-8s self-attention K, V %-15s "
                                        + "cross-attention K, V %-15s scores %s%n", cache.length() - 1,
                                parentBeams == null ? "-" : java.util.Arrays.toString(parentBeams).replace(" ", ""),
                                Shape.format(newTokens.shape()), Shape.format(layer0.selfAttention().keys().shape()),
                                Shape.format(layer0.crossAttention().keys().shape()), Shape.format(scores.shape()));
                    });
                }
            };
            SequenceSearch.beam(traced, Vocab.BOS_INDEX, Vocab.EOS_INDEX, 3, maxLength(), alpha);
        }
    }

    static void printTable(PrintStream out, List<ModelResult> results, int dates, double alpha) {
        out.printf("%nExact match on %d held-out dates (beam score with alpha = %s):%n", dates, alpha);
        StringBuilder header = new StringBuilder(String.format("  %-16s", "model"));
        for (String search : results.get(0).accuracy().keySet()) {
            header.append(String.format("%9s", search));
        }
        out.println(header.append(String.format("%10s%10s", "train s", "decode s")));
        for (ModelResult r : results) {
            StringBuilder row = new StringBuilder(String.format("  %-16s", r.name()));
            for (double a : r.accuracy().values()) {
                row.append(String.format(Locale.ROOT, "%9.3f", a));
            }
            out.println(row.append(String.format(Locale.ROOT, "%10.0f%10.0f", r.trainSeconds(), r.decodeSeconds())));
        }
    }

    /**
     * The shape of every tensor through the Transformer's first decoder layer, computed step by step with the
     * layer's own modules (post-norm), then the layer itself: its output must be the same.
     */
    static Tensor traceDecoderLayer(PrintStream out, DateTransformer model, DateBatches.Batch batch) {
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor src = batch.source().tokens();
            AttentionMask padding = batch.source().keyPaddingMask();
            Tensor tgtTokens = batch.decoderInput();
            int t = tgtTokens.size(1);
            print(out, "source characters", src);
            print(out, "target input <bos> y1..y10", tgtTokens);
            Tensor memory = model.encode(src, padding);
            print(out, "memory = encoder(source)", memory);
            Tensor x = model.embed(model.tgtEmbedding, tgtTokens);
            print(out, "x = embedding + positions", x);
            TransformerDecoderLayer layer = model.transformer.decoder.layer(0);
            AttentionMask causal = Transformer.generateSquareSubsequentMask(t);
            print(out, "causal mask", causal.additive());
            Tensor selfAttended = traceAttention(out, "self-attention", layer.selfAttn, x, x, causal.additive());
            Tensor x1 = layer.norm1.forward(x.add(selfAttended));
            print(out, "x = norm1(x + self-attention)", x1);
            print(out, "memory padding mask", padding.additive());
            Tensor crossAttended = traceAttention(out, "cross-attention", layer.multiheadAttn, x1, memory,
                    padding.additive().reshape(padding.shape()[0], 1, 1, padding.shape()[1]));
            Tensor x2 = layer.norm2.forward(x1.add(crossAttended));
            print(out, "x = norm2(x + cross-attention)", x2);
            Tensor hidden = layer.linear1.forward(x2);
            print(out, "linear1(x)", hidden);
            Tensor ff = layer.linear2.forward(hidden.relu());
            print(out, "linear2(relu(...))", ff);
            Tensor x3 = layer.norm3.forward(x2.add(ff));
            print(out, "x = norm3(x + feed-forward)", x3);
            Tensor whole = layer.forward(x, memory, causal, null, null, padding);
            print(out, "decoder layer(x, memory), at once", whole);
            return x3.sub(whole).abs().max();
        }
    }

    /** The steps of multi-head attention of {@code query} over {@code keyValue} with an additive mask. */
    private static Tensor traceAttention(PrintStream out, String name, MultiheadAttention mha, Tensor query,
            Tensor keyValue, Tensor mask) {
        int e = mha.embedDim();
        int h = mha.numHeads();
        int d = mha.headDim();
        int n = query.size(0);
        Tensor q = query.matmul(mha.inProjWeight.narrow(0, 0, e).t()).add(mha.inProjBias.narrow(0, 0, e));
        Tensor k = keyValue.matmul(mha.inProjWeight.narrow(0, e, e).t()).add(mha.inProjBias.narrow(0, e, e));
        Tensor v = keyValue.matmul(mha.inProjWeight.narrow(0, 2 * e, e).t()).add(mha.inProjBias.narrow(0, 2 * e, e));
        print(out, name + ": Q from the target", q);
        print(out, name + ": K, V from " + (query == keyValue ? "the target" : "the memory"), k);
        Tensor qh = q.reshape(n, q.size(1), h, d).permute(0, 2, 1, 3);
        Tensor kh = k.reshape(n, k.size(1), h, d).permute(0, 2, 1, 3);
        Tensor vh = v.reshape(n, v.size(1), h, d).permute(0, 2, 1, 3);
        print(out, name + ": Q, K split into " + h + " heads", qh);
        Tensor scores = qh.div((float) Math.sqrt(d)).matmul(kh.transpose(-2, -1)).add(mask);
        print(out, name + ": scores QKᵀ/√" + d + " + mask", scores);
        Tensor weights = scores.softmax(-1);
        print(out, name + ": weights", weights);
        Tensor heads = weights.matmul(vh).permute(0, 2, 1, 3).reshape(n, q.size(1), e);
        print(out, name + ": heads concatenated", heads);
        Tensor result = mha.outProj.forward(heads);
        print(out, name + ": output projection", result);
        return result;
    }

    private static void print(PrintStream out, String step, Tensor t) {
        out.printf("  %-44s %s%n", step, Shape.format(t.shape()));
    }

    /** One PNG per head of the last decoder layer: output characters (rows) × source characters (columns). */
    static List<Path> transformerHeatMaps(DateTransformer model, Vocab source, Vocab target, Dates.Pair pair, Path dir)
            throws IOException {
        model.eval();
        Tensor src = encode(source, pair.human());
        Hypothesis h;
        Tensor weights;
        try (NoGrad ignored = NoGrad.enter()) {
            h = SequenceSearch.greedy(model.nextTokenModel(src), Vocab.BOS_INDEX, Vocab.EOS_INDEX, maxLength());
            Tensor tgt = decoderInput(h);
            int last = model.transformer.decoder.numLayers() - 1;
            weights = model.crossAttention(src, null, tgt, last);                // (1, heads, T, S)
        }
        List<String> columns = labels(Vocab.characters(pair.human()));
        List<String> rows = outputLabels(target, h);
        List<Path> files = new ArrayList<>();
        for (int head = 0; head < weights.size(1); head++) {
            files.add(HeatMaps.heatMap("Transformer, last decoder layer, head " + head, "source character",
                    "output character", columns, rows, grid(weights.select(0, 0).select(0, head)),
                    dir.resolve("cross-attention-head" + head + ".png")));
        }
        return files;
    }

    /** The GRU decoder's additive attention weights while it writes its greedy translation. */
    static Path rnnHeatMap(AttentionGruTranslator model, Vocab source, Vocab target, Dates.Pair pair, Path dir)
            throws IOException {
        model.eval();
        Tensor src = encode(source, pair.human());
        Hypothesis h;
        Tensor weights;
        try (NoGrad ignored = NoGrad.enter()) {
            h = SequenceSearch.greedy(model.nextTokenModel(src), Vocab.BOS_INDEX, Vocab.EOS_INDEX, maxLength());
            Tensor tgt = decoderInput(h);
            weights = model.decode(tgt, model.encode(src), null).weights();     // (1, T, S)
        }
        return HeatMaps.heatMap("GRU decoder: additive attention", "source character", "output character",
                labels(Vocab.characters(pair.human())), outputLabels(target, h), grid(weights.select(0, 0)),
                dir.resolve("rnn-attention.png"));
    }

    /** &lt;bos&gt; followed by all but the last of the hypothesis's tokens, (1, T): the input that wrote them. */
    private static Tensor decoderInput(Hypothesis h) {
        float[] tokens = new float[h.tokens().size()];
        tokens[0] = Vocab.BOS_INDEX;
        for (int i = 0; i + 1 < tokens.length; i++) {
            tokens[i + 1] = h.tokens().get(i);
        }
        return Tensor.wrap(tokens, 1, tokens.length);
    }

    /** Row t is the token written at step t, chosen while the decoder read position t of its input. */
    private static List<String> outputLabels(Vocab target, Hypothesis h) {
        List<String> rows = new ArrayList<>();
        for (int token : h.tokens()) {
            rows.add(target.token(token));
        }
        return labels(rows);
    }

    /** "i:c", so that equal characters stay apart on the chart's axes. */
    private static List<String> labels(List<String> tokens) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            labels.add(i + ":" + (tokens.get(i).equals(" ") ? "␣" : tokens.get(i)));
        }
        return labels;
    }

    private static double[][] grid(Tensor matrix) {
        double[][] grid = new double[matrix.size(0)][matrix.size(1)];
        for (int r = 0; r < grid.length; r++) {
            for (int c = 0; c < grid[r].length; c++) {
                grid[r][c] = matrix.get(r, c);
            }
        }
        return grid;
    }
}
