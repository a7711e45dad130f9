package kindling.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kindling.examples.generative.GaussianMixture;
import kindling.examples.generative.PlaneCharts;
import kindling.generative.DiffusionCoefficient;
import kindling.generative.EulerMaruyamaSolver;
import kindling.generative.Times;
import kindling.generative.Trajectory;
import kindling.generative.VectorField;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Simulating stochastic differential equations dX_t = u_t(X_t) dt + σ dW_t with Euler–Maruyama, as
 * the first lab of MIT 6.S184: three SDEs whose behaviour is known, and what the pictures show.
 * <ol>
 *   <li>Brownian motion, dX = σ dW: no drift; X_t ~ N(0, σ² t), the paths spread like √t.</li>
 *   <li>Ornstein–Uhlenbeck, dX = −θX dt + σ dW, for several σ: the drift pulls every path to 0, the
 *       noise pushes it away; they balance at the stationary N(0, σ²/(2θ)) — a larger σ spreads wider.</li>
 *   <li>Langevin dynamics, dX = (σ²/2) ∇log p(X) dt + σ dW, towards a Gaussian mixture p with its exact
 *       score: whatever the start, the particles' histogram approaches p.</li>
 *   <li>For a Gaussian target N(0, σ²/(2θ)) the Langevin drift (σ²/2)(−x/(σ²/(2θ))) is −θx: Langevin
 *       dynamics and the OU process are the same SDE, and with the same noise the same paths.</li>
 * </ol>
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="sde"
 *   options: --particles N (2000)  --seed N (0)
 * </pre>
 * Charts go to {@code charts/sde/}.
 */
public final class SdeExample {
    static final double THETA = 0.25;
    static final double[] OU_SIGMAS = {0, 0.5, 1, 2};
    /** The 1-D target of the Langevin dynamics: weights 0.3 and 0.7 at −1.5 and 1.5, std 0.7. */
    static final GaussianMixture TARGET_1D = new GaussianMixture(new float[][] {{-1.5f}, {1.5f}}, 0.7, new double[] {0.3, 0.7});

    private SdeExample() {
    }

    /** The spread of an OU process after a long time: the measured std of X_T beside the stationary σ/√(2θ). */
    record Spread(double sigma, double measuredStd, double stationaryStd) {
    }

    /** How far the particles' histogram is from the target density at time t: ∫|hist − p| dx (0 = equal, 2 = disjoint). */
    record HistogramError(double time, double l1) {
    }

    public static void main(String[] args) {
        Options options = Options.declare("sde", "Brownian motion, Ornstein-Uhlenbeck processes and Langevin dynamics simulated with "
                        + "Euler-Maruyama (MIT 6.S184, lab 1)")
                .integer("particles", 2000, "simulated particles per process")
                .seed()
                .parse(args);
        int particles = options.getInt("particles", 2000);
        long seed = options.getInt("seed", 0);
        Path dir = Path.of("charts", "sde");
        try {
            run(particles, seed, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(int particles, long seed, Path dir) throws IOException {
        Generator generator = new Generator(seed);

        // ---- 1. Brownian motion: dX = σ dW from 0 ------------------------------------------------
        Trajectory brownian = simulate((x, t) -> Tensor.zerosLike(x), 1.0, Tensor.zeros(particles, 1), 5, 500, generator);
        double varianceAt5 = moments(brownian.finalState())[1];
        System.out.printf(Locale.ROOT, "Brownian motion, σ = 1: Var[X_5] = %.3f over %d paths (exactly t = 5)%n",
                varianceAt5, particles);
        PlaneCharts.save(List.of(paths("Brownian motion, σ = 1 (10 paths)", brownian, 10)), 1, dir.resolve("brownian.png"));

        // ---- 2. Ornstein–Uhlenbeck: dX = −θX dt + σ dW, paths from −10 … 10 ------------------------
        System.out.printf(Locale.ROOT, "%nOrnstein–Uhlenbeck, θ = %.2f, 20 time units: the drift −θx pulls to 0, σ spreads%n", THETA);
        List<XYChart> ouPanels = new ArrayList<>();
        for (Spread spread : ouSpreads(particles, seed)) {
            System.out.printf(Locale.ROOT, "  σ = %.2f   std of X_20 %.3f   stationary σ/√(2θ) = %.3f%n",
                    spread.sigma(), spread.measuredStd(), spread.stationaryStd());
        }
        for (double sigma : OU_SIGMAS) {
            Tensor starts = Tensor.linspace(-10, 10, 10).reshape(10, 1);
            Trajectory ou = simulate(ouDrift(THETA), sigma, starts, 20, 2000, generator);
            ouPanels.add(paths(String.format(Locale.ROOT, "OU, θ = %.2f, σ = %.2f", THETA, sigma), ou, 10));
        }
        PlaneCharts.save(ouPanels, 4, dir.resolve("ou.png"));
        System.out.println("  a larger σ spreads wider: the stationary std grows in proportion to σ");

        // ---- 3. Langevin dynamics towards a 1-D Gaussian mixture, with its exact score ----------------
        double[] snapshotTimes = {0, 0.5, 2, 10, 40};
        Tensor start = Tensor.randn(generator, particles, 1).mul(0.3f).sub(4f);      // all far left, at −4
        Trajectory langevin = simulate(langevinDrift(TARGET_1D, 1.0), 1.0, start, 40, 4000, generator);
        System.out.println("\nLangevin dynamics dX = ½σ²∇log p dt + σ dW, σ = 1, towards 0.3·N(−1.5, 0.7²) + 0.7·N(1.5, 0.7²),"
                + " all particles starting near −4:");
        List<XYChart> histogramPanels = new ArrayList<>();
        for (HistogramError error : histogramErrors(langevin, snapshotTimes)) {
            System.out.printf(Locale.ROOT, "  t = %5.1f   ∫|histogram − p| dx = %.3f%n", error.time(), error.l1());
        }
        for (double time : snapshotTimes) {
            histogramPanels.add(histogramPanel(langevin, time));
        }
        PlaneCharts.save(histogramPanels, snapshotTimes.length, dir.resolve("langevin-histograms.png"));
        PlaneCharts.save(List.of(paths("Langevin paths towards the mixture (20 particles)", langevin, 20)), 1,
                dir.resolve("langevin-paths.png"));
        System.out.println("  the histogram reaches the target: first the near mode at −1.5, then, as particles hop over"
                + " the dip at 0, the heavier mode at 1.5 and the weights 0.3/0.7");

        // ---- 3b. the same in the plane: five modes on a circle ---------------------------------------
        GaussianMixture circle = GaussianMixture.onCircle(5, 3, 0.5);
        Trajectory plane = simulate(langevinDrift(circle, 1.0), 1.0, Tensor.randn(generator, particles, 2).mul(0.3f), 10, 1000,
                generator);
        List<XYChart> planePanels = new ArrayList<>();
        float[][] target = PlaneCharts.rows(circle.sample(particles, generator));
        for (double time : new double[] {0, 0.5, 2, 10}) {
            planePanels.add(PlaneCharts.scatter(String.format(Locale.ROOT, "t = %.1f", time), PlaneCharts.rows(stateAt(plane, time)), target, 5));
        }
        PlaneCharts.save(planePanels, 4, dir.resolve("langevin-2d.png"));

        // ---- 4. for a Gaussian target, Langevin dynamics is the OU process ----------------------------
        double gap = ouMinusLangevin(particles, seed);
        System.out.printf(Locale.ROOT, "%nOU (θ = %.2f, σ = 1) and Langevin dynamics towards its stationary N(0, σ²/(2θ)) = N(0, 2),"
                + " same noise:%n  largest difference between the two simulations %.2g — the same SDE%n", THETA, gap);
        System.out.println("\nCharts in " + dir.toAbsolutePath());
    }

    /** The OU drift u(x) = −θx. */
    static VectorField ouDrift(double theta) {
        return (x, t) -> x.mul((float) -theta);
    }

    /** The Langevin drift (σ²/2) ∇log p(x) with the target's exact score. */
    static VectorField langevinDrift(GaussianMixture target, double sigma) {
        VectorField score = target.score();
        return (x, t) -> score.apply(x, t).mul((float) (sigma * sigma / 2));
    }

    /** Euler–Maruyama with constant σ from x0 over [0, T] in {@code steps} steps, keeping every state. */
    static Trajectory simulate(VectorField drift, double sigma, Tensor x0, double horizon, int steps, Generator generator) {
        EulerMaruyamaSolver solver = new EulerMaruyamaSolver(drift, DiffusionCoefficient.constant(sigma), generator);
        return solver.simulateWithTrajectory(x0, Times.uniform(0, horizon, steps));
    }

    /** For each σ, the std of X_20 of {@code particles} OU paths started at 0, beside σ/√(2θ). */
    static List<Spread> ouSpreads(int particles, long seed) {
        List<Spread> spreads = new ArrayList<>();
        for (double sigma : OU_SIGMAS) {
            Trajectory ou = simulate(ouDrift(THETA), sigma, Tensor.zeros(particles, 1), 20, 2000, new Generator(seed + 1));
            spreads.add(new Spread(sigma, Math.sqrt(moments(ou.finalState())[1]), sigma / Math.sqrt(2 * THETA)));
        }
        return spreads;
    }

    /** ∫|histogram − p| dx at each time, with 60 bins over [−5, 5]. */
    static List<HistogramError> histogramErrors(Trajectory trajectory, double[] times) {
        List<HistogramError> errors = new ArrayList<>();
        for (double time : times) {
            double[][] histogram = histogram(stateAt(trajectory, time), -5, 5, 60);
            double width = 10.0 / 60;
            double l1 = 0;
            for (int b = 0; b < 60; b++) {
                l1 += Math.abs(histogram[1][b] - TARGET_1D.density(histogram[0][b])) * width;
            }
            errors.add(new HistogramError(time, l1));
        }
        return errors;
    }

    /** The largest |X_OU − X_Langevin| over a whole simulation with the same seed. */
    static double ouMinusLangevin(int particles, long seed) {
        double sigma = 1;
        double stationaryVariance = sigma * sigma / (2 * THETA);
        GaussianMixture gaussian = new GaussianMixture(new float[][] {{0}}, Math.sqrt(stationaryVariance), new double[] {1});
        Tensor x0 = Tensor.linspace(-10, 10, particles).reshape(particles, 1);
        Trajectory ou = simulate(ouDrift(THETA), sigma, x0, 20, 2000, new Generator(seed + 2));
        Trajectory langevin = simulate(langevinDrift(gaussian, sigma), sigma, x0, 20, 2000, new Generator(seed + 2));
        double gap = 0;
        for (int i = 0; i < ou.states().size(); i++) {
            gap = Math.max(gap, ou.states().get(i).sub(langevin.states().get(i)).abs().max().item());
        }
        return gap;
    }

    /** The state at the grid time nearest {@code time}. */
    static Tensor stateAt(Trajectory trajectory, double time) {
        float[] times = trajectory.times();
        int best = 0;
        for (int i = 1; i < times.length; i++) {
            if (Math.abs(times[i] - time) < Math.abs(times[best] - time)) {
                best = i;
            }
        }
        return trajectory.states().get(best);
    }

    /** Bin centres and densities (count / (n · width)) of 1-D samples (n, 1) on [lo, hi); outside ones are left out. */
    static double[][] histogram(Tensor samples, double lo, double hi, int bins) {
        double width = (hi - lo) / bins;
        double[] centres = new double[bins];
        double[] density = new double[bins];
        float[] values = samples.toArray();
        for (float v : values) {
            int b = (int) Math.floor((v - lo) / width);
            if (b >= 0 && b < bins) {
                density[b] += 1.0 / (values.length * width);
            }
        }
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * width;
        }
        return new double[][] {centres, density};
    }

    private static XYChart histogramPanel(Trajectory langevin, double time) {
        double[][] histogram = histogram(stateAt(langevin, time), -5, 5, 60);
        double[] density = new double[histogram[0].length];
        for (int b = 0; b < density.length; b++) {
            density[b] = TARGET_1D.density(histogram[0][b]);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("particles", histogram[1]);
        series.put("target p", density);
        XYChart chart = PlaneCharts.lines(String.format(Locale.ROOT, "t = %.1f", time), "x", "density", histogram[0], series,
                time == 0);
        chart.getSeries("particles").setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.getStyler().setYAxisMax(0.8).setYAxisMin(0.0);
        chart.getStyler().setXAxisMin(-5.0).setXAxisMax(5.0);
        chart.getStyler().setXAxisDecimalPattern("0").setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    /** The first {@code count} particles' coordinate over time, one line each. */
    private static XYChart paths(String title, Trajectory trajectory, int count) {
        float[] times = trajectory.times();
        double[] t = new double[times.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = times[i];
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int p = 0; p < count; p++) {
            double[] x = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                x[i] = trajectory.states().get(i).get(p, 0);
            }
            series.put("particle " + p, x);
        }
        XYChart chart = PlaneCharts.lines(title, "t", "X_t", t, series, false);
        chart.getSeriesCollection().forEach(s -> s.setMarker(SeriesMarkers.NONE));
        return chart;
    }

    /** Mean and biased variance of all elements. */
    static double[] moments(Tensor x) {
        double sum = 0;
        double squares = 0;
        float[] v = x.toArray();
        for (float f : v) {
            sum += f;
            squares += (double) f * f;
        }
        double mean = sum / v.length;
        return new double[] {mean, squares / v.length - mean * mean};
    }
}
