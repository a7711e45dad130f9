package kindling.examples.triplet;

import kindling.autograd.NoGrad;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Principal component analysis by power iteration: the directions along which points spread most,
 * used to draw D-dimensional embeddings in the plane.
 * <pre>
 *   μ = mean of the rows of X                 X (N, D)
 *   C = (X − μ)ᵀ (X − μ) / (N − 1)             the covariance, (D, D)
 *   power iteration: v ← C v / ‖C v‖, repeated; v tends to the eigenvector of the largest eigenvalue
 *                    λ = vᵀ C v  (it converges at the rate λ₂/λ₁ per step)
 *   deflation:       C ← C − λ v vᵀ, then iterate again for the next component
 *   projection:      Y = (X − μ) Vᵀ              V (k, D) the components as rows, Y (N, k)
 * </pre>
 * An eigenvector's sign is arbitrary; each component is flipped so that its largest coordinate is
 * positive, so the picture does not flip between runs. (PyTorch: {@code torch.pca_lowrank} or
 * {@code torch.linalg.eigh(C)}; scikit-learn's {@code PCA(n_components=2)}.)
 */
public final class Pca {
    private static final int MAX_ITERATIONS = 500;

    private final Tensor mean;
    private final Tensor components;
    private final float[] variances;

    private Pca(Tensor mean, Tensor components, float[] variances) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
    }

    /** The first {@code k} principal components of the rows of {@code x} (N, D). */
    public static Pca fit(Tensor x, int k) {
        if (x.dim() != 2 || x.size(0) < 2) {
            throw new ShapeException("Pca: expected points (N, D) with N at least 2 but got " + Shape.format(x.shape()));
        }
        int d = x.size(1);
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("Pca: k must be between 1 and D = " + d + ", got " + k);
        }
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor mean = x.mean(0, true);                                           // (1, D)
            Tensor centred = x.sub(mean);
            float[] c = centred.t().matmul(centred).div(x.size(0) - 1).contiguous().toArray();  // (D, D)
            float[] v = new float[k * d];
            float[] variances = new float[k];
            for (int component = 0; component < k; component++) {
                float[] vector = powerIteration(c, d);
                float lambda = rayleigh(c, vector, d);
                for (int i = 0; i < d; i++) {                                        // C ← C − λ v vᵀ
                    for (int j = 0; j < d; j++) {
                        c[i * d + j] -= lambda * vector[i] * vector[j];
                    }
                }
                System.arraycopy(vector, 0, v, component * d, d);
                variances[component] = lambda;
            }
            return new Pca(mean, Tensor.wrap(v, k, d), variances);
        }
    }

    /** The points' coordinates along the components: (x − μ) Vᵀ, shape (N, D) → (N, k). */
    public Tensor project(Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return x.sub(mean).matmul(components.t());
        }
    }

    /** The components as rows, unit length, (k, D). */
    public Tensor components() {
        return components;
    }

    /** The variance along each component (its eigenvalue of the covariance). */
    public float[] variances() {
        return variances.clone();
    }

    /** The dominant eigenvector of the symmetric {@code c} (d, d), from a fixed start. */
    private static float[] powerIteration(float[] c, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = 1f / (float) Math.sqrt(d) * (1 + 0.01f * i);   // not orthogonal to the answer, in practice
        }
        normalise(v);
        float[] next = new float[d];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int i = 0; i < d; i++) {                          // next = C v
                float sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += c[i * d + j] * v[j];
                }
                next[i] = sum;
            }
            if (normalise(next) == 0) {
                return v;                                          // C v = 0: no variance left
            }
            double change = 0;
            for (int i = 0; i < d; i++) {
                change += Math.abs(next[i] - v[i]);
                v[i] = next[i];
            }
            if (change < 1e-7) {
                break;
            }
        }
        int largest = 0;                                           // fix the sign: largest coordinate positive
        for (int i = 1; i < d; i++) {
            largest = Math.abs(v[i]) > Math.abs(v[largest]) ? i : largest;
        }
        if (v[largest] < 0) {
            for (int i = 0; i < d; i++) {
                v[i] = -v[i];
            }
        }
        return v;
    }

    /** λ = vᵀ C v for a unit vector v. */
    private static float rayleigh(float[] c, float[] v, int d) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sum += v[i] * c[i * d + j] * v[j];
            }
        }
        return (float) sum;
    }

    /** Scales v to unit length in place and returns its former length. */
    private static float normalise(float[] v) {
        double sum = 0;
        for (float value : v) {
            sum += value * value;
        }
        float norm = (float) Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
