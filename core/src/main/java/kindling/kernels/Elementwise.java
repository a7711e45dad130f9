package kindling.kernels;

/**
 * The elementwise family: {@link #map} (one input: exp, log, tanh, ...), {@link #zip} (two inputs
 * already broadcast: add, mul, ...), {@link #zip3} (three: where, and the gradients of maximum, minimum,
 * pow and binary cross-entropy) and {@link #derivative} (the backward of the one-input functions, from
 * the incoming gradient and the saved input or output), with one threading policy for all
 * ({@link Threads#parallelRange}) and their naive twins, one plain loop each; the named loops that take
 * a parameter or a fourth array ({@link #clamp}, {@link #clampBackward}, {@link #powExponentGrad}); and
 * the two kernels that are hot in training and slow one
 * element at a time: the sigmoid (an exponential per element) and the ReLU's backward mask (a branch on
 * the sign, which the CPU mispredicts on real activations). These two have a range form, on [from, to)
 * of their arrays, and a whole-array form that hands blocks to {@link Threads#parallelRange} (and in mode
 * naive runs the plain loop on the calling thread).
 *
 * <p>Two implementations of each of these two, chosen by the {@link Kernels#mode() kernel mode}: {@code ElementwiseSimd}
 * (the Vector API, a vector of lanes at a time, with an exponential of its own made of FMAs) in mode {@code simd},
 * otherwise the plain loops here, which are also the naive twins. They agree exactly for the mask and to a few float ulps for the
 * sigmoid (tested). d2l's LeNet spent a sixth of its training step in sigmoids computed one
 * {@code Math.exp} at a time.
 */
public final class Elementwise {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_KAPPA = 0.044715;
    /** The floor of the binary cross-entropy's denominator, PyTorch's. */
    private static final double BCE_EPSILON = 1e-12;

    private Elementwise() {
    }

    /** The one-input functions {@link #map} applies, element by element. */
    public enum Unary {
        /** |x| */ ABS, /** −x */ NEG, /** eˣ */ EXP, /** ln x */ LOG, /** sin x */ SIN, /** cos x */ COS,
        /** tanh x */ TANH, /** √x */ SQRT, /** max(x, 0), NaN stays NaN */ RELU,
        /** log σ(x) = −(max(−x, 0) + log(1 + e^(−|x|))), without overflow */ LOG_SIGMOID,
        /** x · Φ(x), the exact GELU, Φ through {@link #normalCdf} */ GELU,
        /** ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), the tanh GELU */ GELU_TANH
    }

    /** The two-input functions {@link #zip} applies, element by element. */
    public enum Binary {
        /** x + y */ ADD, /** x − y */ SUB, /** x · y */ MUL, /** x / y */ DIV,
        /** max(x, y), NaN if either is NaN */ MAXIMUM, /** min(x, y), NaN if either is NaN */ MINIMUM,
        /** xʸ, in double and rounded once */ POW,
        /**
         * −(y · max(log x, −100) + (1 − y) · max(log(1 − x), −100)): binary cross-entropy of a probability x
         * against a target y, with PyTorch's clamp at −100 so that x = 0 or 1 stays finite
         */
        BINARY_CROSS_ENTROPY,
        /** 1 where x = y, else 0 */ EQ, /** 1 where x ≠ y (NaN included), else 0 */ NE,
        /** 1 where x &lt; y, else 0 */ LT, /** 1 where x ≤ y, else 0 */ LE,
        /** 1 where x &gt; y, else 0 */ GT, /** 1 where x ≥ y, else 0 */ GE
    }

    /**
     * The backward forms of the one-input functions, applied by {@link #derivative}: each gives
     * ∂L/∂x[i] from the incoming gradient g[i] = ∂L/∂y[i] and one saved array s, which is the input x or
     * the output y, whichever the formula needs (written in each constant).
     */
    public enum Derivative {
        /** g · sign(x), s = x */ ABS, /** g · y, s = y = eˣ */ EXP, /** g / x, s = x */ LOG,
        /** g · cos x, s = x */ SIN, /** −g · sin x, s = x */ COS, /** g · (1 − y²), s = y = tanh x */ TANH,
        /** g / (2y), s = y = √x */ SQRT, /** g · y (1 − y), s = y = σ(x) */ SIGMOID,
        /** g · σ(−x), s = x, for log σ */ LOG_SIGMOID,
        /** g · (Φ(x) + x φ(x)), s = x, for the exact GELU */ GELU,
        /** g · (½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π) (1 + 3 · 0.044715 x²)), s = x */ GELU_TANH,
        /** g where s ≠ 0 (NaN counts as ≠ 0), else 0: the gradient a selection passes to what it picked */
        WHERE_NONZERO,
        /** 0 where s ≠ 0, else g: the gradient a selection passes to the other side */ WHERE_ZERO
    }

    /** The three-input functions {@link #zip3} applies, element by element, written f(a, b, c). */
    public enum Ternary {
        /** a ≠ 0 ? b : c, NaN counting as ≠ 0: torch.where's forward with the condition first */ WHERE,
        /** ∂L/∂x of max(x, y) from (g, x, y): g where x &gt; y, g / 2 where x = y, else 0 */ MAXIMUM_GRAD_FIRST,
        /** ∂L/∂y of max(x, y) from (g, x, y): g where y &gt; x, g / 2 where x = y, else 0 */ MAXIMUM_GRAD_SECOND,
        /** ∂L/∂x of min(x, y) from (g, x, y): g where x &lt; y, g / 2 where x = y, else 0 */ MINIMUM_GRAD_FIRST,
        /** ∂L/∂y of min(x, y) from (g, x, y): g where y &lt; x, g / 2 where x = y, else 0 */ MINIMUM_GRAD_SECOND,
        /** ∂L/∂a of aᵇ from (g, a, b): g · b · aᵇ⁻¹, and 0 wherever b = 0 (PyTorch's mask) */ POW_GRAD_BASE,
        /**
         * ∂L/∂x of the binary cross-entropy from (g, x, y): g · (x − y) / max((1 − x) x, 1e−12), the floor
         * keeping it finite at x = 0 and 1
         */
        BINARY_CROSS_ENTROPY_GRAD
    }

    /**
     * y[i] = f(x[i]) for every i: the loop behind the elementwise ops, with the threading policy of every
     * elementwise kernel — blocks of {@link Threads#ELEMENTWISE_BLOCK} indices spread over the threads by
     * {@link Threads#parallelRange}, each index in exactly one block, so the result is the same for any
     * thread count (and in kernel mode naive, one plain loop: {@link #mapNaive}). Transcendental functions
     * are computed in double and rounded once, as {@code (float) Math.exp(x)}.
     */
    public static void map(Unary f, float[] x, float[] y) {
        Threads.parallelRange(x.length, cheap(f) ? Threads.CHEAP_PASS_MIN : 0, (from, to) -> mapRange(f, x, y, from, to));
    }

    /**
     * True for the functions that are a load, one or two instructions and a store per element: their
     * passes stay on the calling thread below {@link Threads#CHEAP_PASS_MIN}, where a second thread
     * costs more than it saves. An exponential, logarithm or sine per element is worth splitting sooner.
     */
    static boolean cheap(Unary f) {
        return f == Unary.ABS || f == Unary.NEG || f == Unary.RELU || f == Unary.SQRT;
    }

    /** {@link #cheap(Unary)} for two inputs: the arithmetic, max, min and the comparisons. */
    static boolean cheap(Binary f) {
        return f != Binary.POW && f != Binary.BINARY_CROSS_ENTROPY;
    }

    /** The naive twin of {@link #map}: one loop over all of x on the calling thread. */
    public static void mapNaive(Unary f, float[] x, float[] y) {
        mapRange(f, x, y, 0, x.length);
    }

    /** out[i] = f(x[i], y[i]) for every i, x and y already broadcast to out's length; threads as {@link #map}. */
    public static void zip(Binary f, float[] x, float[] y, float[] out) {
        Threads.parallelRange(out.length, cheap(f) ? Threads.CHEAP_PASS_MIN : 0, (from, to) -> zipRange(f, x, y, out, from, to));
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
            case RELU:
                for (int i = from; i < to; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
                break;
            case LOG_SIGMOID:
                for (int i = from; i < to; i++) {
                    y[i] = (float) -(Math.max(-x[i], 0.0) + Math.log1p(Math.exp(-Math.abs(x[i]))));
                }
                break;
            case GELU:
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    y[i] = (float) (v * normalCdf(v));
                }
                break;
            case GELU_TANH:
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    y[i] = (float) (0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_KAPPA * v * v * v))));
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
            case POW:
                for (int i = from; i < to; i++) {
                    out[i] = (float) Math.pow(x[i], y[i]);
                }
                break;
            case BINARY_CROSS_ENTROPY:
                for (int i = from; i < to; i++) {
                    double logX = Math.max(Math.log(x[i]), -100.0);
                    double logOneMinusX = Math.max(Math.log1p(-x[i]), -100.0);
                    out[i] = (float) -(y[i] * logX + (1 - y[i]) * logOneMinusX);
                }
                break;
            case EQ:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] == y[i] ? 1f : 0f;
                }
                break;
            case NE:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] != y[i] ? 1f : 0f;
                }
                break;
            case LT:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] < y[i] ? 1f : 0f;
                }
                break;
            case LE:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] <= y[i] ? 1f : 0f;
                }
                break;
            case GT:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] > y[i] ? 1f : 0f;
                }
                break;
            case GE:
                for (int i = from; i < to; i++) {
                    out[i] = x[i] >= y[i] ? 1f : 0f;
                }
                break;
            default:
                throw new IllegalArgumentException("zip: unknown function " + f);
        }
    }

    /**
     * gradInput[i] = f'(g[i], s[i]) for every i: the backward loop of a one-input function, g the gradient
     * of its output and s the array it saved (see each {@link Derivative}); threads as {@link #map}, and in
     * kernel mode naive one plain loop ({@link #derivativeNaive}).
     */
    public static void derivative(Derivative f, float[] g, float[] s, float[] gradInput) {
        Threads.parallelRange(gradInput.length, (from, to) -> derivativeRange(f, g, s, gradInput, from, to));
    }

    /** The naive twin of {@link #derivative}: one loop on the calling thread. */
    public static void derivativeNaive(Derivative f, float[] g, float[] s, float[] gradInput) {
        derivativeRange(f, g, s, gradInput, 0, gradInput.length);
    }

    /** out[i] = f(a[i], b[i], c[i]) for every i, all already broadcast to out's length; threads as {@link #map}. */
    public static void zip3(Ternary f, float[] a, float[] b, float[] c, float[] out) {
        Threads.parallelRange(out.length, (from, to) -> zip3Range(f, a, b, c, out, from, to));
    }

    /** The naive twin of {@link #zip3}: one loop on the calling thread. */
    public static void zip3Naive(Ternary f, float[] a, float[] b, float[] c, float[] out) {
        zip3Range(f, a, b, c, out, 0, out.length);
    }

    /**
     * out = f(a, b) where b is broadcast in the bias pattern: out and a are viewed as (outer, mid, inner),
     * and b holds {@code mid} values, one per middle index, reused for every outer and inner index:
     * <pre>
     *   out[(o·mid + m)·inner + k] = f(a[...same index...], b[m])      ({@code bFirst}: f(b[m], a[...]))
     * </pre>
     * A channel bias (N, C, H, W) + (C, 1, 1) is (N, C, H·W); a Linear bias (N, F) + (F) is (N, F, 1).
     * Reading b[m] in place is what makes this fast: the general path first copies b out to the full
     * shape, a whole extra array written and read again. The index space is cut into the fixed blocks of
     * {@link Threads#parallelRange}, and each block walks its runs: a run of {@code inner} elements
     * shares one b value (a loop with a constant), or for {@code inner} = 1 a run of {@code mid}
     * elements reads b in order (a loop over two arrays). The first is a plain loop the JIT vectorises;
     * the second, on rows as short as a Linear layer's, runs a vector at a time in mode simd
     * ({@code ElementwiseSimd.rowRun}), since the JIT's own vectorisation spends most of a short row in
     * its scalar pre- and post-loops.
     * For ADD, SUB, MUL and DIV; naive twin {@link #zipChannelsNaive}, the triple loop.
     */
    public static void zipChannels(Binary f, boolean bFirst, float[] a, float[] b, float[] out,
            int outer, int mid, int inner) {
        checkChannelOp(f);
        if (Kernels.naive()) {              // the twin is a different walk (a triple loop), not just one thread
            zipChannelsNaive(f, bFirst, a, b, out, outer, mid, inner);
            return;
        }
        Threads.parallelRange(out.length, Threads.CHEAP_PASS_MIN, (from, to) -> zipChannelsRange(f, bFirst, a, b, out, mid, inner, from, to));
    }

    /** The naive twin of {@link #zipChannels}: the textbook triple loop over (o, m, k) on the calling thread. */
    public static void zipChannelsNaive(Binary f, boolean bFirst, float[] a, float[] b, float[] out,
            int outer, int mid, int inner) {
        checkChannelOp(f);
        for (int o = 0; o < outer; o++) {
            for (int m = 0; m < mid; m++) {
                for (int k = 0; k < inner; k++) {
                    int i = (o * mid + m) * inner + k;
                    out[i] = bFirst ? arithmetic(f, b[m], a[i]) : arithmetic(f, a[i], b[m]);
                }
            }
        }
    }

    private static void checkChannelOp(Binary f) {
        if (f != Binary.ADD && f != Binary.SUB && f != Binary.MUL && f != Binary.DIV) {
            throw new IllegalArgumentException("zipChannels: only ADD, SUB, MUL and DIV, got " + f);
        }
    }

    /** x + y, x − y, x · y or x / y, one element at a time: the naive twin's formula. */
    private static float arithmetic(Binary f, float x, float y) {
        switch (f) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            default: return x / y;
        }
    }

    /** One block [from, to) of {@link #zipChannels}, walked run by run. */
    private static void zipChannelsRange(Binary f, boolean bFirst, float[] a, float[] b, float[] out,
            int mid, int inner, int from, int to) {
        int i = from;
        while (i < to) {
            if (inner == 1) {
                int m = i % mid;                               // b[m..] lines up with a[i..] to the row's end
                int end = Math.min(to, i - m + mid);
                rowRun(f, bFirst, a, b, i - m, out, i, end);
                i = end;
            } else {
                int run = i / inner;                           // every element of this run uses b[run mod mid]
                int end = Math.min(to, (run + 1) * inner);
                constantRun(f, bFirst, a, b[run % mid], out, i, end);
                i = end;
            }
        }
    }

    /** out[i] = f(a[i], v) for from ≤ i &lt; to ({@code bFirst}: f(v, a[i])). */
    private static void constantRun(Binary f, boolean bFirst, float[] a, float v, float[] out, int from, int to) {
        switch (f) {
            case ADD:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] + v;
                }
                break;
            case MUL:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] * v;
                }
                break;
            case SUB:
                if (bFirst) {
                    for (int i = from; i < to; i++) {
                        out[i] = v - a[i];
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        out[i] = a[i] - v;
                    }
                }
                break;
            default:
                if (bFirst) {
                    for (int i = from; i < to; i++) {
                        out[i] = v / a[i];
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        out[i] = a[i] / v;
                    }
                }
        }
    }

    /**
     * out[i] = f(a[i], b[i − base]) for from ≤ i &lt; to ({@code bFirst}: f(b[i − base], a[i])): in mode
     * simd a vector at a time ({@code ElementwiseSimd.rowRun}), otherwise {@link #rowRunPlain}.
     */
    private static void rowRun(Binary f, boolean bFirst, float[] a, float[] b, int base, float[] out, int from, int to) {
        if (Kernels.simd()) {
            ElementwiseSimd.rowRun(f, bFirst, a, b, base, out, from, to);
        } else {
            rowRunPlain(f, bFirst, a, b, base, out, from, to);
        }
    }

    /** The plain loops of {@link #rowRun}, one per function; also the SIMD path's tail. */
    static void rowRunPlain(Binary f, boolean bFirst, float[] a, float[] b, int base, float[] out, int from, int to) {
        switch (f) {
            case ADD:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] + b[i - base];
                }
                break;
            case MUL:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] * b[i - base];
                }
                break;
            case SUB:
                if (bFirst) {
                    for (int i = from; i < to; i++) {
                        out[i] = b[i - base] - a[i];
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        out[i] = a[i] - b[i - base];
                    }
                }
                break;
            default:
                if (bFirst) {
                    for (int i = from; i < to; i++) {
                        out[i] = b[i - base] / a[i];
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        out[i] = a[i] / b[i - base];
                    }
                }
        }
    }

    /**
     * y[i] += alpha · x[i] for every i, in place (the SGD step θ −= γ·g, and {@code Tensor.add_}):
     * one pass that reads both arrays once. Threads as {@link #map}; the same formula on every index
     * whatever the thread count, so {@link #addScaledNaive} is this loop on one thread.
     */
    public static void addScaled(float[] y, float alpha, float[] x) {
        Threads.parallelRange(y.length, Threads.CHEAP_PASS_MIN, (from, to) -> addScaledRange(y, alpha, x, from, to));
    }

    /** The naive twin of {@link #addScaled}: one loop on the calling thread. */
    public static void addScaledNaive(float[] y, float alpha, float[] x) {
        addScaledRange(y, alpha, x, 0, y.length);
    }

    private static void addScaledRange(float[] y, float alpha, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] += alpha * x[i];
        }
    }

    /**
     * The product's backward in one pass: gradA[i] = g[i] · b[i] and gradB[i] = g[i] · a[i], reading g
     * once for both (two separate products read it twice, and each is a pass over memory of its own).
     * gradB may be g itself: each g[i] is read before either store to index i. Threads as {@link #map};
     * naive twin {@link #mulBackwardNaive}.
     */
    public static void mulBackward(float[] g, float[] a, float[] b, float[] gradA, float[] gradB) {
        Threads.parallelRange(g.length, Threads.CHEAP_PASS_MIN, (from, to) -> mulBackwardRange(g, a, b, gradA, gradB, from, to));
    }

    /** The naive twin of {@link #mulBackward}: one loop on the calling thread. */
    public static void mulBackwardNaive(float[] g, float[] a, float[] b, float[] gradA, float[] gradB) {
        for (int i = 0; i < g.length; i++) {
            float gi = g[i];
            gradA[i] = gi * b[i];
            gradB[i] = gi * a[i];
        }
    }

    private static void mulBackwardRange(float[] g, float[] a, float[] b, float[] gradA, float[] gradB, int from, int to) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            gradA[i] = gi * b[i];
            gradB[i] = gi * a[i];
        }
    }

    /**
     * Lengths from which {@link #copyOfRange} copies on several threads: a few megabytes, well past the
     * size where splitting a pass pays, so that the zeroing it adds is small beside the copy it splits.
     */
    public static final int PARALLEL_COPY_MIN = 1 << 20;

    /**
     * A new array holding src[from..to), as {@link java.util.Arrays#copyOfRange}: the copy behind
     * {@code clone}, {@code contiguous} and a leaf gradient that must not be shared. One thread copies
     * with {@link java.util.Arrays#copyOfRange}, which skips the JVM's zeroing only for an array small
     * enough for the thread's allocation buffer: a large one is zeroed first all the same (a pass that
     * writes the whole array), and the copy is then bound by one core's memory bandwidth. With more than
     * one thread and at least {@link #PARALLEL_COPY_MIN} elements, the array is allocated (and zeroed by
     * the JVM on the calling thread) and then filled in the blocks of {@link Threads#parallelRange},
     * several cores writing at once. Naive twin {@link #copyOfRangeNaive}.
     */
    public static float[] copyOfRange(float[] src, int from, int to) {
        int length = to - from;
        if (length < PARALLEL_COPY_MIN || Threads.get() == 1 || Kernels.naive()) {
            return java.util.Arrays.copyOfRange(src, from, to);
        }
        float[] out = new float[length];
        Threads.parallelRange(length, (start, end) -> System.arraycopy(src, from + start, out, start, end - start));
        return out;
    }

    /** The naive twin of {@link #copyOfRange}: one loop on the calling thread. */
    public static float[] copyOfRangeNaive(float[] src, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = src[i];
        }
        return out;
    }

    /** y[i] = y[i] · c for every i, in place; threads as {@link #map} (naive twin {@link #scaleNaive}). */
    public static void scale(float[] y, float c) {
        Threads.parallelRange(y.length, Threads.CHEAP_PASS_MIN, (from, to) -> scaleRange(y, c, from, to));
    }

    /** The naive twin of {@link #scale}: one loop on the calling thread. */
    public static void scaleNaive(float[] y, float c) {
        scaleRange(y, c, 0, y.length);
    }

    private static void scaleRange(float[] y, float c, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] *= c;
        }
    }

    /**
     * y[i] = min(max(x[i], min), max), as torch.clamp: NaN stays NaN, and min &gt; max gives max everywhere.
     * Threads as {@link #map}; naive twin {@link #clampNaive}.
     */
    public static void clamp(float[] x, float min, float max, float[] y) {
        Threads.parallelRange(y.length, (from, to) -> clampRange(x, min, max, y, from, to));
    }

    /** The naive twin of {@link #clamp}: one loop on the calling thread. */
    public static void clampNaive(float[] x, float min, float max, float[] y) {
        clampRange(x, min, max, y, 0, y.length);
    }

    /**
     * ∂L/∂x[i] = g[i] where min ≤ x[i] ≤ max, else 0: the clamp's backward, passing the gradient at the
     * bounds themselves as PyTorch does. Threads as {@link #map}; naive twin {@link #clampBackwardNaive}.
     */
    public static void clampBackward(float[] g, float[] x, float min, float max, float[] gradInput) {
        Threads.parallelRange(gradInput.length, (from, to) -> clampBackwardRange(g, x, min, max, gradInput, from, to));
    }

    /** The naive twin of {@link #clampBackward}: one loop on the calling thread. */
    public static void clampBackwardNaive(float[] g, float[] x, float min, float max, float[] gradInput) {
        clampBackwardRange(g, x, min, max, gradInput, 0, gradInput.length);
    }

    /**
     * ∂L/∂b[i] of c = aᵇ: g[i] · c[i] · ln a[i], and 0 wherever a[i] = 0 and b[i] ≥ 0 (PyTorch's mask: 0ᵇ is
     * flat in b there, where the formula would give 0 · ln 0 = NaN). Four inputs, so a named kernel rather
     * than a {@link Ternary}; threads as {@link #map}; naive twin {@link #powExponentGradNaive}.
     */
    public static void powExponentGrad(float[] g, float[] a, float[] b, float[] c, float[] gradB) {
        Threads.parallelRange(gradB.length, (from, to) -> powExponentGradRange(g, a, b, c, gradB, from, to));
    }

    /** The naive twin of {@link #powExponentGrad}: one loop on the calling thread. */
    public static void powExponentGradNaive(float[] g, float[] a, float[] b, float[] c, float[] gradB) {
        powExponentGradRange(g, a, b, c, gradB, 0, gradB.length);
    }

    /**
     * y = σ(x) over whole arrays: blocks over the threads as {@link #map}, each block through
     * {@link #sigmoid(float[], float[], int, int)} (the Vector API in mode simd); in mode naive
     * {@link #sigmoidNaive}.
     */
    public static void sigmoid(float[] x, float[] y) {
        Threads.parallelRange(y.length, (from, to) -> sigmoid(x, y, from, to));
    }

    /** The naive twin of {@link #sigmoid(float[], float[])}: the plain loop over all of x on the calling thread. */
    public static void sigmoidNaive(float[] x, float[] y) {
        sigmoidPlain(x, y, 0, y.length);
    }

    /**
     * The ReLU's backward mask over whole arrays: blocks over the threads as {@link #map}, each through
     * {@link #reluBackward(float[], float[], float[], int, int)}; in mode naive {@link #reluBackwardNaive}.
     */
    public static void reluBackward(float[] y, float[] gradY, float[] gradX) {
        Threads.parallelRange(gradX.length, Threads.CHEAP_PASS_MIN, (from, to) -> reluBackward(y, gradY, gradX, from, to));
    }

    /** The naive twin of {@link #reluBackward(float[], float[], float[])}: one plain loop on the calling thread. */
    public static void reluBackwardNaive(float[] y, float[] gradY, float[] gradX) {
        reluBackwardPlain(y, gradY, gradX, 0, gradX.length);
    }

    /** One block of {@link #derivative}; the switch outside the loops, as in {@link #mapRange}. */
    private static void derivativeRange(Derivative f, float[] g, float[] s, float[] gradInput, int from, int to) {
        switch (f) {
            case ABS:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] * Math.signum(s[i]);
                }
                break;
            case EXP:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] * s[i];
                }
                break;
            case LOG:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] / s[i];
                }
                break;
            case SIN:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] * (float) Math.cos(s[i]);
                }
                break;
            case COS:
                for (int i = from; i < to; i++) {
                    gradInput[i] = -g[i] * (float) Math.sin(s[i]);
                }
                break;
            case TANH:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] * (1 - s[i] * s[i]);
                }
                break;
            case SQRT:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] / (2 * s[i]);
                }
                break;
            case SIGMOID:
                for (int i = from; i < to; i++) {
                    gradInput[i] = g[i] * s[i] * (1 - s[i]);
                }
                break;
            case LOG_SIGMOID:
                for (int i = from; i < to; i++) {
                    // σ(−x) without overflow: e^(−x) / (1 + e^(−x)) for x ≥ 0, 1 / (1 + eˣ) otherwise
                    double sigmoidOfMinusX = s[i] >= 0 ? Math.exp(-s[i]) / (1 + Math.exp(-s[i])) : 1 / (1 + Math.exp(s[i]));
                    gradInput[i] = (float) (g[i] * sigmoidOfMinusX);
                }
                break;
            case GELU:
                for (int i = from; i < to; i++) {
                    double v = s[i];
                    double slope = normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                    gradInput[i] = (float) (g[i] * slope);
                }
                break;
            case GELU_TANH:
                for (int i = from; i < to; i++) {
                    double v = s[i];
                    double t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_KAPPA * v * v * v));
                    double slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * v * v);
                    gradInput[i] = (float) (g[i] * slope);
                }
                break;
            case WHERE_NONZERO:
                for (int i = from; i < to; i++) {
                    gradInput[i] = s[i] != 0 ? g[i] : 0f;
                }
                break;
            case WHERE_ZERO:
                for (int i = from; i < to; i++) {
                    gradInput[i] = s[i] != 0 ? 0f : g[i];
                }
                break;
            default:
                throw new IllegalArgumentException("derivative: unknown function " + f);
        }
    }

    /** One block of {@link #zip3}; the switch outside the loops, as in {@link #mapRange}. */
    private static void zip3Range(Ternary f, float[] a, float[] b, float[] c, float[] out, int from, int to) {
        switch (f) {
            case WHERE:
                for (int i = from; i < to; i++) {
                    out[i] = a[i] != 0 ? b[i] : c[i];
                }
                break;
            case MAXIMUM_GRAD_FIRST:
                for (int i = from; i < to; i++) {
                    out[i] = b[i] == c[i] ? a[i] / 2 : b[i] < c[i] ? 0f : a[i];
                }
                break;
            case MAXIMUM_GRAD_SECOND:
                for (int i = from; i < to; i++) {
                    out[i] = b[i] == c[i] ? a[i] / 2 : c[i] < b[i] ? 0f : a[i];
                }
                break;
            case MINIMUM_GRAD_FIRST:
                for (int i = from; i < to; i++) {
                    out[i] = b[i] == c[i] ? a[i] / 2 : b[i] > c[i] ? 0f : a[i];
                }
                break;
            case MINIMUM_GRAD_SECOND:
                for (int i = from; i < to; i++) {
                    out[i] = b[i] == c[i] ? a[i] / 2 : c[i] > b[i] ? 0f : a[i];
                }
                break;
            case POW_GRAD_BASE:
                for (int i = from; i < to; i++) {
                    out[i] = c[i] == 0 ? 0f : a[i] * (float) (c[i] * Math.pow(b[i], c[i] - 1.0));
                }
                break;
            case BINARY_CROSS_ENTROPY_GRAD:
                for (int i = from; i < to; i++) {
                    out[i] = (float) (a[i] * (b[i] - c[i]) / Math.max((1.0 - b[i]) * b[i], BCE_EPSILON));
                }
                break;
            default:
                throw new IllegalArgumentException("zip3: unknown function " + f);
        }
    }

    private static void clampRange(float[] x, float min, float max, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.min(Math.max(x[i], min), max);
        }
    }

    private static void clampBackwardRange(float[] g, float[] x, float min, float max, float[] gradInput,
            int from, int to) {
        for (int i = from; i < to; i++) {
            gradInput[i] = x[i] >= min && x[i] <= max ? g[i] : 0f;
        }
    }

    private static void powExponentGradRange(float[] g, float[] a, float[] b, float[] c, float[] gradB,
            int from, int to) {
        for (int i = from; i < to; i++) {
            gradB[i] = a[i] == 0 && b[i] >= 0 ? 0f : g[i] * (float) (c[i] * Math.log(a[i]));
        }
    }

    /** Φ(x), the standard normal CDF, with relative error below 1.2e-7 for every x. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * SQRT_HALF);
    }

    /**
     * The complementary error function erfc(x) = 1 − erf(x), with relative error below 1.2e-7
     * everywhere: the Chebyshev fit of Numerical Recipes in C, 2nd ed. (Press et al. 1992), §6.2,
     * {@code erfcc}. With t = 1 / (1 + |x|/2):
     * <pre>
     *   erfc(|x|) = t · exp(−x² − 1.26551223 + t·(1.00002368 + t·(0.37409196 + ... + t·0.17087277)))
     *   erfc(−x)  = 2 − erfc(x)
     * </pre>
     * ElementwiseGoldenTest checks it against {@code torch.special.erfc} in double on [−6, 9].
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double tail = t * Math.exp(-z * z + poly);
        return x >= 0 ? tail : 2 - tail;
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
