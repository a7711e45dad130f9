package kindling.benchmarks;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import kindling.kernels.GemmSimd;

/**
 * The peak float32 rate one core reaches from Java, the ceiling for "percent of peak" in the report:
 * the faster of two register-bound loops.
 * <pre>
 *   chains:  acc_j ← acc_j · x + y   for j = 0 … 11, repeated: twelve independent chains of vector
 *            FMAs on registers only (an FMA has a latency of 4 cycles and two FMA units issue one each
 *            per cycle, so at least 8 chains must be in flight; 12 fit AVX2's 16 registers)
 *   kernel:  GemmSimd.microKernel itself (the block GEMM uses on this machine, rows × 2 vectors: 12 rows
 *            with AVX-512, 6 with AVX2) on panels that stay in L1: per step two vector loads, one
 *            broadcast and two FMAs per row
 *   GFLOP/s = FMAs · 2 · lanes / time
 * </pre>
 * Both are measured because neither alone is sure to be the ceiling: the chains have no memory
 * traffic but are an unusual loop, the kernel's loop is the one GEMM actually runs (its figure is
 * also the most a whole GEMM could reach). The vector width is the one the JVM chose for
 * {@code FloatVector.SPECIES_PREFERRED} on this CPU (256 bits, 8 floats, with AVX2; 512 bits, 16 floats,
 * with AVX-512), so a core with two FMA units peaks at 2 units · lanes · 2 flops per cycle: 32 with
 * AVX2, 64 with AVX-512. Each of {@code trials} short runs is timed and the fastest is kept: on a
 * shared machine, the least disturbed one. Prints one line of JSON: the lanes and bits of the width
 * chosen, the JDK's version, and the three rates in GFLOP/s.
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
        int rows = GemmSimd.blockRows();
        int kernelRepeats = repeats / depth;
        float[] aPanel = new float[rows * depth];
        float[] bPanel = new float[2 * LANES * depth];
        float[] block = new float[rows * 2 * LANES];
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
                GemmSimd.microKernel(depth, aPanel, 0, bPanel, 0, 2 * LANES, block);
                sink += block[r % block.length];
            }
            seconds = (System.nanoTime() - start) / 1e9;
            bestKernel = Math.max(bestKernel, 2.0 * rows * 2 * LANES * depth * (double) kernelRepeats / seconds / 1e9);
        }
        System.out.printf(Locale.ROOT, "{\"lanes\": %d, \"bits\": %d, \"jdk\": \"%s\", \"peak_gflops_1core\": %.1f, "
                + "\"chains_gflops\": %.1f, \"kernel_gflops\": %.1f, \"sink\": %.1f}%n",
                LANES, SPECIES.vectorBitSize(), Runtime.version(), Math.max(bestChains, bestKernel), bestChains,
                bestKernel, sink);
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
