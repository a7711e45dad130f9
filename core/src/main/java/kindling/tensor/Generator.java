package kindling.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A seeded source of random numbers for {@code rand}, {@code randn}, {@code randint}, weight
 * initialisation, dropout and shuffling. The same seed gives the same numbers on every JVM.
 *
 * <p>The algorithm is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): add a constant to a 64-bit state and scramble it. It is written out
 * here rather than taken from {@code java.util} so that a student can read all of it.
 *
 * <pre>
 *   Generator gen = new Generator(42);
 *   Tensor w = Tensor.randn(gen, 3, 4);
 *   Generator.manualSeed(0);            // the global generator, as torch.manual_seed(0)
 * </pre>
 *
 * <p><b>Threads.</b> A generator is safe to share between threads, which matters because layer
 * initialisation, dropout and {@code rand} use the global one when given none. SplitMix64 makes this
 * cheap: the state only ever grows by the same constant, so one atomic add ({@code getAndAdd}, no
 * lock) hands every draw its own state, and two threads can never get the same number. Used from one
 * thread, the numbers are exactly those of the plain loop: the same seed gives the same sequence.
 * Shared by several threads, each number is still drawn once, but which thread gets which depends on
 * timing; for results that do not depend on the schedule, give each thread its own generator.
 */
public final class Generator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final VarHandle STATE;
    private static final Generator GLOBAL = new Generator(0);

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Generator.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long state;
    private double spareGaussian = Double.NaN;     // guarded by this

    public Generator(long seed) {
        this.state = seed;
    }

    /** The generator used when none is passed. Starts at seed 0; one object for the whole JVM. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Reseeds the global generator in place, as {@code torch.manual_seed(seed)}. */
    public static void manualSeed(long seed) {
        GLOBAL.reseed(seed);
    }

    /** Starts this generator over from {@code seed}, as if it had just been made with it. */
    public void reseed(long seed) {
        synchronized (this) {
            spareGaussian = Double.NaN;
            state = seed;
        }
    }

    /**
     * This generator's whole state, as PyTorch's {@code Generator.get_state()}: the SplitMix64 state and
     * the Gaussian kept back from the last pair (Box–Muller makes two at a time), as two longs. A
     * generator given it with {@link #setState} draws the same numbers from then on; a training
     * checkpoint saves the global one's so that a resumed run's dropout masks are the uninterrupted run's.
     */
    public long[] getState() {
        synchronized (this) {
            return new long[] {state, Double.doubleToRawLongBits(spareGaussian)};
        }
    }

    /**
     * Puts back a state from {@link #getState}, as PyTorch's {@code Generator.set_state(state)}.
     *
     * @throws IllegalArgumentException if {@code saved} is not two longs
     */
    public void setState(long[] saved) {
        if (saved == null || saved.length != 2) {
            throw new IllegalArgumentException("Generator.setState: expected the two longs getState returns, got "
                    + (saved == null ? "null" : saved.length + " values"));
        }
        synchronized (this) {
            state = saved[0];
            spareGaussian = Double.longBitsToDouble(saved[1]);
        }
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        // The atomic form of `state += GOLDEN_GAMMA; z = state`: each caller gets its own state.
        return mix((long) STATE.getAndAdd(this, GOLDEN_GAMMA) + GOLDEN_GAMMA);
    }

    /** SplitMix64's output function: scrambles a state into 64 random bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Takes the states of the next {@code draws} numbers in one atomic step and returns the state
     * before them; the caller adds {@code GOLDEN_GAMMA} before each draw, as {@link #nextLong} does.
     * (The multiplication wraps around exactly as {@code draws} separate additions would.)
     */
    private long reserve(int draws) {
        return (long) STATE.getAndAdd(this, GOLDEN_GAMMA * draws);
    }

    /**
     * Fills {@code out} with the numbers {@code out.length} calls of {@link #nextFloat} would give,
     * taken in one atomic step: what {@code rand} and dropout masks use, so that sharing the
     * generator costs one atomic operation per tensor rather than one per element.
     */
    public void nextFloats(float[] out) {
        long z = reserve(out.length);
        for (int i = 0; i < out.length; i++) {
            z += GOLDEN_GAMMA;
            out[i] = unitFloat(mix(z));
        }
    }

    /** Uniform in [0, 1): the top 24 bits, as many as a float's mantissa holds. */
    public float nextFloat() {
        return unitFloat(nextLong());
    }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() {
        return unitDouble(nextLong());
    }

    /** The top 24 of 64 random bits as a float in [0, 1): k · 2⁻²⁴ for k in 0 .. 2²⁴ − 1, each exact. */
    private static float unitFloat(long bits) {
        return (bits >>> 40) * 0x1.0p-24f;
    }

    /** The top 53 of 64 random bits as a double in [0, 1): k · 2⁻⁵³ for k in 0 .. 2⁵³ − 1, each exact. */
    private static double unitDouble(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform integer in [0, bound). A plain {@code bits % bound} would favour small values when
     * 2⁶³ is not a multiple of bound, so draws from the short last block are rejected and redrawn.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        long bits;
        long value;
        do {
            bits = nextLong() >>> 1;                      // 63 non-negative bits
            value = bits % bound;
        } while (bits - value + (bound - 1) < 0);         // overflow: bits fell in the last, short block
        return (int) value;
    }

    /**
     * Standard normal N(0, 1) by the Box–Muller transform: two uniforms u1, u2 give two independent
     * normals √(−2 ln u1)·cos(2π u2) and √(−2 ln u1)·sin(2π u2); the second is kept for the next call.
     * The kept value is handed out under this generator's lock, so two threads never both take it.
     */
    public synchronized double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double value = spareGaussian;
            spareGaussian = Double.NaN;
            return value;
        }
        double u1 = 1.0 - nextDouble();                   // in (0, 1]: log is finite
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2 * Math.PI * u2);
        return radius * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Fills {@code out} with the numbers {@code out.length} calls of {@link #nextGaussian} would give
     * (rounded to float), including the kept second value of a pair at either end.
     */
    public synchronized void nextGaussians(float[] out) {
        int i = 0;
        if (out.length > 0 && !Double.isNaN(spareGaussian)) {
            out[i++] = (float) spareGaussian;
            spareGaussian = Double.NaN;
        }
        int pairs = (out.length - i + 1) / 2;
        long z = reserve(2 * pairs);
        for (int pair = 0; pair < pairs; pair++) {
            z += GOLDEN_GAMMA;
            double u1 = 1.0 - unitDouble(mix(z));
            z += GOLDEN_GAMMA;
            double u2 = unitDouble(mix(z));
            double radius = Math.sqrt(-2.0 * Math.log(u1));
            out[i++] = (float) (radius * Math.cos(2 * Math.PI * u2));
            double second = radius * Math.sin(2 * Math.PI * u2);
            if (i < out.length) {
                out[i++] = (float) second;
            } else {
                spareGaussian = second;
            }
        }
    }
}
