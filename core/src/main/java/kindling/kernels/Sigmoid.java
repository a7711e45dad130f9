package kindling.kernels;

/**
 * The logistic sigmoid over an array, the kernel behind {@code SigmoidOp}:
 * <pre>
 *   y[i] = σ(x[i]) = 1 / (1 + e^(−x[i]))
 * </pre>
 * Computed without overflow: with e = e^(−|x|), which lies in (0, 1], σ(x) = 1 / (1 + e) for x ≥ 0
 * and e / (1 + e) = e · σ(|x|) for x &lt; 0. Both halves are computed and one is selected, rather than
 * branching on the sign, which on real activations is a coin toss the CPU mispredicts.
 *
 * <p>Two implementations of the same formula, chosen like {@link Gemm}'s: {@code SigmoidSimd} (the
 * Vector API's exponential, eight lanes at a time) when the Vector API is in use, otherwise
 * {@link #sigmoid(float)} one element at a time in double precision. They agree to a few float
 * ulps (tested). The sigmoid of d2l's LeNet is about a sixth of its training step on one element at a time.
 */
public final class Sigmoid {
    private Sigmoid() {
    }

    /** y[i] = σ(x[i]) for from ≤ i &lt; to. */
    public static void forward(float[] x, float[] y, int from, int to) {
        if (Gemm.simdEnabled()) {
            SigmoidSimd.forward(x, y, from, to);        // only named here: loaded only with the Vector API
        } else {
            forwardPlain(x, y, from, to);
        }
    }

    /** The plain-Java loop, whatever the JVM has; for tests and benchmarks. */
    static void forwardPlain(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = sigmoid(x[i]);
        }
    }

    /** σ(x) for one value, in double precision, without overflow for any x (NaN gives NaN). */
    public static float sigmoid(float x) {
        double e = Math.exp(-Math.abs((double) x));
        double positive = 1 / (1 + e);
        return (float) (x >= 0 ? positive : e * positive);
    }
}
