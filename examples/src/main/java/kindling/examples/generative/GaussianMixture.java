package kindling.examples.generative;

import kindling.generative.VectorField;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * A mixture of isotropic Gaussians in d dimensions, with everything in closed form: samples, the
 * density and the exact score — the target the Langevin dynamics of the {@code sde} example run
 * towards, and one of the 2-D targets of {@code flow2d} and {@code diffusion2d}.
 * <pre>
 *   p(x) = Σ_k w_k N(x; μ_k, s² I)
 *   ∇ log p(x) = Σ_k γ_k(x) · (μ_k − x) / s²,     γ_k(x) = w_k N(x; μ_k, s² I) / p(x)   (responsibilities)
 * </pre>
 *
 * @param means   μ_k, one row of d coordinates per component
 * @param std     s, the same standard deviation in every direction and component
 * @param weights w_k, summing to 1
 */
public record GaussianMixture(float[][] means, double std, double[] weights) {
    public GaussianMixture {
        if (means.length == 0 || means.length != weights.length || !(std > 0)) {
            throw new IllegalArgumentException("GaussianMixture: need as many weights as means (" + means.length + " vs "
                    + weights.length + ") and std > 0, got " + std);
        }
    }

    /** {@code count} equal components with means evenly spaced on a circle of {@code radius} in the plane. */
    public static GaussianMixture onCircle(int count, double radius, double std) {
        float[][] means = new float[count][];
        double[] weights = new double[count];
        for (int k = 0; k < count; k++) {
            double angle = 2 * Math.PI * k / count;
            means[k] = new float[] {(float) (radius * Math.cos(angle)), (float) (radius * Math.sin(angle))};
            weights[k] = 1.0 / count;
        }
        return new GaussianMixture(means, std, weights);
    }

    public int dim() {
        return means[0].length;
    }

    /** n samples (n, d): pick a component by its weight, then add s·N(0, I) to its mean. */
    public Tensor sample(int n, Generator generator) {
        int d = dim();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int k = pick(generator.nextDouble());
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (means[k][j] + std * generator.nextGaussian());
            }
        }
        return Tensor.of(x, n, d);
    }

    private int pick(double u) {
        double cumulative = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            cumulative += weights[k];
            if (u < cumulative) {
                return k;
            }
        }
        return weights.length - 1;
    }

    /** p(x) at one point x (d). */
    public double density(double... x) {
        double total = 0;
        for (int k = 0; k < weights.length; k++) {
            total += weights[k] * Math.exp(logGaussian(x, k));
        }
        return total;
    }

    private double logGaussian(double[] x, int k) {
        double squared = 0;
        for (int j = 0; j < x.length; j++) {
            double diff = x[j] - means[k][j];
            squared += diff * diff;
        }
        return -squared / (2 * std * std) - x.length / 2.0 * Math.log(2 * Math.PI * std * std);
    }

    /**
     * The exact score ∇ log p as a vector field (constant in t). The responsibilities are computed
     * from log-densities minus their maximum, so far from every mean they do not underflow to 0/0.
     */
    public VectorField score() {
        return (x, t) -> {
            int n = x.size(0);
            int d = dim();
            float[] points = x.contiguous().toArray();
            float[] result = new float[n * d];
            double[] logTerms = new double[weights.length];
            double[] point = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    point[j] = points[i * d + j];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < weights.length; k++) {
                    logTerms[k] = Math.log(weights[k]) + logGaussian(point, k);
                    max = Math.max(max, logTerms[k]);
                }
                double normaliser = 0;
                for (int k = 0; k < weights.length; k++) {
                    logTerms[k] = Math.exp(logTerms[k] - max);
                    normaliser += logTerms[k];
                }
                for (int k = 0; k < weights.length; k++) {
                    double responsibility = logTerms[k] / normaliser;
                    for (int j = 0; j < d; j++) {
                        result[i * d + j] += (float) (responsibility * (means[k][j] - point[j]) / (std * std));
                    }
                }
            }
            return Tensor.of(result, n, d);
        };
    }
}
