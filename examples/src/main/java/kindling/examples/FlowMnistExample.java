package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.examples.charts.Charts;
import kindling.examples.models.UNet;
import kindling.generative.FlowMatching;
import kindling.generative.GaussianProbabilityPath;
import kindling.generative.HeunSolver;
import kindling.generative.LinearScheduler;
import kindling.generative.Times;
import kindling.generative.VectorField;
import kindling.io.SafeTensors;
import kindling.kernels.Threads;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Class-conditional flow matching on Fashion-MNIST with a small U-Net and classifier-free guidance
 * (Ho and Salimans, 2022), as in MIT 6.S184's third lab.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="flowmnist"                 # full Fashion-MNIST if found, ~20 min on 2 cores
 *   mvn -q compile exec:java -Dexec.args="flowmnist --quick"         # bundled 6,000-image subset, a few minutes
 *   mvn -q compile exec:java -Dexec.args="flowmnist --resume"        # continue from runs/flowmnist/checkpoint.safetensors
 *   options: --steps N  --batch-size N  --width N  --lr X  --p-uncond X  --guidance 0,1,3,5  --sample-steps N
 *            --per-class N  --checkpoint-every N  --run DIR  --resume  --quick  --subset  --data DIR  --threads N  --seed N  --show
 * </pre>
 * <b>Training</b>: data z are images scaled to [−1, 1]; the path is the linear Gaussian path
 * x_t = t·z + (1 − t)·ε (α_t = t, β_t = 1 − t, {@link LinearScheduler}), and the loss the conditional
 * flow-matching loss ‖u^θ_t(x_t | y) − (z − ε)‖² ({@link FlowMatching}). With probability
 * {@code --p-uncond} (0.1) a label is replaced by the null class ∅, so the one network learns both the
 * conditional field u_t(x | y) and the unconditional u_t(x | ∅).
 * <p><b>Sampling with guidance</b> w (the lab's form):
 * <pre>
 *   ũ_t(x | y) = (1 − w) · u^θ_t(x | ∅) + w · u^θ_t(x | y)  =  u^θ_t(x | ∅) + w · (u^θ_t(x | y) − u^θ_t(x | ∅))
 * </pre>
 * w = 0 is the unconditional model, w = 1 the conditional one, w &gt; 1 pushes further in the direction
 * the label adds. The ODE dX = ũ_t(X) dt is solved from X_0 ~ N(0, I) at t = 0 to t = 1 with Heun's
 * method. For each w the example writes a grid (a row per class) to {@code charts/flowmnist/} and
 * measures how often a judge trained on real images (the LeNet example's network, saved as
 * safetensors and reloaded; {@link SampleClassifier}) assigns a sample to the class it was generated for.
 * <p><b>Checkpoints</b>: every {@code --checkpoint-every} steps and at the end the model, the Adam
 * state, the step and the losses go to one safetensors file; {@code --resume} continues from it. Each
 * step's batch, times, noise and label dropout are drawn from a generator seeded by (seed, step), so a
 * resumed run draws what the uninterrupted one would have.
 */
public final class FlowMnistExample {
    /** The judge's agreement with the intended classes for one guidance scale. */
    record Quality(double guidance, double agreement, double[] perClass) {
    }

    /** Everything a run is told, after the options are read. */
    record Settings(int steps, int batchSize, int width, float lr, double pUncond, double[] guidance, int sampleSteps,
                    int perClass, int checkpointEvery, Path runDir, boolean resume, int seed) {
    }

    /** The training state: the model, its optimizer, the steps done and the loss of each. */
    record Run(UNet model, Adam optimizer, int stepsDone, double[] losses) {
    }

    private FlowMnistExample() {
    }

    public static void main(String[] args) {
        Options options = Options.declare("flowmnist", "class-conditional flow matching on Fashion-MNIST with a small U-Net and "
                        + "classifier-free guidance")
                .flag("quick", "a run of a few minutes on the bundled subset")
                .integer("steps", "Adam steps").byDefault("800, 300 with --quick")
                .integer("batch-size", 64, "images per step")
                .integer("width", "channels of the U-Net's first level").byDefault("32, 16 with --quick")
                .number("lr", 1e-3, "Adam's learning rate")
                .number("p-uncond", 0.1, "probability of dropping the label in training (the null class)")
                .text("guidance", "LIST", "0,1,3,5", "guidance scales w to sample with, comma-separated")
                .integer("sample-steps", 10, "Heun steps of the sampling ODE")
                .integer("per-class", "samples per class and guidance scale").byDefault("20, 10 with --quick")
                .integer("checkpoint-every", 100, "steps between checkpoints")
                .text("run", "DIR", null, "where checkpoints and the judge are kept").byDefault("runs/flowmnist, runs/flowmnist-quick with --quick")
                .flag("resume", "continue from the run directory's checkpoint")
                .fashionMnist().threads().seed().show()
                .parse(args);
        boolean quick = options.has("quick");
        Settings settings = new Settings(
                options.getInt("steps", quick ? 300 : 800),
                options.getInt("batch-size", 64),
                options.getInt("width", quick ? 16 : 32),
                (float) options.getDouble("lr", 1e-3),
                options.getDouble("p-uncond", 0.1),
                Arrays.stream(options.get("guidance", "0,1,3,5").split(",")).mapToDouble(Double::parseDouble).toArray(),
                options.getInt("sample-steps", 10),
                options.getInt("per-class", quick ? 10 : 20),
                options.getInt("checkpoint-every", 100),
                Path.of(options.get("run", quick ? "runs/flowmnist-quick" : "runs/flowmnist")),
                options.has("resume"),
                options.getInt("seed", 0));
        Threads.set(options.getInt("threads", Threads.get()));
        Generator.manualSeed(settings.seed());
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = quick ? FashionMnist.loadBundledSubset() : options.fashionMnist();
            System.out.println("Data: " + data);
            long start = System.nanoTime();
            double cpuStart = CpuTime.processSeconds();
            Run run = train(data, settings, System.out);
            // On a shared machine the wall clock counts the time spent waiting for a core; the CPU time does not.
            System.out.printf(Locale.ROOT, "Training: %.1f min wall clock, %.1f min CPU time over all threads%n",
                    (System.nanoTime() - start) / 60e9, (CpuTime.processSeconds() - cpuStart) / 60);
            Map<String, double[]> curve = new LinkedHashMap<>();
            curve.put("flow-matching loss (mean of 20 steps)", GanExample.movingMean(run.losses(), 20));
            System.out.println("Loss curve: " + Charts.lines("Flow matching on " + data.name(),
                    "step (×20)", "loss", curve, Path.of("charts", "flowmnist", "loss.png")).toAbsolutePath());

            SampleClassifier judge = SampleClassifier.trainedOn(data, Path.of("runs", "judge"), 5);
            long sampling = System.nanoTime();
            List<Quality> qualities = evaluate(run.model(), judge, data.classes(), settings);
            System.out.printf(Locale.ROOT, "Sampling and judging: %.1f min%n", (System.nanoTime() - sampling) / 60e9);
            System.out.println("\nguidance w   judge agrees with the intended class   (judge on real test images: "
                    + String.format(Locale.ROOT, "%.3f)", judge.testAccuracy()));
            for (Quality q : qualities) {
                System.out.printf(Locale.ROOT, "  %4.1f       %.3f    per class %s%n", q.guidance(), q.agreement(),
                        Arrays.stream(q.perClass()).mapToObj(a -> String.format(Locale.ROOT, "%.2f", a))
                                .collect(Collectors.joining(" ")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains (or resumes) the U-Net with the conditional flow-matching loss and label dropout. */
    static Run train(ImageData data, Settings s, PrintStream out) throws IOException {
        // Data: images scaled to [−1, 1], the scale of the noise they are paired with.
        Tensor images = data.train().inputs().mul(2f).sub(1f);          // (N, 1, 28, 28)
        Tensor labels = data.train().targets();                         // (N) class indices
        int classes = data.classes().length;

        // Model, path and optimizer.
        UNet model = new UNet(s.width(), classes);
        out.println("\n" + model);
        model.traceShapes(out);
        out.printf("%,d parameters%n", model.numParameters());
        GaussianProbabilityPath path = new GaussianProbabilityPath(new LinearScheduler());
        Adam optimizer = Adam.builder(model.parameters()).lr(s.lr()).build();
        double[] losses = new double[s.steps()];
        int first = 0;
        Path checkpoint = s.runDir().resolve("checkpoint.safetensors");
        if (s.resume() && Files.isRegularFile(checkpoint)) {
            first = loadCheckpoint(checkpoint, model, optimizer, losses);
            out.printf("Resumed from %s after step %d%n", checkpoint, first);
        }

        out.printf("Training steps %d to %d, batch %d, Adam lr %s, label dropout %.2f, %d thread(s)%n",
                first + 1, s.steps(), s.batchSize(), s.lr(), s.pUncond(), Threads.get());
        Tensor nullLabels = Tensor.full(model.nullClass(), s.batchSize());
        long start = System.nanoTime();
        for (int step = first; step < s.steps(); step++) {
            Generator g = new Generator(s.seed() * 1_000_003L + step);     // this step's draws, the same after a resume
            Tensor index = Tensor.randint(g, 0, images.size(0), s.batchSize());
            Tensor z = images.indexSelect(0, index);                        // data points (B, 1, 28, 28)
            Tensor dropped = Tensor.rand(g, s.batchSize()).lt((float) s.pUncond());
            Tensor y = Tensor.where(dropped, nullLabels, labels.indexSelect(0, index));   // some labels become ∅
            VectorField field = (x, t) -> model.forward(x, t, y);
            Tensor loss = FlowMatching.conditionalFlowMatchingLoss(field, path, z, g);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            losses[step] = loss.item();
            int done = step + 1;
            if (done % 20 == 0 || done == s.steps()) {
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "step %d/%d: loss %.2f (mean of the last 20 %.2f), %.0f images/s%n", done, s.steps(),
                        losses[step], mean(losses, Math.max(first, done - 20), done), (done - first) * s.batchSize() / seconds);
            }
            if (done % s.checkpointEvery() == 0 || done == s.steps()) {
                saveCheckpoint(checkpoint, model, optimizer, done, losses);
            }
        }
        return new Run(model, optimizer, s.steps(), losses);
    }

    /**
     * The guided vector field ũ_t(x | y) = (1 − w)·u^θ_t(x | ∅) + w·u^θ_t(x | y) for the labels y (N).
     * For w other than 0 and 1 the conditional and unconditional copies go through the network as one
     * batch of 2N.
     */
    static VectorField guided(UNet model, Tensor y, double w) {
        int n = y.size(0);
        Tensor nulls = Tensor.full(model.nullClass(), n);
        if (w == 0) {
            return (x, t) -> model.forward(x, t, nulls);
        }
        if (w == 1) {
            return (x, t) -> model.forward(x, t, y);
        }
        Tensor bothLabels = Tensor.cat(0, y, nulls);
        return (x, t) -> {
            Tensor both = model.forward(Tensor.cat(0, x, x), Tensor.cat(0, t, t), bothLabels);
            Tensor conditional = both.narrow(0, 0, n);
            Tensor unconditional = both.narrow(0, n, n);
            return unconditional.mul((float) (1 - w)).add(conditional.mul((float) w));
        };
    }

    /** Samples for the classes {@code y} (N) with guidance w: Heun from noise at t = 0 to t = 1, then back to [0, 1]. */
    static Tensor sample(UNet model, Tensor y, double w, int steps, Generator generator) {
        model.eval();
        Tensor x0 = Tensor.randn(generator, y.size(0), 1, 28, 28);
        Tensor x1 = new HeunSolver(guided(model, y, w)).simulate(x0, Times.uniform(0, 1, steps));
        return x1.add(1f).mul(0.5f).clamp(0f, 1f);
    }

    /** For each guidance scale: samples per class, their grid, and the judge's agreement with the intended classes. */
    static List<Quality> evaluate(UNet model, SampleClassifier judge, String[] classNames, Settings s) throws IOException {
        int classes = classNames.length;
        float[] wanted = new float[classes * s.perClass()];
        int[] intended = new int[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            intended[i] = i / s.perClass();                       // rows of the grid: class 0's samples first
            wanted[i] = intended[i];
        }
        Tensor y = Tensor.of(wanted, wanted.length);
        int cols = Math.min(8, s.perClass());
        List<Quality> qualities = new java.util.ArrayList<>();
        for (double w : s.guidance()) {
            Tensor images = sample(model, y, w, s.sampleSteps(), new Generator(s.seed() + 7));   // the same noise for every w
            int[] predicted = judge.predict(images);
            double[] perClass = new double[classes];
            int agree = 0;
            for (int i = 0; i < predicted.length; i++) {
                boolean right = predicted[i] == intended[i];
                agree += right ? 1 : 0;
                perClass[intended[i]] += right ? 1.0 / s.perClass() : 0;
            }
            qualities.add(new Quality(w, (double) agree / predicted.length, perClass));
            // The grid: the first `cols` samples of each class, one class per row, named in the first column.
            float[] rows = new float[classes * cols];
            String[] captions = new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (i / cols) * s.perClass() + i % cols;
                captions[i] = i % cols == 0 ? classNames[i / cols] : "";
            }
            Path png = Charts.images(String.format(Locale.ROOT, "Flow matching, guidance w = %.1f: judge agrees on %.0f%%",
                    w, 100.0 * agree / predicted.length), images.indexSelect(0, Tensor.of(rows, rows.length)), captions, cols, 2,
                    Path.of("charts", "flowmnist", String.format(Locale.ROOT, "samples-w%.1f.png", w)));
            System.out.println("Samples: " + png.toAbsolutePath());
        }
        return qualities;
    }

    /** Writes the model under {@code model.}, the optimizer under {@code optimizer.}, the step and losses as metadata. */
    static void saveCheckpoint(Path file, UNet model, Adam optimizer, int stepsDone, double[] losses) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((key, value) -> tensors.put("model." + key, value));
        optimizer.stateDict().forEach((key, value) -> tensors.put("optimizer." + key, value));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("step", Integer.toString(stepsDone));
        metadata.put("losses", Arrays.stream(losses, 0, stepsDone).mapToObj(Double::toString).collect(Collectors.joining(",")));
        SafeTensors.save(tensors, metadata, file);              // atomic: a crash leaves the previous checkpoint
    }

    /** Restores what {@link #saveCheckpoint} wrote; returns the number of steps done. */
    static int loadCheckpoint(Path file, UNet model, Adam optimizer, double[] losses) throws IOException {
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        SafeTensors.load(file).forEach((key, value) -> {
            if (key.startsWith("model.")) {
                modelState.put(key.substring("model.".length()), value);
            } else if (key.startsWith("optimizer.")) {
                optimizerState.put(key.substring("optimizer.".length()), value);
            }
        });
        model.loadStateDict(modelState);
        optimizer.loadStateDict(optimizerState);
        Map<String, String> metadata = SafeTensors.metadata(file);
        int steps = Integer.parseInt(metadata.get("step"));
        if (steps > losses.length) {
            throw new IllegalArgumentException("flowmnist: the checkpoint " + file + " is after step " + steps
                    + ", beyond --steps " + losses.length);
        }
        String[] saved = metadata.get("losses").split(",");
        for (int i = 0; i < steps; i++) {
            losses[i] = Double.parseDouble(saved[i]);
        }
        return steps;
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / Math.max(1, to - from);
    }
}
