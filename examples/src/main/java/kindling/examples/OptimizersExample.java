package kindling.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.data.Batch;
import kindling.data.DataLoader;
import kindling.data.ImageData;
import kindling.data.TensorDataset;
import kindling.examples.charts.Charts;
import kindling.examples.models.LeNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Sequential;
import kindling.nn.Summary;
import kindling.optim.Adagrad;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.optim.RMSprop;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.train.ProgressBar;
import kindling.train.Trainer;

/**
 * SGD, momentum, RMSProp, Adagrad and Adam side by side (d2l chapter 11), in two experiments:
 * <ol>
 *   <li>their paths on d2l's ill-conditioned bowl f(x₁, x₂) = 0.1·x₁² + 2·x₂², from (−5, −2), 20 steps
 *       each, drawn on one chart: plain SGD zig-zags along the steep x₂ while crawling along the
 *       flat x₁; momentum and the adaptive methods fix one or both;</li>
 *   <li>the same network (LeNet with ReLU and max pooling but no normalisation, which would hide
 *       the differences; the same initial weights for every optimizer) trained on
 *       Fashion-MNIST with each, the training loss every few steps on one chart.</li>
 * </ol>
 * <pre>
 *   mvn -q compile exec:java -Dexec.args="optimizers"
 *   mvn -q compile exec:java -Dexec.args="optimizers --help"   # every option with its default
 * </pre>
 * Charts go to {@code charts/optimizers/}.
 */
public final class OptimizersExample {
    private OptimizersExample() {
    }

    /** An optimizer made for a list of parameters, with the learning rate this example uses for it. */
    record Recipe(String name, Function<List<Tensor>, Optimizer> make) {
    }

    /** d2l chapter 11's settings for the bowl; each one is the optimizer's usual step on this scale. */
    static List<Recipe> bowlRecipes() {
        return List.of(
                new Recipe("SGD lr 0.4", p -> SGD.builder(p).lr(0.4f).build()),
                new Recipe("momentum lr 0.4, 0.5", p -> SGD.builder(p).lr(0.4f).momentum(0.5f).build()),
                new Recipe("Adagrad lr 0.4", p -> Adagrad.builder(p).lr(0.4f).build()),
                new Recipe("RMSProp lr 0.4, α 0.9", p -> RMSprop.builder(p).lr(0.4f).alpha(0.9f).build()),
                new Recipe("Adam lr 0.5", p -> Adam.builder(p).lr(0.5f).build()));
    }

    /**
     * Settings for the ReLU LeNet: a usual learning rate for each method (momentum's effective step
     * lr/(1 − β) = 0.5 is larger than plain SGD's, as in practice).
     */
    static List<Recipe> networkRecipes() {
        return List.of(
                new Recipe("SGD lr 0.1", p -> SGD.builder(p).lr(0.1f).build()),
                new Recipe("momentum lr 0.05, 0.9", p -> SGD.builder(p).lr(0.05f).momentum(0.9f).build()),
                new Recipe("Adagrad lr 0.05", p -> Adagrad.builder(p).lr(0.05f).build()),
                new Recipe("RMSProp lr 0.001", p -> RMSprop.builder(p).lr(0.001f).build()),
                new Recipe("Adam lr 0.001", p -> Adam.builder(p).lr(0.001f).build()));
    }

    /**
     * The points an optimizer visits on f(x₁, x₂) = 0.1·x₁² + 2·x₂² from (−5, −2): row t is (x₁, x₂)
     * after t steps, row 0 the start.
     */
    static float[][] bowlPath(Recipe recipe, int steps) {
        Tensor x = Tensor.of(new float[] {-5, -2}, 2).requiresGrad_();
        Optimizer optimizer = recipe.make().apply(List.of(x));
        Tensor scale = Tensor.of(new float[] {0.1f, 2f}, 2);
        float[][] path = new float[steps + 1][];
        path[0] = x.toArray();
        for (int t = 1; t <= steps; t++) {
            Tensor f = x.mul(x).mul(scale).sum();     // 0.1·x₁² + 2·x₂²
            optimizer.zeroGrad();
            f.backward();
            optimizer.step();
            path[t] = x.toArray();
        }
        return path;
    }

    /**
     * Trains {@code net} for {@code epochs} and returns the mean training loss of each run of
     * {@code every} consecutive steps: a curve smooth enough to compare. Progress goes to {@code out},
     * one bar per epoch labelled with {@code label}.
     */
    static double[] trainLossCurve(Sequential net, Optimizer optimizer, DataLoader train, int epochs, int every,
            String label, PrintStream out) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] curve = new double[epochs * train.numBatches() / every];
        int step = 0;
        double sum = 0;
        net.train();
        for (int epoch = 0; epoch < epochs; epoch++) {
            train.setEpoch(epoch);
            ProgressBar bar = new ProgressBar(out, out == System.out && ProgressBar.onTerminal(),
                    String.format("%-22s epoch %d/%d", label, epoch + 1, epochs), train.numBatches());
            double epochLoss = 0;
            long correct = 0;
            long images = 0;
            int done = 0;
            for (Batch batch : train) {
                Tensor logits = net.forward(batch.inputs());
                Tensor batchLoss = loss.forward(logits, batch.targets());
                optimizer.zeroGrad();
                batchLoss.backward();
                optimizer.step();
                sum += batchLoss.item();
                epochLoss += batchLoss.item() * batch.size();
                correct += Trainer.countCorrect(logits, batch.targets());
                images += batch.size();
                bar.update(++done, epochLoss / images, (double) correct / images, images);
                if (++step % every == 0 && step / every <= curve.length) {
                    curve[step / every - 1] = sum / every;
                    sum = 0;
                }
            }
        }
        return curve;
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.declare("optimizers", "SGD, momentum, RMSProp, Adagrad and Adam: paths on a bowl, "
                        + "then LeNet's loss curves under each.")
                .integer("epochs", 3, "passes over the training images, for each optimizer")
                .integer("examples", 6000, "train on the first N training images")
                .integer("batch-size", 128, "images per optimizer step")
                .fashionMnist().threads().seed().show()
                .parse(args);
        Charts.showWindows(options.has("show"));   // open each chart in a window too, where a display exists
        int epochs = options.getInt("epochs");
        int examples = options.getInt("examples");
        int batchSize = options.getInt("batch-size");
        int seed = options.getInt("seed");
        Threads.set(options.getInt("threads", Threads.get()));
        System.out.println("1. Paths on f(x1, x2) = 0.1 x1^2 + 2 x2^2 from (-5, -2), 20 steps (d2l 11.6-11.10):");
        Map<String, float[][]> paths = new LinkedHashMap<>();
        for (Recipe recipe : bowlRecipes()) {
            float[][] path = bowlPath(recipe, 20);
            paths.put(recipe.name(), path);
            float[] end = path[path.length - 1];
            System.out.printf("  %-24s ends at (%8.4f, %8.4f), f = %.5f%n", recipe.name(), end[0], end[1],
                    0.1 * end[0] * end[0] + 2 * end[1] * end[1]);
        }
        Path pathChart = Charts.paths("Optimizer paths on 0.1·x1² + 2·x2²", "x1", "x2", paths,
                (x1, x2) -> 0.1 * x1 * x1 + 2 * x2 * x2, Path.of("charts", "optimizers", "paths.png"));
        System.out.println("  chart: " + pathChart.toAbsolutePath());

        ImageData data = options.fashionMnist();
        System.out.println("\n2. LeNet (ReLU, max pooling, no normalisation) on Fashion-MNIST with each optimizer. Data: " + data);
        int n = Math.min(examples, data.train().size());
        TensorDataset trainSet = new TensorDataset(data.train().inputs().narrow(0, 0, n),
                data.train().targets().narrow(0, 0, n));
        DataLoader train = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(seed).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(512).build();
        System.out.printf("  %d training images, %d epochs, batch %d, the same initial weights for each%n",
                n, epochs, batchSize);
        Generator.manualSeed(seed);
        Sequential shown = LeNet.modern(LeNet.Norm.NONE);
        System.out.println("\n" + shown + "\n" + Summary.of(shown, 1, 1, 28, 28));
        int every = Math.max(1, train.numBatches() / 10);
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Recipe recipe : networkRecipes()) {
            Generator.manualSeed(seed);                // the same LeNet weights and batch order for every run
            Sequential net = LeNet.modern(LeNet.Norm.NONE);
            double[] curve = trainLossCurve(net, recipe.make().apply(net.parameters()), train, epochs, every,
                    recipe.name(), System.out);
            curves.put(recipe.name(), curve);
            Trainer.Evaluation result = Trainer.evaluate(net, new CrossEntropyLoss(), test);
            System.out.printf("  %-22s final train loss %.3f   test accuracy %.3f%n", recipe.name(),
                    curve[curve.length - 1], result.accuracy());
        }
        Path lossChart = Charts.lines("LeNet (ReLU) training loss on Fashion-MNIST", "training step",
                "training loss (mean of " + every + " steps)", curves, every,
                Path.of("charts", "optimizers", "lenet-loss.png"));
        System.out.println("  chart: " + lossChart.toAbsolutePath());
    }
}
