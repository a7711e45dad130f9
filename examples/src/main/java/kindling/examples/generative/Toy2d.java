package kindling.examples.generative;

import java.util.ArrayList;
import java.util.List;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The 2-D target distributions of the flow-matching and diffusion examples, each scaled to about
 * [−4, 4]²: a Gaussian mixture (separate modes), two moons and two circles (thin curved sets), a
 * checkerboard (sharp edges, eight separate squares).
 */
public enum Toy2d {
    /** Five equal Gaussians with std 0.4, their means on a circle of radius 3. */
    MIXTURE("mixture"),
    /** Two interleaved half circles (scikit-learn's make_moons, noise 0.05), centred and scaled by 2. */
    MOONS("moons"),
    /** Two concentric circles of radii 3 and 1.5 (make_circles, factor 0.5), noise 0.15. */
    CIRCLES("circles"),
    /** The black squares of a 4 × 4 board on [−4, 4]², uniform inside each. */
    CHECKERBOARD("checkerboard");

    private static final GaussianMixture FIVE_MODES = GaussianMixture.onCircle(5, 3, 0.4);

    private final String label;

    Toy2d(String label) {
        this.label = label;
    }

    /** The name used on the command line and in chart file names. */
    public String label() {
        return label;
    }

    /** The target whose label is {@code label}. */
    public static Toy2d byLabel(String label) {
        for (Toy2d target : values()) {
            if (target.label.equals(label)) {
                return target;
            }
        }
        throw new IllegalArgumentException("unknown target \"" + label + "\"; use mixture, moons, circles or checkerboard");
    }

    /** The targets named in a comma-separated list such as {@code "moons,circles"}, in its order. */
    public static List<Toy2d> byLabels(String commaSeparated) {
        List<Toy2d> targets = new ArrayList<>();
        for (String label : commaSeparated.split(",")) {
            targets.add(byLabel(label.trim()));
        }
        return targets;
    }

    /** n independent samples (n, 2). */
    public Tensor sample(int n, Generator generator) {
        if (this == MIXTURE) {
            return FIVE_MODES.sample(n, generator);
        }
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double x;
            double y;
            switch (this) {
                case MOONS -> {
                    double angle = Math.PI * generator.nextDouble();
                    boolean upper = generator.nextDouble() < 0.5;
                    x = upper ? Math.cos(angle) : 1 - Math.cos(angle);
                    y = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
                    x = 2 * (x - 0.5 + 0.05 * generator.nextGaussian());
                    y = 2 * (y - 0.25 + 0.05 * generator.nextGaussian());
                }
                case CIRCLES -> {
                    double angle = 2 * Math.PI * generator.nextDouble();
                    double radius = generator.nextDouble() < 0.5 ? 3 : 1.5;
                    x = radius * Math.cos(angle) + 0.15 * generator.nextGaussian();
                    y = radius * Math.sin(angle) + 0.15 * generator.nextGaussian();
                }
                default -> {
                    // a random cell (column, row) of the 4 × 4 board with column + row even, then a uniform point in it
                    int column = generator.nextInt(4);
                    int row = 2 * generator.nextInt(2) + (column % 2);
                    x = -4 + 2 * (column + generator.nextDouble());
                    y = -4 + 2 * (row + generator.nextDouble());
                }
            }
            xy[2 * i] = (float) x;
            xy[2 * i + 1] = (float) y;
        }
        return Tensor.of(xy, n, 2);
    }
}
