package kindling.examples;

import java.util.Locale;
import kindling.autograd.NoGrad;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Linear;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * A first neural network: three interleaved spirals in the plane, which no straight line can
 * separate, learned by a multi-layer perceptron. The classic toy problem of Stanford's CS231n notes.
 * <pre>
 *   model:  x (N, 2) → Linear(2, 64) → ReLU → Linear(64, 64) → ReLU → Linear(64, 3) → scores (N, 3)
 *   loss:   cross-entropy of the scores against the class of each point
 *   update: Adam, lr 0.01, the whole data set as one batch
 * </pre>
 * Every piece is the PyTorch one under the same name, so this is the loop of every PyTorch
 * tutorial: forward, loss, zeroGrad, backward, step.
 */
public final class SpiralClassifier {
    static final int CLASSES = 3;
    static final int POINTS_PER_CLASS = 100;

    private SpiralClassifier() {
    }

    public static void main(String[] args) {
        Options options = Options.declare("spirals", "A two-layer MLP (Linear, ReLU, CrossEntropyLoss, Adam) "
                        + "learns three spirals.")
                .integer("steps", 300, "Adam steps over the 300 points")
                .parse(args);
        float accuracy = train(options.getInt("steps"), true);
        System.out.printf(Locale.ROOT, "%nfinal training accuracy %.1f%%%n", 100 * accuracy);
    }

    /** Trains for {@code steps} and returns the accuracy on the training points. */
    static float train(int steps, boolean verbose) {
        Generator.manualSeed(0);                             // the same weights and points every run
        Spirals data = spirals(new Generator(1));
        Tensor points = data.points();                       // (300, 2)
        Tensor labels = data.labels();                       // (300,) class indices 0, 1, 2

        Sequential model = new Sequential(
                new Linear(2, 64), new ReLU(),
                new Linear(64, 64), new ReLU(),
                new Linear(64, CLASSES));
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        Adam optimizer = Adam.builder(model.parameters()).lr(0.01f).build();
        if (verbose) {
            System.out.println(model);
            System.out.println(model.numParameters() + " parameters\n");
        }

        for (int step = 1; step <= steps; step++) {
            Tensor scores = model.forward(points);           // (300, 3)
            Tensor loss = lossFunction.forward(scores, labels);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (verbose && (step == 1 || step % 50 == 0)) {
                System.out.printf(Locale.ROOT, "step %3d   loss %.4f   accuracy %.1f%%%n", step, loss.item(),
                        100 * accuracy(model, points, labels));
            }
        }
        return accuracy(model, points, labels);
    }

    /** The fraction of points whose highest score is their class. */
    static float accuracy(Sequential model, Tensor points, Tensor labels) {
        try (NoGrad scope = NoGrad.enter()) {
            Tensor predicted = model.forward(points).argmax(1);
            return predicted.eq(labels).mean().item();
        }
    }

    /**
     * Class k's i-th point lies at radius r = i/n and angle t = 4k + 4r + noise: three arms winding
     * out from the origin, each a third of a turn apart.
     */
    static Spirals spirals(Generator gen) {
        int n = POINTS_PER_CLASS;
        float[] xy = new float[CLASSES * n * 2];
        float[] label = new float[CLASSES * n];
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < n; i++) {
                int row = k * n + i;
                double radius = (double) i / n;
                double angle = 4 * k + 4 * radius + 0.2 * gen.nextGaussian();
                xy[2 * row] = (float) (radius * Math.sin(angle));
                xy[2 * row + 1] = (float) (radius * Math.cos(angle));
                label[row] = k;
            }
        }
        return new Spirals(Tensor.wrap(xy, CLASSES * n, 2), Tensor.wrap(label, CLASSES * n));
    }

    /** The points (N, 2) and their classes (N), as floats. */
    record Spirals(Tensor points, Tensor labels) {
    }
}
