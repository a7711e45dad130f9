package kindling.benchmarks;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The peak float32 rate one core reaches from Java, the ceiling for "percent of peak" in the report:
 * the faster of two register-bound loops.
 * <pre>
 *   chains:  acc_j ← acc_j · x + y   for j = 0 … 11, repeated: twelve independent chains of vector
 *            FMAs on registers only (an FMA has a latency of 4 cycles and two FMA units issue one each
 *            per cycle, so at least 8 chains must be in flight; 12 fit AVX2's 16 registers)
 *   kernel:  the loop of GemmSimd's 6 × 2-vector micro-kernel on panels that stay in L1: per step two
 *            vector loads, six broadcasts, twelve FMAs into twelve accumulators
 *   GFLOP/s = FMAs · 2 · lanes / time
 * </pre>
 * Both are measured because neither alone is sure to be the ceiling: the chains have no memory
 * traffic but are an unusual loop, the kernel's loop is the one GEMM actually runs (its figure is
 * also the most a whole GEMM could reach). With 256-bit vectors (8 floats) the hardware peak is
 * 2 units · 8 lanes · 2 flops = 32 flops per cycle. Each of {@code trials} short runs is timed and the fastest is kept: on a
 * shared machine, the least disturbed one. Prints one line of JSON.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private FmaPeak() {
    }

    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int repeats = 20_000_000;
        int depth = 256;
        int kernelRepeats = repeats / depth;
        float[] aPanel = new float[6 * depth];
        float[] bPanel = new float[2 * LANES * depth];
        java.util.Arrays.fill(aPanel, 1e-3f);
        java.util.Arrays.fill(bPanel, 1e-3f);
        double bestChains = 0;
        double bestKernel = 0;
        float sink = 0;
        for (int t = 0; t < trials; t++) {
            long start = System.nanoTime();
            sink += chains(repeats);
            double seconds = (System.nanoTime() - start) / 1e9;
            bestChains = Math.max(bestChains, 12.0 * 2 * LANES * repeats / seconds / 1e9);
            start = System.nanoTime();
            for (int r = 0; r < kernelRepeats; r++) {
                sink += kernel(depth, aPanel, bPanel);
            }
            seconds = (System.nanoTime() - start) / 1e9;
            bestKernel = Math.max(bestKernel, 12.0 * 2 * LANES * depth * (double) kernelRepeats / seconds / 1e9);
        }
        System.out.printf(Locale.ROOT, "{\"lanes\": %d, \"peak_gflops_1core\": %.1f, \"chains_gflops\": %.1f, "
                + "\"kernel_gflops\": %.1f, \"sink\": %.1f}%n",
                LANES, Math.max(bestChains, bestKernel), bestChains, bestKernel, sink);
    }

    /** The micro-kernel's loop: 6 broadcasts × 2 vectors of B, 12 accumulators; returns a lane of their sum. */
    static float kernel(int depth, float[] a, float[] b) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            int bStep = p * 2 * LANES;
            int aStep = p * 6;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bStep);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bStep + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[aStep]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[aStep + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[aStep + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[aStep + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[aStep + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[aStep + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51)
                .lane(0);
    }

    /** Twelve FMA chains, {@code repeats} steps each; returns a sum so the JIT cannot drop the work. */
    static float chains(int repeats) {
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector y = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y;
        FloatVector a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (int r = 0; r < repeats; r++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
