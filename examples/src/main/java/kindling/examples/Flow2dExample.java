package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kindling.examples.generative.PlaneCharts;
import kindling.examples.generative.SlicedWasserstein;
import kindling.examples.generative.Toy2d;
import kindling.examples.models.TimeMlp;
import kindling.generative.EulerSolver;
import kindling.generative.FlowMatching;
import kindling.generative.GaussianProbabilityPath;
import kindling.generative.LinearScheduler;
import kindling.generative.Times;
import kindling.generative.Trajectory;
import kindling.generative.VectorField;
import kindling.kernels.Threads;
import kindling.optim.Adam;
import kindling.optim.CosineAnnealingLR;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.knowm.xchart.XYChart;

/**
 * Flow matching in the plane, as the second lab of MIT 6.S184: an MLP vector field u^θ_t(x) learns to
 * carry Gaussian noise to a 2-D target, trained with the conditional flow-matching loss on the linear
 * ("CondOT") Gaussian path, then sampled by simulating its ODE with Euler's method.
 * <pre>
 *   data:    z ~ target (a Gaussian mixture, two moons, two circles, a checkerboard), fresh each step
 *   path:    x_t = t·z + (1 − t)·ε,  ε ~ N(0, I),  t ~ U[0, 1)
 *   model:   u^θ_t(x) = TimeMlp: cat(x, t) (N, 3) → 3 × [Linear(·, 128), SiLU] → Linear(128, 2)
 *   loss:    L_CFM = mean ‖u^θ_t(x_t) − (z − ε)‖²
 *   update:  Adam, lr 2e-3 annealed along a cosine to 0, batch 256
 *   sample:  X_0 ~ N(0, I),  X_{t+h} = X_t + h·u^θ_t(X_t),  100 steps
 *   measure: sliced Wasserstein distance SW₂(samples, fresh target samples), beside the floor
 *            SW₂(target, another target sample) and the start SW₂(noise, target)
 * </pre>
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="flow2d"
 *   options: --targets mixture,moons,circles,checkerboard  --steps N (3000)  --samples N (2000)
 *            --seed N (0)  --threads N
 * </pre>
 * Charts go to {@code charts/flow2d/}: for each target the samples at t = 0, ¼, ½, ¾, 1, some
 * trajectories, and the learned field; the training losses of all targets on one chart.
 */
public final class Flow2dExample {
    static final int WIDTH = 128;
    static final int BATCH = 256;
    static final float LR = 2e-3f;
    static final int ODE_STEPS = 100;
    static final int PROJECTIONS = 200;
    static final int FLOOR_PAIRS = 5;
    /** Chart range: every target lies inside [−5, 5]². */
    static final double RANGE = 5;

    private Flow2dExample() {
    }

    /**
     * A trained flow model with its loss per step, the training's wall-clock seconds and the CPU
     * seconds the process used meanwhile (on a busy machine the wall clock also counts the time spent
     * waiting for a core; the CPU time does not).
     */
    record TrainedModel(TimeMlp model, double[] losses, double seconds, double cpuSeconds) {
        /** The mean loss of the last 10% of the steps. */
        double finalLoss() {
            double sum = 0;
            int from = losses.length - Math.max(1, losses.length / 10);
            for (int i = from; i < losses.length; i++) {
                sum += losses[i];
            }
            return sum / (losses.length - from);
        }
    }

    /** Sliced Wasserstein distances to a fresh target sample: of the model's samples, of other target samples, of the noise. */
    record Quality(double model, Floor floor, double noise) {
    }

    /**
     * The distance between two independent target samples of the same size, over several pairs: its
     * mean is what a perfect sampler would score, its standard deviation how much any single
     * distance of this size moves by chance.
     */
    record Floor(double mean, double std) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f ± %.3f", mean, std);
        }
    }

    public static void main(String[] args) {
        Options options = Options.declare("flow2d", "conditional flow matching on 2-D targets with an MLP vector field "
                        + "(MIT 6.S184, lab 2)")
                .integer("steps", 3000, "Adam steps per target")
                .integer("samples", 2000, "samples drawn from the learned flow per target")
                .text("targets", "LIST", "mixture,moons,circles,checkerboard", "comma-separated targets to train on")
                .threads().seed()
                .parse(args);
        int steps = options.getInt("steps", 3000);
        int samples = options.getInt("samples", 2000);
        long seed = options.getInt("seed", 0);
        Threads.set(options.getInt("threads", Threads.get()));
        List<Toy2d> targets = Toy2d.byLabels(options.get("targets", "mixture,moons,circles,checkerboard"));
        Path dir = Path.of("charts", "flow2d");
        try {
            run(targets, steps, samples, seed, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(List<Toy2d> targets, int steps, int samples, long seed, Path dir) throws IOException {
        System.out.println(new TimeMlp(2, WIDTH));
        System.out.println(new TimeMlp(2, WIDTH).numParameters() + " parameters; x (N, 2), t (N) → cat (N, 3) → u (N, 2)\n");
        Map<String, double[]> lossCurves = new LinkedHashMap<>();
        System.out.println("target         steps  final loss  SW2(samples)  floor SW2(target, target)  SW2(noise)"
                + "  seconds (wall, CPU)");
        System.out.println("                                             (mean ± std of " + FLOOR_PAIRS + " pairs)");
        for (Toy2d target : targets) {
            TrainedModel trained = train(target, steps, seed);
            Quality quality = quality(trained.model(), target, samples, new Generator(seed + 100));
            System.out.printf(Locale.ROOT, "%-13s %6d  %10.3f  %12.3f  %25s  %10.3f  %7.1f %5.1f%n", target.label(), steps,
                    trained.finalLoss(), quality.model(), quality.floor(), quality.noise(), trained.seconds(),
                    trained.cpuSeconds());
            lossCurves.put(target.label(), smooth(trained.losses(), 50));
            charts(trained.model(), target, samples, seed, dir);
        }
        double[] x = new double[lossCurves.values().iterator().next().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 50 * (i + 1);                                     // the last step of each run of 50
        }
        PlaneCharts.save(List.of(PlaneCharts.lines("CFM loss, mean of 50 steps", "step", "loss", x,
                lossCurves, true)), 1, dir.resolve("losses.png"));
        System.out.println("\nThe loss does not go to 0: the conditional target z − ε is random given x_t, and the"
                + " network learns its mean, the marginal vector field.");
        System.out.println("Charts in " + dir.toAbsolutePath());
    }

    /** Trains a flow model on {@code target} for {@code steps} steps of conditional flow matching. */
    static TrainedModel train(Toy2d target, int steps, long seed) {
        Generator.manualSeed(seed);                                  // the same initial weights every run
        Generator generator = new Generator(seed + 1);
        GaussianProbabilityPath path = new GaussianProbabilityPath(new LinearScheduler());
        TimeMlp model = new TimeMlp(2, WIDTH);
        Adam optimizer = Adam.builder(model.parameters()).lr(LR).build();
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, steps);
        double[] losses = new double[steps];
        long start = System.nanoTime();
        double cpuStart = CpuTime.processSeconds();
        for (int step = 0; step < steps; step++) {
            Tensor z = target.sample(BATCH, generator);                                    // (256, 2) data
            Tensor loss = FlowMatching.conditionalFlowMatchingLoss(model, path, z, generator);   // t, ε drawn inside
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            schedule.step();
            losses[step] = loss.item();
        }
        return new TrainedModel(model, losses, (System.nanoTime() - start) / 1e9, CpuTime.processSeconds() - cpuStart);
    }

    /** Samples of the model's ODE from N(0, I), Euler with {@value #ODE_STEPS} steps. */
    static Trajectory sampleTrajectory(VectorField model, int n, Generator generator) {
        return new EulerSolver(model).simulateWithTrajectory(Tensor.randn(generator, n, 2), Times.uniform(0, 1, ODE_STEPS));
    }

    /** SW₂ of n model samples, of n other target samples, and of n noise points, each against n fresh target samples. */
    static Quality quality(VectorField model, Toy2d target, int n, Generator generator) {
        Tensor reference = target.sample(n, generator);
        Tensor samples = sampleTrajectory(model, n, generator).finalState();
        return new Quality(
                SlicedWasserstein.distance(samples, reference, PROJECTIONS, new Generator(7)),
                floor(target, n, generator),
                SlicedWasserstein.distance(Tensor.randn(generator, n, 2), reference, PROJECTIONS, new Generator(7)));
    }

    /** SW₂ between two fresh target samples of size n, over {@value #FLOOR_PAIRS} pairs. */
    static Floor floor(Toy2d target, int n, Generator generator) {
        double[] distances = new double[FLOOR_PAIRS];
        double mean = 0;
        for (int i = 0; i < FLOOR_PAIRS; i++) {
            distances[i] = SlicedWasserstein.distance(target.sample(n, generator), target.sample(n, generator), PROJECTIONS,
                    new Generator(7));
            mean += distances[i] / FLOOR_PAIRS;
        }
        double variance = 0;
        for (double d : distances) {
            variance += (d - mean) * (d - mean) / (FLOOR_PAIRS - 1);
        }
        return new Floor(mean, Math.sqrt(variance));
    }

    private static void charts(TimeMlp model, Toy2d target, int n, long seed, Path dir) throws IOException {
        Generator generator = new Generator(seed + 200);
        float[][] reference = PlaneCharts.rows(target.sample(n, generator));
        Trajectory trajectory = sampleTrajectory(model, n, generator);

        List<XYChart> panels = new ArrayList<>();
        for (double t : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            panels.add(PlaneCharts.scatter(String.format(Locale.ROOT, "%s, t = %.2f", target.label(), t),
                    PlaneCharts.rows(SdeExample.stateAt(trajectory, t)), reference, RANGE));
        }
        PlaneCharts.save(panels, 5, dir.resolve(target.label() + "-samples.png"));

        float[][][] paths = new float[40][ODE_STEPS + 1][];
        for (int s = 0; s <= ODE_STEPS; s++) {
            float[][] rows = PlaneCharts.rows(trajectory.states().get(s));
            for (int p = 0; p < paths.length; p++) {
                paths[p][s] = rows[p];
            }
        }
        List<XYChart> fieldPanels = new ArrayList<>();
        fieldPanels.add(PlaneCharts.paths(target.label() + ": 40 ODE trajectories", paths, reference, RANGE));
        for (double t : new double[] {0, 0.5, 0.9}) {
            fieldPanels.add(fieldPanel(String.format(Locale.ROOT, "learned u_t(x), t = %.1f", t), model, t, 0.15));
        }
        PlaneCharts.save(fieldPanels, 4, dir.resolve(target.label() + "-field.png"));
    }

    /** Arrows of a field on a 15 × 15 grid over the chart range, each scaled by {@code scale}. */
    static XYChart fieldPanel(String title, VectorField field, double t, double scale) {
        int side = 15;
        float[] grid = new float[side * side * 2];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                grid[2 * (i * side + j)] = (float) (-RANGE + 2 * RANGE * (j + 0.5) / side);
                grid[2 * (i * side + j) + 1] = (float) (-RANGE + 2 * RANGE * (i + 0.5) / side);
            }
        }
        Tensor points = Tensor.of(grid, side * side, 2);
        Tensor vectors;
        try (kindling.autograd.NoGrad ignored = kindling.autograd.NoGrad.enter()) {
            vectors = field.apply(points, Times.full(side * side, t));
        }
        return PlaneCharts.arrows(title, PlaneCharts.rows(points), PlaneCharts.rows(vectors), scale, RANGE);
    }

    /** The mean of each run of {@code window} values. */
    static double[] smooth(double[] values, int window) {
        double[] means = new double[values.length / window];
        for (int i = 0; i < means.length; i++) {
            for (int j = 0; j < window; j++) {
                means[i] += values[i * window + j] / window;
            }
        }
        return means;
    }
}
