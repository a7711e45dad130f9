package kindling.tensor;

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
 * Not thread-safe: give each thread its own generator.
 */
public final class Generator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static Generator global = new Generator(0);

    private long state;
    private double spareGaussian = Double.NaN;

    public Generator(long seed) {
        this.state = seed;
    }

    /** The generator used when none is passed. Starts at seed 0. */
    public static Generator global() {
        return global;
    }

    /** Reseeds the global generator, as {@code torch.manual_seed(seed)}. */
    public static void manualSeed(long seed) {
        global = new Generator(seed);
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1): the top 24 bits, as many as a float's mantissa holds. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
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
     */
    public double nextGaussian() {
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
}
