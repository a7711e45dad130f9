package kindling.kernels;

/**
 * The one switch that picks which loops every kernel family runs: {@link KernelMode#NAIVE},
 * {@link KernelMode#PLAIN} or {@link KernelMode#SIMD}.
 *
 * <p>The mode starts from the system property {@code -Dkindling.kernels=naive|plain|simd}; without
 * it, {@code simd} (the older {@code -Dkindling.simd=false} still means {@code plain}). Change it
 * from code with {@link #setMode}, for example around one training step:
 * <pre>{@code
 *   Kernels.setMode(KernelMode.NAIVE);   // every loop is now the textbook one, on this thread
 *   loss = lossFunction.forward(model.forward(x), y);
 *   loss.backward();
 * }</pre>
 * {@code simd} needs the incubating Vector API module ({@code --add-modules jdk.incubator.vector} when
 * starting java). Without it the kernels run {@code plain}, {@link #mode()} reports {@code PLAIN}, and
 * one line on stderr says why and how to get the fast path; nothing fails.
 *
 * <p>Each family reads the mode on every call, so a change applies to the next op. Results agree
 * across modes to float rounding (the kernel tests hold every fast loop to its naive twin), not bit for
 * bit: a different summation order rounds differently. The number of threads is a separate switch,
 * {@link Threads#set}; in {@code naive} mode every loop runs on the calling thread whatever it says.
 */
public final class Kernels {

    private static volatile KernelMode requested = modeFromProperties();
    private static volatile boolean fallbackExplained;

    private Kernels() {
    }

    /**
     * The mode the kernels run in now: the requested one, except {@code SIMD} without the Vector API
     * module, which runs (and is reported) as {@code PLAIN}.
     */
    public static KernelMode mode() {
        KernelMode mode = requested;
        if (mode == KernelMode.SIMD && !VectorModule.PRESENT) {
            explainFallback();
            return KernelMode.PLAIN;
        }
        return mode;
    }

    /** The mode asked for, by {@link #setMode} or the system property, before any fallback. */
    public static KernelMode requestedMode() {
        return requested;
    }

    /**
     * Sets the mode for every kernel from the next call on, and returns the previous requested mode so
     * that a caller can restore it. {@code SIMD} without the Vector API module runs as {@code PLAIN}.
     *
     * @throws NullPointerException if {@code mode} is null
     */
    public static KernelMode setMode(KernelMode mode) {
        if (mode == null) {
            throw new NullPointerException("Kernels.setMode: mode must not be null");
        }
        KernelMode previous = requested;
        requested = mode;
        return previous;
    }

    /** Whether the Vector API loops are the ones running: mode {@code SIMD} with the module present. */
    public static boolean simd() {
        return mode() == KernelMode.SIMD;
    }

    /** Whether the naive twins are the ones running. */
    public static boolean naive() {
        return requested == KernelMode.NAIVE;
    }

    /** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    public static boolean vectorModulePresent() {
        return VectorModule.PRESENT;
    }

    /** {@code -Dkindling.kernels}, else {@code plain} for the older {@code -Dkindling.simd=false}, else {@code simd}. */
    static KernelMode modeFromProperties() {
        String property = System.getProperty("kindling.kernels");
        if (property != null && !property.isBlank()) {
            try {
                return KernelMode.parse(property);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-Dkindling.kernels must be naive, plain or simd but got '"
                        + property + "'", e);
            }
        }
        return "false".equalsIgnoreCase(System.getProperty("kindling.simd")) ? KernelMode.PLAIN : KernelMode.SIMD;
    }

    private static void explainFallback() {
        if (!fallbackExplained) {
            fallbackExplained = true;
            System.err.println("Kindling: running the plain-Java kernels; run java with --add-modules "
                    + "jdk.incubator.vector for the faster Vector API kernels (kernel mode simd).");
        }
    }

    /** Holder idiom: the module is looked up once, on first use. */
    private static final class VectorModule {
        static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
