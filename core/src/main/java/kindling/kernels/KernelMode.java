package kindling.kernels;

import java.util.Locale;

/**
 * Which loops run behind every op: the textbook ones, the fast plain-Java ones, or those plus the
 * Vector API. Set it with {@code -Dkindling.kernels=naive|plain|simd} or {@link Kernels#setMode}.
 * <ul>
 *   <li>{@link #NAIVE}: each kernel family's naive twin ({@link GemmNaive}, {@link ConvNaive}, the
 *       {@code naive} methods of the pooling, normalisation, reduction and elementwise families), on
 *       the calling thread only. Slow, and every loop reads like the formula in its javadoc: set a
 *       breakpoint in {@link GemmNaive#multiply} and step through a LeNet training step.</li>
 *   <li>{@link #PLAIN}: the fast kernels in plain Java (loop order, cache blocks, threads).</li>
 *   <li>{@link #SIMD}: as {@link #PLAIN}, and the kernels that have a Vector API path use it
 *       ({@code GemmSimd}, {@code ElementwiseSimd}). Needs {@code --add-modules jdk.incubator.vector}
 *       at run time; without it Kindling runs {@link #PLAIN} and says so once on stderr.</li>
 * </ul>
 */
public enum KernelMode {
    /** The naive twins, one thread: the loops to read and step through. */
    NAIVE,
    /** The fast kernels in plain Java. */
    PLAIN,
    /** The fast kernels with the Vector API where they have a path for it (falls back to {@link #PLAIN}). */
    SIMD;

    /**
     * The mode named by {@code text}, case-insensitively ("naive", "plain", "simd").
     *
     * @throws IllegalArgumentException naming the valid values if {@code text} is none of them
     */
    public static KernelMode parse(String text) {
        String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (KernelMode mode : values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("kernel mode must be naive, plain or simd but got '" + text + "'");
    }

    /** The lower-case name used by {@code -Dkindling.kernels}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
