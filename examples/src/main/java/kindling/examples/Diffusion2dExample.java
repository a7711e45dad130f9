package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kindling.autograd.NoGrad;
import kindling.examples.generative.PlaneCharts;
import kindling.examples.generative.SlicedWasserstein;
import kindling.examples.generative.Toy2d;
import kindling.examples.models.TimeMlp;
import kindling.generative.DiffusionCoefficient;
import kindling.generative.EulerMaruyamaSolver;
import kindling.generative.GaussianProbabilityPath;
import kindling.generative.LinearScheduler;
import kindling.generative.Samplers;
import kindling.generative.ScoreMatching;
import kindling.generative.Times;
import kindling.generative.VectorField;
import kindling.kernels.Threads;
import kindling.optim.Adam;
import kindling.optim.CosineAnnealingLR;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.knowm.xchart.XYChart;

/**
 * Score matching and SDE sampling in the plane, as the third lab of MIT 6.S184: on the targets of
 * {@code flow2d}, a network learns the score ∇log p_t of the same linear Gaussian path by denoising
 * score matching, and samples come from the SDE that adds the Langevin term to the flow.
 * <pre>
 *   path:     x_t = t·z + (1 − t)·ε                         (the flow model's path)
 *   model:    ε^θ_t(x) = TimeMlp, a noise predictor;  score s^θ_t(x) = −ε^θ_t(x) / β_t,  β_t = 1 − t
 *   loss:     L = mean ‖ε^θ_t(x_t) − ε‖²                    (denoising score matching weighted by β_t²)
 *   update:   Adam, lr 2e-3 annealed along a cosine to 0, batch 256 (as flow2d)
 *   samplers: ODE   dX = u^θ_t(X) dt                                      (flow2d's model, σ = 0)
 *             SDE   dX = [u^θ_t(X) + σ²/2 · s^θ_t(X)] dt + σ dW          σ = 0.5, 1, 2
 *             SDE   with a decaying σ_t = 2(1 − t), which keeps Euler–Maruyama stable near t = 1
 *             score only: u_t from s^θ by the conversion formula, then the SDE with σ = 1
 *   relation: for a Gaussian path, s_t(x) = (α_t u_t(x) − α̇_t x) / (β_t² α̇_t − α_t β̇_t β_t)
 *             = (t·u_t(x) − x) / (1 − t); compared between the two separately trained networks
 * </pre>
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="diffusion2d"
 *   options: --targets mixture,moons,circles,checkerboard  --steps N (3000)  --samples N (2000)
 *            --seed N (0)  --threads N
 * </pre>
 * Charts go to {@code charts/diffusion2d/}.
 */
public final class Diffusion2dExample {
    static final double[] SIGMAS = {0.5, 1, 2};
    /** The score-only sampler starts here: the conversion u ← s divides by α_t = t. */
    static final double SCORE_ONLY_START = 0.01;

    private Diffusion2dExample() {
    }

    /** SW₂ to fresh target samples of each sampler, and the floor. */
    record Comparison(double ode, double[] sde, double decaying, double scoreOnly, Flow2dExample.Floor floor) {
    }

    /** How far the learned score is from the score of the learned vector field at time t: E‖s^θ − s(u^θ)‖² / E‖s^θ‖². */
    record Agreement(double time, double relativeSquaredError) {
    }

    public static void main(String[] args) {
        Options options = Options.declare("diffusion2d", "denoising score matching on 2-D targets, SDE sampling against the "
                        + "flow's ODE (MIT 6.S184, lab 3)")
                .integer("steps", 3000, "Adam steps per target")
                .integer("samples", 2000, "samples drawn per target and sampler")
                .text("targets", "LIST", "mixture,moons,circles,checkerboard", "comma-separated targets to train on")
                .threads().seed()
                .parse(args);
        int steps = options.getInt("steps", 3000);
        int samples = options.getInt("samples", 2000);
        long seed = options.getInt("seed", 0);
        Threads.set(options.getInt("threads", Threads.get()));
        List<Toy2d> targets = Toy2d.byLabels(options.get("targets", "mixture,moons,circles,checkerboard"));
        try {
            run(targets, steps, samples, seed, Path.of("charts", "diffusion2d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(List<Toy2d> targets, int steps, int samples, long seed, Path dir) throws IOException {
        GaussianProbabilityPath path = new GaussianProbabilityPath(new LinearScheduler());
        System.out.println("SW2 of " + samples + " samples to a fresh target sample (lower is better; the floor is the mean ± std"
                + " of the distance between two target samples, over " + Flow2dExample.FLOOR_PAIRS + " pairs)");
        System.out.println("target        ODE σ=0  SDE σ=0.5  SDE σ=1  SDE σ=2  σ_t=2(1−t)  score only          floor"
                + "   relative ‖s − s(u)‖² at t = .25 .5 .75   training seconds (wall, CPU)");
        for (Toy2d target : targets) {
            Flow2dExample.TrainedModel flow = Flow2dExample.train(target, steps, seed);
            TrainedNoise noise = trainNoisePredictor(target, path, steps, seed);
            VectorField vectorField = flow.model();
            VectorField score = path.scoreFromNoisePredictor(noise.model());
            Comparison comparison = compare(vectorField, score, path, target, samples, seed);
            List<Agreement> agreements = agreement(vectorField, score, path, target, new Generator(seed + 300));
            System.out.printf(Locale.ROOT, "%-12s %8.3f %10.3f %8.3f %8.3f %11.3f %11.3f %13s   %18.3f %5.3f %5.3f   %7.1f %5.1f%n",
                    target.label(), comparison.ode(), comparison.sde()[0], comparison.sde()[1], comparison.sde()[2],
                    comparison.decaying(), comparison.scoreOnly(), comparison.floor(), agreements.get(0).relativeSquaredError(),
                    agreements.get(1).relativeSquaredError(), agreements.get(2).relativeSquaredError(),
                    flow.seconds() + noise.seconds(), flow.cpuSeconds() + noise.cpuSeconds());
            charts(vectorField, score, path, target, samples, seed, dir);
        }
        System.out.println("\nThe score of the flow model, (t·u − x)/(1 − t), and the separately learned score agree up to the"
                + " relative error shown: both networks learned the same marginal probability path.");
        System.out.println("Charts in " + dir.toAbsolutePath());
    }

    /** A trained noise predictor with its training time. */
    record TrainedNoise(TimeMlp model, double[] losses, double seconds, double cpuSeconds) {
    }

    /** Trains ε^θ_t(x) with the noise-prediction form of denoising score matching. */
    static TrainedNoise trainNoisePredictor(Toy2d target, GaussianProbabilityPath path, int steps, long seed) {
        Generator.manualSeed(seed + 10);
        Generator generator = new Generator(seed + 11);
        TimeMlp model = new TimeMlp(2, Flow2dExample.WIDTH);
        Adam optimizer = Adam.builder(model.parameters()).lr(Flow2dExample.LR).build();
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, steps);
        double[] losses = new double[steps];
        long start = System.nanoTime();
        double cpuStart = CpuTime.processSeconds();
        for (int step = 0; step < steps; step++) {
            Tensor z = target.sample(Flow2dExample.BATCH, generator);                       // data
            Tensor loss = ScoreMatching.noisePredictionLoss(model, path, z, generator);     // mean ‖ε^θ_t(x_t) − ε‖²
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            schedule.step();
            losses[step] = loss.item();
        }
        return new TrainedNoise(model, losses, (System.nanoTime() - start) / 1e9,
                CpuTime.processSeconds() - cpuStart);
    }

    /** The SDE sampler dX = [u + σ²/2 · s] dt + σ dW from N(0, I), {@value Flow2dExample#ODE_STEPS} steps. */
    static Tensor sampleSde(VectorField vectorField, VectorField score, double sigma, int n, Generator generator) {
        return sampleSde(vectorField, score, DiffusionCoefficient.constant(sigma), n, generator);
    }

    static Tensor sampleSde(VectorField vectorField, VectorField score, DiffusionCoefficient sigma, int n,
                            Generator generator) {
        return Samplers.sampleSDE(vectorField, score, sigma, Tensor.randn(generator, n, 2), Flow2dExample.ODE_STEPS, generator);
    }

    /**
     * σ_t = 2(1 − t): much noise early, none at the data. Near a data point the score of the linear
     * path pulls back like −(x − α_t z)/β_t², a restoring rate σ²/(2β_t²); an Euler–Maruyama step is
     * stable only while h · σ²/(2β_t²) &lt; 2, which a constant σ breaks in the last steps, where β_t is
     * about h. A σ_t that shrinks with β_t keeps the rate bounded.
     */
    static DiffusionCoefficient decayingSigma() {
        return (x, t) -> Times.perSample(t, s -> 2 * (1 - s), x.dim());
    }

    /** The SDE sampler with the vector field computed from the score, on [0.01, 1]. */
    static Tensor sampleScoreOnly(VectorField score, GaussianProbabilityPath path, double sigma, int n, Generator generator) {
        DiffusionCoefficient diffusion = DiffusionCoefficient.constant(sigma);
        VectorField drift = Samplers.langevinDrift(path.vectorFieldFromScore(score), score, diffusion);
        return new EulerMaruyamaSolver(drift, diffusion, generator)
                .simulate(Tensor.randn(generator, n, 2), Times.uniform(SCORE_ONLY_START, 1, Flow2dExample.ODE_STEPS));
    }

    static Comparison compare(VectorField vectorField, VectorField score, GaussianProbabilityPath path, Toy2d target, int n,
                              long seed) {
        Generator generator = new Generator(seed + 100);
        Tensor reference = target.sample(n, generator);
        double ode = distance(Samplers.sampleODE(vectorField, Tensor.randn(generator, n, 2), Flow2dExample.ODE_STEPS), reference);
        double[] sde = new double[SIGMAS.length];
        for (int i = 0; i < SIGMAS.length; i++) {
            sde[i] = distance(sampleSde(vectorField, score, SIGMAS[i], n, generator), reference);
        }
        double decaying = distance(sampleSde(vectorField, score, decayingSigma(), n, generator), reference);
        double scoreOnly = distance(sampleScoreOnly(score, path, 1, n, generator), reference);
        return new Comparison(ode, sde, decaying, scoreOnly, Flow2dExample.floor(target, n, generator));
    }

    private static double distance(Tensor samples, Tensor reference) {
        return SlicedWasserstein.distance(samples, reference, Flow2dExample.PROJECTIONS, new Generator(7));
    }

    /** E‖s^θ − s(u^θ)‖² / E‖s^θ‖² over points x_t of the path at t = ¼, ½, ¾. */
    static List<Agreement> agreement(VectorField vectorField, VectorField score, GaussianProbabilityPath path, Toy2d target,
                                     Generator generator) {
        VectorField scoreOfFlow = path.scoreFromVectorField(vectorField);
        List<Agreement> agreements = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (double time : new double[] {0.25, 0.5, 0.75}) {
                int n = 2000;
                Tensor t = Times.full(n, time);
                Tensor x = path.sample(target.sample(n, generator), Tensor.randn(generator, n, 2), t);
                Tensor learned = score.apply(x, t);
                Tensor fromFlow = scoreOfFlow.apply(x, t);
                Tensor difference = learned.sub(fromFlow);
                agreements.add(new Agreement(time, difference.mul(difference).sum().item() / learned.mul(learned).sum().item()));
            }
        }
        return agreements;
    }

    private static void charts(VectorField vectorField, VectorField score, GaussianProbabilityPath path, Toy2d target, int n,
                               long seed, Path dir) throws IOException {
        Generator generator = new Generator(seed + 400);
        float[][] reference = PlaneCharts.rows(target.sample(n, generator));
        List<XYChart> panels = new ArrayList<>();
        panels.add(PlaneCharts.scatter(target.label() + ": ODE (flow)", PlaneCharts.rows(
                Samplers.sampleODE(vectorField, Tensor.randn(generator, n, 2), Flow2dExample.ODE_STEPS)), reference, Flow2dExample.RANGE));
        for (double sigma : SIGMAS) {
            panels.add(PlaneCharts.scatter(String.format(Locale.ROOT, "SDE, σ = %.1f", sigma),
                    PlaneCharts.rows(sampleSde(vectorField, score, sigma, n, generator)), reference, Flow2dExample.RANGE));
        }
        panels.add(PlaneCharts.scatter("SDE, σ_t = 2(1 − t)", PlaneCharts.rows(sampleSde(vectorField, score, decayingSigma(), n,
                generator)), reference, Flow2dExample.RANGE));
        panels.add(PlaneCharts.scatter("score only, σ = 1", PlaneCharts.rows(sampleScoreOnly(score, path, 1, n, generator)),
                reference, Flow2dExample.RANGE));
        PlaneCharts.save(panels, 6, dir.resolve(target.label() + "-samplers.png"));

        List<XYChart> fields = new ArrayList<>();
        for (double t : new double[] {0.5, 0.8}) {
            double scale = 0.4 * (1 - t) * (1 - t);          // the score grows like 1/β_t²: shorter arrows later
            fields.add(Flow2dExample.fieldPanel(String.format(Locale.ROOT, "learned score s_t, t = %.1f", t), score, t, scale));
            fields.add(Flow2dExample.fieldPanel(String.format(Locale.ROOT, "(t·u_t − x)/(1 − t), t = %.1f", t),
                    path.scoreFromVectorField(vectorField), t, scale));
        }
        PlaneCharts.save(fields, 4, dir.resolve(target.label() + "-score-vs-field.png"));
    }
}
