package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.data.Batch;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.charts.Charts;
import kindling.examples.generative.GaussianMixture;
import kindling.examples.generative.PlaneCharts;
import kindling.examples.models.DcGan;
import kindling.examples.models.TimeMlp;
import kindling.generative.FlowMatching;
import kindling.generative.GaussianProbabilityPath;
import kindling.generative.LinearScheduler;
import kindling.generative.Samplers;
import kindling.kernels.Threads;
import kindling.nn.BCEWithLogitsLoss;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.CosineAnnealingLR;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.ProgressBar;
import org.knowm.xchart.XYChart;

/**
 * A generative adversarial network (Goodfellow et al., 2014) in the DCGAN form (Radford et al.,
 * 2016) on Fashion-MNIST, then a GAN on a ring of eight Gaussians beside flow matching on the same
 * ring, to show mode collapse.
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="gan"                   # full Fashion-MNIST if found, 5 epochs
 *   mvn -q compile exec:java -Dexec.args="gan --quick"           # bundled 6,000-image subset, 3 epochs
 *   options: --epochs N  --batch-size N  --nz N  --width N  --mixture-steps N  --quick  --subset
 *            --data DIR  --threads N  --seed N  --show
 * </pre>
 * The game: a discriminator D (one logit: real or generated?) and a generator G (noise to image)
 * take turns, each an Adam step with DCGAN's settings (lr 2e-4, betas 0.5 and 0.999):
 * <pre>
 *   D step:  maximise  log D(x) + log(1 − D(G(z)))      loss_D = BCE(D(x), 1) + BCE(D(G(z)), 0)
 *   G step:  maximise  log D(G(z))                      loss_G = BCE(D(G(z)), 1)   (the non-saturating form)
 * </pre>
 * After each epoch the generator draws the same 64 noise vectors, written as
 * {@code charts/gan/samples-epoch-N.png}; at the end the D and G loss curves, and a judge (the LeNet
 * example's network, trained on real images and reloaded from safetensors; see {@link SampleClassifier})
 * says which classes 1,000 generated images show: a GAN that covers the data spreads them over
 * all ten, one that has collapsed piles them into a few.
 */
public final class GanExample {
    /** A generated point is sharp when it lies within this many of the mode's σ of its centre. */
    static final double MODE_RADIUS_SIGMAS = 3;

    /** The losses and D's outputs of one training step: D(x) near 0.5 and D(G(z)) near 0.5 is the game's equilibrium. */
    record Step(double lossD, double lossG, double realScore, double fakeScore) {
    }

    /**
     * What the ring comparison measured for one model's samples: how many fall near each mode (within a
     * quarter of the distance between neighbouring modes), how many modes hold at least a quarter of
     * their fair share of the samples, and which part of the samples is sharp, within 3σ of a mode.
     */
    record ModeCoverage(String model, int[] perMode, int covered, double sharp) {
        /** Counts {@code points} (N, 2) against the modes of {@code target}. */
        static ModeCoverage of(String model, GaussianMixture target, Tensor points) {
            int modes = target.means().length;
            int n = points.size(0);
            int[] near = countPerMode(target, points, nearRadius(target));
            int[] sharp = countPerMode(target, points, MODE_RADIUS_SIGMAS * target.std());
            int covered = 0;
            for (int m = 0; m < modes; m++) {
                covered += near[m] >= n / (4.0 * modes) ? 1 : 0;
            }
            return new ModeCoverage(model, Arrays.copyOf(near, modes), covered, 1.0 - (double) sharp[modes] / n);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-14s covers %d of %d modes, samples per mode %s, %.1f%% within %.0fσ of a mode",
                    model, covered, perMode.length, Arrays.toString(perMode), 100 * sharp, MODE_RADIUS_SIGMAS);
        }
    }

    /** The two models on the ring, and the target's own sample as the reference. */
    record RingResult(ModeCoverage gan, ModeCoverage flow, ModeCoverage target) {
    }

    /** A quarter of the smallest distance between two means: "near a mode" without reaching the next. */
    static double nearRadius(GaussianMixture target) {
        float[][] means = target.means();
        double closest = Double.POSITIVE_INFINITY;
        for (int a = 0; a < means.length; a++) {
            for (int b = a + 1; b < means.length; b++) {
                closest = Math.min(closest, Math.hypot(means[a][0] - means[b][0], means[a][1] - means[b][1]));
            }
        }
        return closest / 4;
    }

    /**
     * How many of {@code points} (N, 2) lie within {@code radius} of each mode's centre; the last entry
     * counts the points near none of them.
     */
    static int[] countPerMode(GaussianMixture target, Tensor points, double radius) {
        float[][] means = target.means();
        int[] counts = new int[means.length + 1];
        float[] xy = points.contiguous().toArray();
        for (int i = 0; i < points.size(0); i++) {
            int nearest = means.length;                              // "off every mode" until one is close
            for (int m = 0; m < means.length; m++) {
                if (Math.hypot(xy[2 * i] - means[m][0], xy[2 * i + 1] - means[m][1]) <= radius) {
                    nearest = m;
                }
            }
            counts[nearest]++;
        }
        return counts;
    }

    private GanExample() {
    }

    public static void main(String[] args) {
        Options options = Options.declare("gan", "a DCGAN on Fashion-MNIST, and a GAN beside flow matching on a ring of Gaussians "
                        + "(mode collapse)")
                .flag("quick", "a short run on the bundled subset")
                .integer("epochs", "passes over the training images").byDefault("5, 3 with --quick")
                .integer("batch-size", 64, "images per step")
                .integer("nz", 64, "size of the generator's noise vector")
                .integer("width", 32, "channels of the first convolution (the networks' width)")
                .integer("mixture-steps", 3000, "steps of the GAN and the flow on the ring of Gaussians")
                .fashionMnist().threads().seed().show()
                .parse(args);
        boolean quick = options.has("quick");
        int epochs = options.getInt("epochs", quick ? 3 : 5);
        int batchSize = options.getInt("batch-size", 64);
        int nz = options.getInt("nz", 64);
        int width = options.getInt("width", 32);
        int mixtureSteps = options.getInt("mixture-steps", 3000);
        Threads.set(options.getInt("threads", Threads.get()));
        int seed = options.getInt("seed", 0);
        Generator.manualSeed(seed);
        Charts.showWindows(options.has("show"));
        try {
            ImageData data = quick ? kindling.data.FashionMnist.loadBundledSubset() : options.fashionMnist();
            System.out.println("Data: " + data);
            fashion(data, epochs, batchSize, nz, width, seed);
            ring(mixtureSteps, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Part one: DCGAN on Fashion-MNIST, sample grids by epoch, loss curves, the judge's class histogram. */
    static void fashion(ImageData data, int epochs, int batchSize, int nz, int width, int seed) throws IOException {
        // Data: the images scaled from [0, 1] to [−1, 1], the range of G's Tanh output. Labels are unused.
        TensorDataset images = new TensorDataset(data.train().inputs().mul(2f).sub(1f), data.train().targets());
        DataLoader train = DataLoader.builder(images).batchSize(batchSize).shuffle(seed).dropLast(true).build();

        // Model: two networks, each with its own optimizer.
        Sequential g = DcGan.generator(nz, width);
        Sequential d = DcGan.discriminator(width);
        System.out.println("\nGenerator:\n" + g);
        Summary.traceShapes(g, Tensor.zeros(1, nz, 1, 1), System.out);
        System.out.println("\nDiscriminator:\n" + d);
        Summary.traceShapes(d, Tensor.zeros(1, 1, 28, 28), System.out);
        System.out.printf("%,d generator and %,d discriminator parameters%n", g.numParameters(), d.numParameters());
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        Adam optimizerD = Adam.builder(d.parameters()).lr(2e-4f).betas(0.5f, 0.999f).build();
        Adam optimizerG = Adam.builder(g.parameters()).lr(2e-4f).betas(0.5f, 0.999f).build();

        Generator noise = new Generator(seed + 1);
        Tensor fixedNoise = Tensor.randn(new Generator(seed + 2), 64, nz, 1, 1);   // the same 64 faces every epoch
        double[] lossD = new double[epochs * train.numBatches()];
        double[] lossG = new double[lossD.length];
        int step = 0;
        System.out.printf("%nTraining %d epochs of %d steps, batch %d, Adam(lr 2e-4, betas 0.5, 0.999), %d thread(s)%n",
                epochs, train.numBatches(), batchSize, Threads.get());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            train.setEpoch(epoch - 1);
            ProgressBar bar = new ProgressBar(System.out, ProgressBar.onTerminal(), "epoch " + epoch + "/" + epochs, train.numBatches());
            long start = System.nanoTime();
            double sumD = 0;
            double sumG = 0;
            int done = 0;
            for (Batch batch : train) {
                Step s = trainStep(g, d, bce, optimizerD, optimizerG, batch.inputs(), nz, noise);
                lossD[step] = s.lossD();
                lossG[step] = s.lossG();
                step++;
                sumD += s.lossD();
                sumG += s.lossG();
                done++;
                bar.update(done, sumD / done, s.realScore(), (long) done * batchSize);
            }
            System.out.printf(Locale.ROOT, "epoch %d/%d: loss_D %.3f, loss_G %.3f, %.0f s%n",
                    epoch, epochs, sumD / done, sumG / done, (System.nanoTime() - start) / 1e9);
            Path grid = Charts.images("DCGAN, epoch " + epoch + " (the same 64 noise vectors every epoch)",
                    generate(g, fixedNoise), blank(64), 8, 2, Path.of("charts", "gan", "samples-epoch-" + epoch + ".png"));
            System.out.println("Samples: " + grid.toAbsolutePath());
        }

        Map<String, double[]> curves = new LinkedHashMap<>();
        int window = Math.max(1, lossD.length / 60);                    // about 60 points on the chart
        curves.put("loss_D (mean of " + window + " steps)", movingMean(lossD, window));
        curves.put("loss_G (mean of " + window + " steps)", movingMean(lossG, window));
        System.out.println("Loss curves: " + Charts.lines("DCGAN on " + data.name() + ": losses", "step (×" + window + ")", "BCE",
                curves, Path.of("charts", "gan", "losses.png")).toAbsolutePath());

        // Evaluation: which classes does a judge trained on real images see in 1,000 samples?
        SampleClassifier judge = SampleClassifier.trainedOn(data, Path.of("runs", "judge"), 5);
        Tensor samples = generate(g, Tensor.randn(new Generator(seed + 3), 1000, nz, 1, 1));
        int[] generated = judge.histogram(samples, data.classes().length);
        int[] real = judge.histogram(data.test().inputs().narrow(0, 0, Math.min(1000, data.test().size())), data.classes().length);
        System.out.println("\nThe judge's classes for 1,000 generated and 1,000 real test images:");
        for (int c = 0; c < generated.length; c++) {
            System.out.printf("  %-12s generated %4d   real %4d%n", data.classes()[c], generated[c], real[c]);
        }
        System.out.printf(Locale.ROOT, "classes holding at least 2%% of the samples: %d of 10; largest class %.1f%%%n",
                classesAbove(generated, 0.02), 100.0 * Arrays.stream(generated).max().orElse(0) / 1000);
    }

    /**
     * One round of the game on a batch of real images {@code real} (B, 1, 28, 28) in [−1, 1]: a D step,
     * then a G step on the same generated images.
     */
    static Step trainStep(Sequential g, Sequential d, BCEWithLogitsLoss bce, Adam optimizerD, Adam optimizerG,
                          Tensor real, int nz, Generator noise) {
        int b = real.size(0);
        Tensor ones = Tensor.ones(b, 1);
        Tensor zeros = Tensor.zeros(b, 1);
        Tensor fake = g.forward(Tensor.randn(noise, b, nz, 1, 1));

        // D step: real images towards 1, generated ones towards 0. detach() keeps this step out of G.
        Tensor realLogits = d.forward(real);
        Tensor fakeLogits = d.forward(fake.detach());
        Tensor lossD = bce.forward(realLogits, ones).add(bce.forward(fakeLogits, zeros));
        optimizerD.zeroGrad();
        lossD.backward();
        optimizerD.step();

        // G step: make the just-updated D call the same generated images real. The gradient flows
        // through D into G; D's parameters receive gradients too, cleared by the next D step's zeroGrad.
        Tensor lossG = bce.forward(d.forward(fake), ones);
        optimizerG.zeroGrad();
        lossG.backward();
        optimizerG.step();
        return new Step(lossD.item(), lossG.item(), realLogits.sigmoid().mean().item(), fakeLogits.sigmoid().mean().item());
    }

    /** G's images for {@code z} in eval mode (BatchNorm's running statistics), mapped back to [0, 1]. */
    static Tensor generate(Sequential g, Tensor z) {
        g.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            return g.forward(z).add(1f).mul(0.5f).clamp(0f, 1f);
        } finally {
            g.train();
        }
    }

    /** Part two: a GAN and a flow on a ring of eight Gaussians, and which modes each covers. */
    static RingResult ring(int steps, int seed) throws IOException {
        return ring(GaussianMixture.onCircle(8, 2.0, 0.02), steps, 1e-3f, 16, seed);
    }

    /**
     * Trains a GAN ({@code lr}, noise of {@code nz} dims) and a flow-matching MLP for {@code steps} steps
     * of batch 256 on {@code target}, counts the modes each covers with 2,000 samples, and draws them.
     */
    static RingResult ring(GaussianMixture target, int steps, float lr, int nz, int seed) throws IOException {
        int modes = target.means().length;
        Generator data = new Generator(seed + 10);
        Generator noise = new Generator(seed + 11);
        int batch = 256;
        int samples = 2000;
        Sequential g = DcGan.pointGenerator(nz, 128);
        Sequential d = DcGan.pointDiscriminator(128);
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        Adam optimizerD = Adam.builder(d.parameters()).lr(lr).betas(0.5f, 0.999f).build();
        Adam optimizerG = Adam.builder(g.parameters()).lr(lr).betas(0.5f, 0.999f).build();
        Tensor ones = Tensor.ones(batch, 1);
        Tensor zeros = Tensor.zeros(batch, 1);
        Tensor fixedNoise = Tensor.randn(new Generator(seed + 12), samples, nz);
        Tensor truth = target.sample(samples, new Generator(seed + 13));      // the reference drawn in grey
        float[][] targetRows = PlaneCharts.rows(truth);
        List<XYChart> snapshots = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%nA GAN on a ring of %d Gaussians (radius %.1f, σ %.2f): %d steps of batch %d%n",
                modes, Math.hypot(target.means()[0][0], target.means()[0][1]), target.std(), steps, batch);
        for (int step = 1; step <= steps; step++) {
            Tensor real = target.sample(batch, data);
            Tensor fake = g.forward(Tensor.randn(noise, batch, nz));
            Tensor lossD = bce.forward(d.forward(real), ones).add(bce.forward(d.forward(fake.detach()), zeros));
            optimizerD.zeroGrad();
            lossD.backward();
            optimizerD.step();
            Tensor lossG = bce.forward(d.forward(fake), ones);
            optimizerG.zeroGrad();
            lossG.backward();
            optimizerG.step();
            if (step % (steps / 4) == 0) {
                Tensor points = points(g, fixedNoise.narrow(0, 0, 500));
                ModeCoverage now = ModeCoverage.of("step " + step, target, points);
                System.out.printf(Locale.ROOT, "step %5d: loss_D %.3f, loss_G %.3f, %d modes covered, points per mode %s%n",
                        step, lossD.item(), lossG.item(), now.covered(), Arrays.toString(now.perMode()));
                snapshots.add(PlaneCharts.scatter("GAN after " + step + " steps: " + now.covered() + " of " + modes + " modes",
                        PlaneCharts.rows(points), targetRows, 2.6));
            }
        }
        Tensor ganPoints = points(g, fixedNoise);
        ModeCoverage gan = ModeCoverage.of("GAN", target, ganPoints);

        // Flow matching on the same ring: the MLP vector field of the flow2d example, the conditional
        // flow-matching loss on the linear path, the same steps and batch; samples from the ODE.
        System.out.printf("Flow matching on the same ring: %d steps of batch %d%n", steps, batch);
        TimeMlp flow = new TimeMlp(2, 128);
        GaussianProbabilityPath path = new GaussianProbabilityPath(new LinearScheduler());
        Adam optimizer = Adam.builder(flow.parameters()).lr(2e-3f).build();
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, steps);
        Generator flowNoise = new Generator(seed + 14);
        for (int step = 1; step <= steps; step++) {
            Tensor loss = FlowMatching.conditionalFlowMatchingLoss(flow, path, target.sample(batch, data), flowNoise);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            schedule.step();
        }
        Tensor flowPoints = Samplers.sampleODE(flow, Tensor.randn(new Generator(seed + 15), samples, 2), 100);
        ModeCoverage flowCoverage = ModeCoverage.of("flow matching", target, flowPoints);
        RingResult result = new RingResult(gan, flowCoverage, ModeCoverage.of("target sample", target, truth));
        System.out.println(result.gan());
        System.out.println(result.flow());
        System.out.println(result.target());

        Path both = PlaneCharts.save(List.of(
                PlaneCharts.scatter("GAN: " + gan.covered() + " of " + modes + " modes", PlaneCharts.rows(ganPoints), targetRows, 2.6),
                PlaneCharts.scatter("flow matching: " + flowCoverage.covered() + " of " + modes + " modes",
                        PlaneCharts.rows(flowPoints), targetRows, 2.6)), 2, Path.of("charts", "gan", "ring-gan-vs-flow.png"));
        System.out.println("Ring, GAN beside flow matching: " + both.toAbsolutePath());
        System.out.println("GAN during training: " + PlaneCharts.save(snapshots, 4,
                Path.of("charts", "gan", "ring-gan-steps.png")).toAbsolutePath());
        return result;
    }

    private static Tensor points(Sequential g, Tensor z) {
        try (NoGrad ignored = NoGrad.enter()) {
            return g.forward(z);
        }
    }

    /** {@code n} empty captions: a grid of samples without words. */
    static String[] blank(int n) {
        String[] captions = new String[n];
        Arrays.fill(captions, "");
        return captions;
    }

    /** The number of classes holding at least {@code share} of all counts. */
    static int classesAbove(int[] counts, double share) {
        int total = Arrays.stream(counts).sum();
        return (int) Arrays.stream(counts).filter(c -> c >= share * total).count();
    }

    /** The mean of each window of {@code window} consecutive values (the last window may be shorter). */
    static double[] movingMean(double[] values, int window) {
        double[] means = new double[(values.length + window - 1) / window];
        for (int w = 0; w < means.length; w++) {
            int from = w * window;
            int to = Math.min(values.length, from + window);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            means[w] = sum / (to - from);
        }
        return means;
    }
}
