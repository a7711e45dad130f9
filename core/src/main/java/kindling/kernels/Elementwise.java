package kindling.kernels;

/**
 * Elementwise kernels that are hot in training and slow one element at a time: the sigmoid (an
 * exponential per element) and the ReLU's backward mask (a branch on the sign, which the CPU
 * mispredicts on real activations). Each works on a range [from, to) of its arrays, so callers can
 * hand blocks to {@link Threads#parallelRange}.
 *
 * <p>Two implementations of each, chosen by the {@link Kernels#mode() kernel mode}: {@code ElementwiseSimd}
 * (the Vector API, a vector of lanes at a time, with its vector exponential) in mode {@code simd},
 * otherwise the plain loops here, which are also the naive twins. They agree exactly for the mask and to a few float ulps for the
 * sigmoid (tested). d2l's LeNet spent a sixth of its training step in sigmoids computed one
 * {@code Math.exp} at a time.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /**
     * y[i] = σ(x[i]) = 1 / (1 + e^(−x[i])) for from ≤ i &lt; to. Without overflow: with e = e^(−|x|),
     * in (0, 1], σ(x) = 1 / (1 + e) for x ≥ 0 and e / (1 + e) = e · σ(|x|) for x &lt; 0; both halves
     * are computed and one selected, rather than branching on the sign.
     */
    public static void sigmoid(float[] x, float[] y, int from, int to) {
        if (Kernels.simd()) {
            ElementwiseSimd.sigmoid(x, y, from, to);    // only named here: loaded only with the Vector API
        } else {
            sigmoidPlain(x, y, from, to);
        }
    }

    /**
     * ∂L/∂x[i] = y[i] &gt; 0 ? ∂L/∂y[i] : 0 for from ≤ i &lt; to, where y = relu(x): PyTorch's
     * {@code threshold_backward}, written {@code y <= 0 ? 0 : g} so a NaN output passes its gradient.
     */
    public static void reluBackward(float[] y, float[] gradY, float[] gradX, int from, int to) {
        if (Kernels.simd()) {
            ElementwiseSimd.reluBackward(y, gradY, gradX, from, to);
        } else {
            reluBackwardPlain(y, gradY, gradX, from, to);
        }
    }

    /** The plain-Java sigmoid loop, whatever the JVM has; for the SIMD path's tail, tests and benchmarks. */
    static void sigmoidPlain(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = sigmoid(x[i]);
        }
    }

    /** The plain-Java ReLU mask loop. */
    static void reluBackwardPlain(float[] y, float[] gradY, float[] gradX, int from, int to) {
        for (int i = from; i < to; i++) {
            gradX[i] = y[i] <= 0 ? 0f : gradY[i];
        }
    }

    /** σ(x) for one value, in double precision, without overflow for any x (NaN gives NaN). */
    public static float sigmoid(float x) {
        double e = Math.exp(-Math.abs((double) x));
        double positive = 1 / (1 + e);
        return (float) (x >= 0 ? positive : e * positive);
    }
}
