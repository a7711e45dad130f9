package kindling.kernels;

/**
 * The elementwise family: {@link #map} (one input: exp, log, tanh, ...) and {@link #zip} (two inputs
 * already broadcast: add, mul, ...), with one threading policy for all ({@link Threads#parallelRange})
 * and their naive twins, one plain loop each; and the two kernels that are hot in training and slow one
 * element at a time: the sigmoid (an exponential per element) and the ReLU's backward mask (a branch on
 * the sign, which the CPU mispredicts on real activations). These two work on a range [from, to) of
 * their arrays, so callers hand blocks to {@link Threads#parallelRange}.
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

    /** The one-input functions {@link #map} applies, element by element. */
    public enum Unary {
        /** |x| */ ABS, /** −x */ NEG, /** eˣ */ EXP, /** ln x */ LOG, /** sin x */ SIN, /** cos x */ COS,
        /** tanh x */ TANH, /** √x */ SQRT
    }

    /** The two-input functions {@link #zip} applies, element by element. */
    public enum Binary {
        /** x + y */ ADD, /** x − y */ SUB, /** x · y */ MUL, /** x / y */ DIV,
        /** max(x, y), NaN if either is NaN */ MAXIMUM, /** min(x, y), NaN if either is NaN */ MINIMUM
    }

    /**
     * y[i] = f(x[i]) for every i: the loop behind the elementwise ops, with the threading policy of every
     * elementwise kernel — blocks of {@link Threads#ELEMENTWISE_BLOCK} indices spread over the threads by
     * {@link Threads#parallelRange}, each index in exactly one block, so the result is the same for any
     * thread count (and in kernel mode naive, one plain loop: {@link #mapNaive}). Transcendental functions
     * are computed in double and rounded once, as {@code (float) Math.exp(x)}.
     */
    public static void map(Unary f, float[] x, float[] y) {
        if (Kernels.naive()) {
            mapNaive(f, x, y);
            return;
        }
        Threads.parallelRange(x.length, (from, to) -> mapRange(f, x, y, from, to));
    }

    /** The naive twin of {@link #map}: one loop over all of x on the calling thread. */
    public static void mapNaive(Unary f, float[] x, float[] y) {
        mapRange(f, x, y, 0, x.length);
    }

    /** out[i] = f(x[i], y[i]) for every i, x and y already broadcast to out's length; threads as {@link #map}. */
    public static void zip(Binary f, float[] x, float[] y, float[] out) {
        if (Kernels.naive()) {
            zipNaive(f, x, y, out);
            return;
        }
        Threads.parallelRange(out.length, (from, to) -> zipRange(f, x, y, out, from, to));
    }

    /** The naive twin of {@link #zip}: one loop on the calling thread. */
    public static void zipNaive(Binary f, float[] x, float[] y, float[] out) {
        zipRange(f, x, y, out, 0, out.length);
    }

    /**
     * One block of {@link #map}. The switch is outside the loops, so each case is a plain counted loop
     * the JIT compiles (and, for the simple ones, vectorises) on its own.
     */
    private static void mapRange(Unary f, float[] x, float[] y, int from, int to) {
        switch (f) {
            case ABS:
                for (int i = from; i < to; i++) {
                    y[i] = Math.abs(x[i]);
                }
                break;
            case NEG:
                for (int i = from; i < to; i++) {
                    y[i] = -x[i];
                }
                break;
            case EXP:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.exp(x[i]);
                }
                break;
            case LOG:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.log(x[i]);
                }
                break;
            case SIN:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.sin(x[i]);
                }
                break;
            case COS:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.cos(x[i]);
                }
                break;
            case TANH:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.tanh(x[i]);
                }
                break;
            case SQRT:
                for (int i = from; i < to; i++) {
                    y[i] = (float) Math.sqrt(x[i]);
                }
                break;
            default:
                throw new IllegalArgumentException("map: unknown function " + f);
        }
    }

    /** One block of {@link #zip}; the switch outside the loops, as in {@link #mapRange}. */
    private static void zipRange(Binary f, float[] x, float[] y, float[] out, int from, int to) {
        switch (f) {
            case ADD:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] + y[i];
                }
                break;
            case SUB:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] - y[i];
                }
                break;
            case MUL:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] * y[i];
                }
                break;
            case DIV:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] / y[i];
                }
                break;
            case MAXIMUM:
                for (int i = from; i < to; i++) {
                    out[i] = Math.max(x[i], y[i]);
                }
                break;
            case MINIMUM:
                for (int i = from; i < to; i++) {
                    out[i] = Math.min(x[i], y[i]);
                }
                break;
            default:
                throw new IllegalArgumentException("zip: unknown function " + f);
        }
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
