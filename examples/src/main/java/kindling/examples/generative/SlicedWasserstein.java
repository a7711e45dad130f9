package kindling.examples.generative;

import java.util.Arrays;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The sliced Wasserstein-2 distance between two point clouds of the same size, the examples' measure
 * of sample quality.
 * <pre>
 *   SW₂(A, B) = √( E_θ W₂²(θᵀA, θᵀB) ),    θ uniform on the unit sphere
 *   W₂²(a, b) = (1/n) Σ_i (a_(i) − b_(i))²   for sorted projections a_(1) ≤ … ≤ a_(n) (1-D optimal transport)
 * </pre>
 * In one dimension the optimal transport pairs the sorted values, so each slice costs one sort; the
 * expectation over directions is estimated with a fixed number of random directions. Two samples of
 * the same distribution are not at distance 0: their distance (the "floor") is what a perfect model
 * would score, and a model is judged by how close it comes to it.
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {
    }

    /** SW₂ between a (n, d) and b (n, d) over {@code projections} random directions drawn from {@code generator}. */
    public static double distance(Tensor a, Tensor b, int projections, Generator generator) {
        if (a.dim() != 2 || !Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("SlicedWasserstein: expected two clouds (n, d) of the same shape, got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        int n = a.size(0);
        int d = a.size(1);
        float[] x = a.contiguous().toArray();
        float[] y = b.contiguous().toArray();
        double[] pa = new double[n];
        double[] pb = new double[n];
        double[] direction = new double[d];
        double total = 0;
        for (int p = 0; p < projections; p++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {                  // a Gaussian vector, normalised: uniform on the sphere
                direction[j] = generator.nextGaussian();
                norm += direction[j] * direction[j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                double u = 0;
                double v = 0;
                for (int j = 0; j < d; j++) {
                    u += x[i * d + j] * direction[j];
                    v += y[i * d + j] * direction[j];
                }
                pa[i] = u / norm;
                pb[i] = v / norm;
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            double squared = 0;
            for (int i = 0; i < n; i++) {
                squared += (pa[i] - pb[i]) * (pa[i] - pb[i]);
            }
            total += squared / n;
        }
        return Math.sqrt(total / projections);
    }
}
