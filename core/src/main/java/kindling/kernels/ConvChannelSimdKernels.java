package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link ConvChannelSimd}, where its multiply-adds happen: a block of V vectors
 * of filters at R × J output pixels (R rows of J adjacent columns), V·R·J sums kept in vector
 * registers for the whole loop over the taps and stored once at the end. The names say the block:
 * {@code kernel1x2x10} is 1 vector of filters × 2 rows × 10 columns. The blocks for 32 vector
 * registers (AVX-512) hold 20 sums, those for 16 (AVX2) 10 or 12, so that the sums, the V filter
 * vectors and a broadcast pixel fit. The sizes are spelt out, one variable per register, because
 * the JIT keeps a {@code FloatVector} in a register only when it is a local variable, and the loop
 * over the taps is a single loop: with the sums live across two nested loops, the JIT of JDK 17
 * kept them as objects on the heap, many times slower (docs/kernels.md). The kernels are printed by a short script
 * ({@code tools/codegen/conv_channel_kernels.py}: one pattern, four sizes).
 *
 * <p>Each kernel computes, for r &lt; R, t &lt; J and v &lt; V,
 * <pre>
 *   tile[tileIndex + r·tileRow + (t·V + v)·LANES ..+ LANES]
 *       = Σ_k packed[(k·V + v)·LANES ..+ LANES] · src[window + taps[k] + r·rowStep + t]
 * </pre>
 * where taps[k] is where tap k = (c, a, b) lies from the start of a pixel's window and
 * {@code window} where the block's first pixel's window starts. Per tap: V vector loads of
 * weights, R·J broadcasts of one input value each, V·R·J FMAs. Within a row the J loads are at
 * {@code at + 0}, {@code at + 1}, ... {@code at + J − 1}: fixed distances from one index, so the JIT
 * checks the array bounds of the first and the last only.
 */
final class ConvChannelSimdKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private ConvChannelSimdKernels() {
    }

    // The methods below are generated: printed by `python3 tools/codegen/conv_channel_kernels.py` and
    // pasted here, after the constructor. Edit the script and paste its output again, not them.

    /**
     * 1 vector of filters × 2 rows × 10 columns of output pixels (20 sums):
     * tile[tileIndex + r·tileRow + t·1·LANES + v·LANES ..] = Σ_k packed[k·1·LANES + v·LANES ..] · src[window + taps[k] + r·rowStep + t]
     * for r &lt; 2, t &lt; 10, v &lt; 1.
     */
    static void kernel1x2x10(float[] src, int window, int rowStep, int[] taps, float[] packed,
            float[] tile, int tileIndex, int tileRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        FloatVector c0_5_0 = FloatVector.zero(SPECIES);
        FloatVector c0_6_0 = FloatVector.zero(SPECIES);
        FloatVector c0_7_0 = FloatVector.zero(SPECIES);
        FloatVector c0_8_0 = FloatVector.zero(SPECIES);
        FloatVector c0_9_0 = FloatVector.zero(SPECIES);
        FloatVector c1_0_0 = FloatVector.zero(SPECIES);
        FloatVector c1_1_0 = FloatVector.zero(SPECIES);
        FloatVector c1_2_0 = FloatVector.zero(SPECIES);
        FloatVector c1_3_0 = FloatVector.zero(SPECIES);
        FloatVector c1_4_0 = FloatVector.zero(SPECIES);
        FloatVector c1_5_0 = FloatVector.zero(SPECIES);
        FloatVector c1_6_0 = FloatVector.zero(SPECIES);
        FloatVector c1_7_0 = FloatVector.zero(SPECIES);
        FloatVector c1_8_0 = FloatVector.zero(SPECIES);
        FloatVector c1_9_0 = FloatVector.zero(SPECIES);
        for (int k = 0; k < taps.length; k++) {
            int at = window + taps[k];
            int wk = k * LANES;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, wk);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = w0.fma(x0_0, c0_0_0);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = w0.fma(x0_1, c0_1_0);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = w0.fma(x0_2, c0_2_0);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = w0.fma(x0_3, c0_3_0);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = w0.fma(x0_4, c0_4_0);
            FloatVector x0_5 = FloatVector.broadcast(SPECIES, src[at + 5]);
            c0_5_0 = w0.fma(x0_5, c0_5_0);
            FloatVector x0_6 = FloatVector.broadcast(SPECIES, src[at + 6]);
            c0_6_0 = w0.fma(x0_6, c0_6_0);
            FloatVector x0_7 = FloatVector.broadcast(SPECIES, src[at + 7]);
            c0_7_0 = w0.fma(x0_7, c0_7_0);
            FloatVector x0_8 = FloatVector.broadcast(SPECIES, src[at + 8]);
            c0_8_0 = w0.fma(x0_8, c0_8_0);
            FloatVector x0_9 = FloatVector.broadcast(SPECIES, src[at + 9]);
            c0_9_0 = w0.fma(x0_9, c0_9_0);
            int at1 = at + rowStep;
            FloatVector x1_0 = FloatVector.broadcast(SPECIES, src[at1]);
            c1_0_0 = w0.fma(x1_0, c1_0_0);
            FloatVector x1_1 = FloatVector.broadcast(SPECIES, src[at1 + 1]);
            c1_1_0 = w0.fma(x1_1, c1_1_0);
            FloatVector x1_2 = FloatVector.broadcast(SPECIES, src[at1 + 2]);
            c1_2_0 = w0.fma(x1_2, c1_2_0);
            FloatVector x1_3 = FloatVector.broadcast(SPECIES, src[at1 + 3]);
            c1_3_0 = w0.fma(x1_3, c1_3_0);
            FloatVector x1_4 = FloatVector.broadcast(SPECIES, src[at1 + 4]);
            c1_4_0 = w0.fma(x1_4, c1_4_0);
            FloatVector x1_5 = FloatVector.broadcast(SPECIES, src[at1 + 5]);
            c1_5_0 = w0.fma(x1_5, c1_5_0);
            FloatVector x1_6 = FloatVector.broadcast(SPECIES, src[at1 + 6]);
            c1_6_0 = w0.fma(x1_6, c1_6_0);
            FloatVector x1_7 = FloatVector.broadcast(SPECIES, src[at1 + 7]);
            c1_7_0 = w0.fma(x1_7, c1_7_0);
            FloatVector x1_8 = FloatVector.broadcast(SPECIES, src[at1 + 8]);
            c1_8_0 = w0.fma(x1_8, c1_8_0);
            FloatVector x1_9 = FloatVector.broadcast(SPECIES, src[at1 + 9]);
            c1_9_0 = w0.fma(x1_9, c1_9_0);
        }
        c0_0_0.intoArray(tile, tileIndex);
        c0_1_0.intoArray(tile, tileIndex + LANES);
        c0_2_0.intoArray(tile, tileIndex + 2 * LANES);
        c0_3_0.intoArray(tile, tileIndex + 3 * LANES);
        c0_4_0.intoArray(tile, tileIndex + 4 * LANES);
        c0_5_0.intoArray(tile, tileIndex + 5 * LANES);
        c0_6_0.intoArray(tile, tileIndex + 6 * LANES);
        c0_7_0.intoArray(tile, tileIndex + 7 * LANES);
        c0_8_0.intoArray(tile, tileIndex + 8 * LANES);
        c0_9_0.intoArray(tile, tileIndex + 9 * LANES);
        c1_0_0.intoArray(tile, tileIndex + tileRow);
        c1_1_0.intoArray(tile, tileIndex + tileRow + LANES);
        c1_2_0.intoArray(tile, tileIndex + tileRow + 2 * LANES);
        c1_3_0.intoArray(tile, tileIndex + tileRow + 3 * LANES);
        c1_4_0.intoArray(tile, tileIndex + tileRow + 4 * LANES);
        c1_5_0.intoArray(tile, tileIndex + tileRow + 5 * LANES);
        c1_6_0.intoArray(tile, tileIndex + tileRow + 6 * LANES);
        c1_7_0.intoArray(tile, tileIndex + tileRow + 7 * LANES);
        c1_8_0.intoArray(tile, tileIndex + tileRow + 8 * LANES);
        c1_9_0.intoArray(tile, tileIndex + tileRow + 9 * LANES);
    }

    /**
     * 2 vectors of filters × 1 row × 10 columns of output pixels (20 sums):
     * tile[tileIndex + r·tileRow + t·2·LANES + v·LANES ..] = Σ_k packed[k·2·LANES + v·LANES ..] · src[window + taps[k] + r·rowStep + t]
     * for r &lt; 1, t &lt; 10, v &lt; 2.
     */
    static void kernel2x1x10(float[] src, int window, int rowStep, int[] taps, float[] packed,
            float[] tile, int tileIndex, int tileRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_0_1 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_1 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_1 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_1 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_1 = FloatVector.zero(SPECIES);
        FloatVector c0_5_0 = FloatVector.zero(SPECIES);
        FloatVector c0_5_1 = FloatVector.zero(SPECIES);
        FloatVector c0_6_0 = FloatVector.zero(SPECIES);
        FloatVector c0_6_1 = FloatVector.zero(SPECIES);
        FloatVector c0_7_0 = FloatVector.zero(SPECIES);
        FloatVector c0_7_1 = FloatVector.zero(SPECIES);
        FloatVector c0_8_0 = FloatVector.zero(SPECIES);
        FloatVector c0_8_1 = FloatVector.zero(SPECIES);
        FloatVector c0_9_0 = FloatVector.zero(SPECIES);
        FloatVector c0_9_1 = FloatVector.zero(SPECIES);
        for (int k = 0; k < taps.length; k++) {
            int at = window + taps[k];
            int wk = k * 2 * LANES;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, wk);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, wk + LANES);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = w0.fma(x0_0, c0_0_0);
            c0_0_1 = w1.fma(x0_0, c0_0_1);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = w0.fma(x0_1, c0_1_0);
            c0_1_1 = w1.fma(x0_1, c0_1_1);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = w0.fma(x0_2, c0_2_0);
            c0_2_1 = w1.fma(x0_2, c0_2_1);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = w0.fma(x0_3, c0_3_0);
            c0_3_1 = w1.fma(x0_3, c0_3_1);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = w0.fma(x0_4, c0_4_0);
            c0_4_1 = w1.fma(x0_4, c0_4_1);
            FloatVector x0_5 = FloatVector.broadcast(SPECIES, src[at + 5]);
            c0_5_0 = w0.fma(x0_5, c0_5_0);
            c0_5_1 = w1.fma(x0_5, c0_5_1);
            FloatVector x0_6 = FloatVector.broadcast(SPECIES, src[at + 6]);
            c0_6_0 = w0.fma(x0_6, c0_6_0);
            c0_6_1 = w1.fma(x0_6, c0_6_1);
            FloatVector x0_7 = FloatVector.broadcast(SPECIES, src[at + 7]);
            c0_7_0 = w0.fma(x0_7, c0_7_0);
            c0_7_1 = w1.fma(x0_7, c0_7_1);
            FloatVector x0_8 = FloatVector.broadcast(SPECIES, src[at + 8]);
            c0_8_0 = w0.fma(x0_8, c0_8_0);
            c0_8_1 = w1.fma(x0_8, c0_8_1);
            FloatVector x0_9 = FloatVector.broadcast(SPECIES, src[at + 9]);
            c0_9_0 = w0.fma(x0_9, c0_9_0);
            c0_9_1 = w1.fma(x0_9, c0_9_1);
        }
        c0_0_0.intoArray(tile, tileIndex);
        c0_0_1.intoArray(tile, tileIndex + LANES);
        c0_1_0.intoArray(tile, tileIndex + 2 * LANES);
        c0_1_1.intoArray(tile, tileIndex + 3 * LANES);
        c0_2_0.intoArray(tile, tileIndex + 4 * LANES);
        c0_2_1.intoArray(tile, tileIndex + 5 * LANES);
        c0_3_0.intoArray(tile, tileIndex + 6 * LANES);
        c0_3_1.intoArray(tile, tileIndex + 7 * LANES);
        c0_4_0.intoArray(tile, tileIndex + 8 * LANES);
        c0_4_1.intoArray(tile, tileIndex + 9 * LANES);
        c0_5_0.intoArray(tile, tileIndex + 10 * LANES);
        c0_5_1.intoArray(tile, tileIndex + 11 * LANES);
        c0_6_0.intoArray(tile, tileIndex + 12 * LANES);
        c0_6_1.intoArray(tile, tileIndex + 13 * LANES);
        c0_7_0.intoArray(tile, tileIndex + 14 * LANES);
        c0_7_1.intoArray(tile, tileIndex + 15 * LANES);
        c0_8_0.intoArray(tile, tileIndex + 16 * LANES);
        c0_8_1.intoArray(tile, tileIndex + 17 * LANES);
        c0_9_0.intoArray(tile, tileIndex + 18 * LANES);
        c0_9_1.intoArray(tile, tileIndex + 19 * LANES);
    }

    /**
     * 1 vector of filters × 1 row × 10 columns of output pixels (10 sums):
     * tile[tileIndex + r·tileRow + t·1·LANES + v·LANES ..] = Σ_k packed[k·1·LANES + v·LANES ..] · src[window + taps[k] + r·rowStep + t]
     * for r &lt; 1, t &lt; 10, v &lt; 1.
     */
    static void kernel1x1x10(float[] src, int window, int rowStep, int[] taps, float[] packed,
            float[] tile, int tileIndex, int tileRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        FloatVector c0_5_0 = FloatVector.zero(SPECIES);
        FloatVector c0_6_0 = FloatVector.zero(SPECIES);
        FloatVector c0_7_0 = FloatVector.zero(SPECIES);
        FloatVector c0_8_0 = FloatVector.zero(SPECIES);
        FloatVector c0_9_0 = FloatVector.zero(SPECIES);
        for (int k = 0; k < taps.length; k++) {
            int at = window + taps[k];
            int wk = k * LANES;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, wk);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = w0.fma(x0_0, c0_0_0);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = w0.fma(x0_1, c0_1_0);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = w0.fma(x0_2, c0_2_0);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = w0.fma(x0_3, c0_3_0);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = w0.fma(x0_4, c0_4_0);
            FloatVector x0_5 = FloatVector.broadcast(SPECIES, src[at + 5]);
            c0_5_0 = w0.fma(x0_5, c0_5_0);
            FloatVector x0_6 = FloatVector.broadcast(SPECIES, src[at + 6]);
            c0_6_0 = w0.fma(x0_6, c0_6_0);
            FloatVector x0_7 = FloatVector.broadcast(SPECIES, src[at + 7]);
            c0_7_0 = w0.fma(x0_7, c0_7_0);
            FloatVector x0_8 = FloatVector.broadcast(SPECIES, src[at + 8]);
            c0_8_0 = w0.fma(x0_8, c0_8_0);
            FloatVector x0_9 = FloatVector.broadcast(SPECIES, src[at + 9]);
            c0_9_0 = w0.fma(x0_9, c0_9_0);
        }
        c0_0_0.intoArray(tile, tileIndex);
        c0_1_0.intoArray(tile, tileIndex + LANES);
        c0_2_0.intoArray(tile, tileIndex + 2 * LANES);
        c0_3_0.intoArray(tile, tileIndex + 3 * LANES);
        c0_4_0.intoArray(tile, tileIndex + 4 * LANES);
        c0_5_0.intoArray(tile, tileIndex + 5 * LANES);
        c0_6_0.intoArray(tile, tileIndex + 6 * LANES);
        c0_7_0.intoArray(tile, tileIndex + 7 * LANES);
        c0_8_0.intoArray(tile, tileIndex + 8 * LANES);
        c0_9_0.intoArray(tile, tileIndex + 9 * LANES);
    }

    /**
     * 2 vectors of filters × 1 row × 6 columns of output pixels (12 sums):
     * tile[tileIndex + r·tileRow + t·2·LANES + v·LANES ..] = Σ_k packed[k·2·LANES + v·LANES ..] · src[window + taps[k] + r·rowStep + t]
     * for r &lt; 1, t &lt; 6, v &lt; 2.
     */
    static void kernel2x1x6(float[] src, int window, int rowStep, int[] taps, float[] packed,
            float[] tile, int tileIndex, int tileRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_0_1 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_1 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_1 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_1 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_1 = FloatVector.zero(SPECIES);
        FloatVector c0_5_0 = FloatVector.zero(SPECIES);
        FloatVector c0_5_1 = FloatVector.zero(SPECIES);
        for (int k = 0; k < taps.length; k++) {
            int at = window + taps[k];
            int wk = k * 2 * LANES;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, wk);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, wk + LANES);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = w0.fma(x0_0, c0_0_0);
            c0_0_1 = w1.fma(x0_0, c0_0_1);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = w0.fma(x0_1, c0_1_0);
            c0_1_1 = w1.fma(x0_1, c0_1_1);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = w0.fma(x0_2, c0_2_0);
            c0_2_1 = w1.fma(x0_2, c0_2_1);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = w0.fma(x0_3, c0_3_0);
            c0_3_1 = w1.fma(x0_3, c0_3_1);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = w0.fma(x0_4, c0_4_0);
            c0_4_1 = w1.fma(x0_4, c0_4_1);
            FloatVector x0_5 = FloatVector.broadcast(SPECIES, src[at + 5]);
            c0_5_0 = w0.fma(x0_5, c0_5_0);
            c0_5_1 = w1.fma(x0_5, c0_5_1);
        }
        c0_0_0.intoArray(tile, tileIndex);
        c0_0_1.intoArray(tile, tileIndex + LANES);
        c0_1_0.intoArray(tile, tileIndex + 2 * LANES);
        c0_1_1.intoArray(tile, tileIndex + 3 * LANES);
        c0_2_0.intoArray(tile, tileIndex + 4 * LANES);
        c0_2_1.intoArray(tile, tileIndex + 5 * LANES);
        c0_3_0.intoArray(tile, tileIndex + 6 * LANES);
        c0_3_1.intoArray(tile, tileIndex + 7 * LANES);
        c0_4_0.intoArray(tile, tileIndex + 8 * LANES);
        c0_4_1.intoArray(tile, tileIndex + 9 * LANES);
        c0_5_0.intoArray(tile, tileIndex + 10 * LANES);
        c0_5_1.intoArray(tile, tileIndex + 11 * LANES);
    }
}
