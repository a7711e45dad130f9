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
 * ({@code tools/codegen/conv_channel_kernels.py}: one pattern, four sizes; the row kernel; and the weight kernels' pattern, three sizes).
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
 *
 * <p>The row kernel ({@code rowKernel1x2x10x5}: 1 vector × 2 rows × 10 columns, filters 5 taps wide)
 * computes the same sums with fewer loads. Its loop runs over the ROWS of taps q = (c, a), and per
 * row of taps it loads the 5 weight vectors once and broadcasts each of the 14 input values of an
 * output row once: input column u serves the pixels t = u − b for the taps b = 0..4 that read it.
 * Per row of taps 5 + 2·14 loads for 100 FMAs, against 5·21 in {@code kernel1x2x10}, whose one
 * load per FMA the two load ports cannot feed at the FMA units' pace. Each sum still takes its
 * terms in the order of the taps (c, a, b), so both kernels give the same bits.
 *
 * <p>The weight kernels ({@code weightKernel1x5x5}: 1 vector of filters × 5 rows × 5 columns of TAPS)
 * are the same pattern turned around for ∂L/∂W ({@link ConvChannelSimd#backwardWeight}): the sums
 * are V·R·J weights' vectors of filters, the loop runs over the output pixels of one image, and per
 * pixel they load V vectors of ∂L/∂y (gradT, pixels × filters) and broadcast R·J input values:
 * <pre>
 *   partial[partialIndex + r·partialRow + (t·V + v)·LANES ..+ LANES]
 *       += Σ_p gradT[(p·V + v)·LANES ..+ LANES] · src[window + pixels[p] + r·tapRowStep + t]
 * </pre>
 * Each image's sums start at zero in the registers and are added to the partial sums at the end,
 * so a weight's sum over one image's pixels is one short chain, not one chain over the whole batch.
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

    /**
     * ∂L/∂W of 1 vector of filters × 5 rows × 5 columns of taps (25 sums), one image:
     * partial[partialIndex + r·partialRow + t·1·LANES + v·LANES ..] += Σ_p gradT[p·1·LANES + v·LANES ..] · src[window + pixels[p] + r·tapRowStep + t]
     * for r &lt; 5, t &lt; 5, v &lt; 1, the pixels p in order.
     */
    static void weightKernel1x5x5(float[] src, int window, int tapRowStep, int[] pixels, float[] gradT,
            float[] partial, int partialIndex, int partialRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        FloatVector c1_0_0 = FloatVector.zero(SPECIES);
        FloatVector c1_1_0 = FloatVector.zero(SPECIES);
        FloatVector c1_2_0 = FloatVector.zero(SPECIES);
        FloatVector c1_3_0 = FloatVector.zero(SPECIES);
        FloatVector c1_4_0 = FloatVector.zero(SPECIES);
        FloatVector c2_0_0 = FloatVector.zero(SPECIES);
        FloatVector c2_1_0 = FloatVector.zero(SPECIES);
        FloatVector c2_2_0 = FloatVector.zero(SPECIES);
        FloatVector c2_3_0 = FloatVector.zero(SPECIES);
        FloatVector c2_4_0 = FloatVector.zero(SPECIES);
        FloatVector c3_0_0 = FloatVector.zero(SPECIES);
        FloatVector c3_1_0 = FloatVector.zero(SPECIES);
        FloatVector c3_2_0 = FloatVector.zero(SPECIES);
        FloatVector c3_3_0 = FloatVector.zero(SPECIES);
        FloatVector c3_4_0 = FloatVector.zero(SPECIES);
        FloatVector c4_0_0 = FloatVector.zero(SPECIES);
        FloatVector c4_1_0 = FloatVector.zero(SPECIES);
        FloatVector c4_2_0 = FloatVector.zero(SPECIES);
        FloatVector c4_3_0 = FloatVector.zero(SPECIES);
        FloatVector c4_4_0 = FloatVector.zero(SPECIES);
        for (int p = 0; p < pixels.length; p++) {
            int at = window + pixels[p];
            int gp = p * LANES;
            FloatVector g0 = FloatVector.fromArray(SPECIES, gradT, gp);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = g0.fma(x0_0, c0_0_0);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = g0.fma(x0_1, c0_1_0);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = g0.fma(x0_2, c0_2_0);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = g0.fma(x0_3, c0_3_0);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = g0.fma(x0_4, c0_4_0);
            int at1 = at + tapRowStep;
            FloatVector x1_0 = FloatVector.broadcast(SPECIES, src[at1]);
            c1_0_0 = g0.fma(x1_0, c1_0_0);
            FloatVector x1_1 = FloatVector.broadcast(SPECIES, src[at1 + 1]);
            c1_1_0 = g0.fma(x1_1, c1_1_0);
            FloatVector x1_2 = FloatVector.broadcast(SPECIES, src[at1 + 2]);
            c1_2_0 = g0.fma(x1_2, c1_2_0);
            FloatVector x1_3 = FloatVector.broadcast(SPECIES, src[at1 + 3]);
            c1_3_0 = g0.fma(x1_3, c1_3_0);
            FloatVector x1_4 = FloatVector.broadcast(SPECIES, src[at1 + 4]);
            c1_4_0 = g0.fma(x1_4, c1_4_0);
            int at2 = at + 2 * tapRowStep;
            FloatVector x2_0 = FloatVector.broadcast(SPECIES, src[at2]);
            c2_0_0 = g0.fma(x2_0, c2_0_0);
            FloatVector x2_1 = FloatVector.broadcast(SPECIES, src[at2 + 1]);
            c2_1_0 = g0.fma(x2_1, c2_1_0);
            FloatVector x2_2 = FloatVector.broadcast(SPECIES, src[at2 + 2]);
            c2_2_0 = g0.fma(x2_2, c2_2_0);
            FloatVector x2_3 = FloatVector.broadcast(SPECIES, src[at2 + 3]);
            c2_3_0 = g0.fma(x2_3, c2_3_0);
            FloatVector x2_4 = FloatVector.broadcast(SPECIES, src[at2 + 4]);
            c2_4_0 = g0.fma(x2_4, c2_4_0);
            int at3 = at + 3 * tapRowStep;
            FloatVector x3_0 = FloatVector.broadcast(SPECIES, src[at3]);
            c3_0_0 = g0.fma(x3_0, c3_0_0);
            FloatVector x3_1 = FloatVector.broadcast(SPECIES, src[at3 + 1]);
            c3_1_0 = g0.fma(x3_1, c3_1_0);
            FloatVector x3_2 = FloatVector.broadcast(SPECIES, src[at3 + 2]);
            c3_2_0 = g0.fma(x3_2, c3_2_0);
            FloatVector x3_3 = FloatVector.broadcast(SPECIES, src[at3 + 3]);
            c3_3_0 = g0.fma(x3_3, c3_3_0);
            FloatVector x3_4 = FloatVector.broadcast(SPECIES, src[at3 + 4]);
            c3_4_0 = g0.fma(x3_4, c3_4_0);
            int at4 = at + 4 * tapRowStep;
            FloatVector x4_0 = FloatVector.broadcast(SPECIES, src[at4]);
            c4_0_0 = g0.fma(x4_0, c4_0_0);
            FloatVector x4_1 = FloatVector.broadcast(SPECIES, src[at4 + 1]);
            c4_1_0 = g0.fma(x4_1, c4_1_0);
            FloatVector x4_2 = FloatVector.broadcast(SPECIES, src[at4 + 2]);
            c4_2_0 = g0.fma(x4_2, c4_2_0);
            FloatVector x4_3 = FloatVector.broadcast(SPECIES, src[at4 + 3]);
            c4_3_0 = g0.fma(x4_3, c4_3_0);
            FloatVector x4_4 = FloatVector.broadcast(SPECIES, src[at4 + 4]);
            c4_4_0 = g0.fma(x4_4, c4_4_0);
        }
        c0_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex)).intoArray(partial, partialIndex);
        c0_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + LANES)).intoArray(partial, partialIndex + LANES);
        c0_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * LANES)).intoArray(partial, partialIndex + 2 * LANES);
        c0_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * LANES)).intoArray(partial, partialIndex + 3 * LANES);
        c0_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * LANES)).intoArray(partial, partialIndex + 4 * LANES);
        c1_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + partialRow)).intoArray(partial, partialIndex + partialRow);
        c1_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + partialRow + LANES)).intoArray(partial, partialIndex + partialRow + LANES);
        c1_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + partialRow + 2 * LANES)).intoArray(partial, partialIndex + partialRow + 2 * LANES);
        c1_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + partialRow + 3 * LANES)).intoArray(partial, partialIndex + partialRow + 3 * LANES);
        c1_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + partialRow + 4 * LANES)).intoArray(partial, partialIndex + partialRow + 4 * LANES);
        c2_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * partialRow)).intoArray(partial, partialIndex + 2 * partialRow);
        c2_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * partialRow + LANES)).intoArray(partial, partialIndex + 2 * partialRow + LANES);
        c2_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * partialRow + 2 * LANES)).intoArray(partial, partialIndex + 2 * partialRow + 2 * LANES);
        c2_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * partialRow + 3 * LANES)).intoArray(partial, partialIndex + 2 * partialRow + 3 * LANES);
        c2_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * partialRow + 4 * LANES)).intoArray(partial, partialIndex + 2 * partialRow + 4 * LANES);
        c3_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * partialRow)).intoArray(partial, partialIndex + 3 * partialRow);
        c3_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * partialRow + LANES)).intoArray(partial, partialIndex + 3 * partialRow + LANES);
        c3_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * partialRow + 2 * LANES)).intoArray(partial, partialIndex + 3 * partialRow + 2 * LANES);
        c3_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * partialRow + 3 * LANES)).intoArray(partial, partialIndex + 3 * partialRow + 3 * LANES);
        c3_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * partialRow + 4 * LANES)).intoArray(partial, partialIndex + 3 * partialRow + 4 * LANES);
        c4_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * partialRow)).intoArray(partial, partialIndex + 4 * partialRow);
        c4_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * partialRow + LANES)).intoArray(partial, partialIndex + 4 * partialRow + LANES);
        c4_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * partialRow + 2 * LANES)).intoArray(partial, partialIndex + 4 * partialRow + 2 * LANES);
        c4_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * partialRow + 3 * LANES)).intoArray(partial, partialIndex + 4 * partialRow + 3 * LANES);
        c4_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * partialRow + 4 * LANES)).intoArray(partial, partialIndex + 4 * partialRow + 4 * LANES);
    }

    /**
     * ∂L/∂W of 1 vector of filters × 1 row × 5 columns of taps (5 sums), one image:
     * partial[partialIndex + r·partialRow + t·1·LANES + v·LANES ..] += Σ_p gradT[p·1·LANES + v·LANES ..] · src[window + pixels[p] + r·tapRowStep + t]
     * for r &lt; 1, t &lt; 5, v &lt; 1, the pixels p in order.
     */
    static void weightKernel1x1x5(float[] src, int window, int tapRowStep, int[] pixels, float[] gradT,
            float[] partial, int partialIndex, int partialRow) {
        FloatVector c0_0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1_0 = FloatVector.zero(SPECIES);
        FloatVector c0_2_0 = FloatVector.zero(SPECIES);
        FloatVector c0_3_0 = FloatVector.zero(SPECIES);
        FloatVector c0_4_0 = FloatVector.zero(SPECIES);
        for (int p = 0; p < pixels.length; p++) {
            int at = window + pixels[p];
            int gp = p * LANES;
            FloatVector g0 = FloatVector.fromArray(SPECIES, gradT, gp);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = g0.fma(x0_0, c0_0_0);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = g0.fma(x0_1, c0_1_0);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = g0.fma(x0_2, c0_2_0);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = g0.fma(x0_3, c0_3_0);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = g0.fma(x0_4, c0_4_0);
        }
        c0_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex)).intoArray(partial, partialIndex);
        c0_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + LANES)).intoArray(partial, partialIndex + LANES);
        c0_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * LANES)).intoArray(partial, partialIndex + 2 * LANES);
        c0_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * LANES)).intoArray(partial, partialIndex + 3 * LANES);
        c0_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * LANES)).intoArray(partial, partialIndex + 4 * LANES);
    }

    /**
     * ∂L/∂W of 2 vectors of filters × 1 row × 5 columns of taps (10 sums), one image:
     * partial[partialIndex + r·partialRow + t·2·LANES + v·LANES ..] += Σ_p gradT[p·2·LANES + v·LANES ..] · src[window + pixels[p] + r·tapRowStep + t]
     * for r &lt; 1, t &lt; 5, v &lt; 2, the pixels p in order.
     */
    static void weightKernel2x1x5(float[] src, int window, int tapRowStep, int[] pixels, float[] gradT,
            float[] partial, int partialIndex, int partialRow) {
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
        for (int p = 0; p < pixels.length; p++) {
            int at = window + pixels[p];
            int gp = p * 2 * LANES;
            FloatVector g0 = FloatVector.fromArray(SPECIES, gradT, gp);
            FloatVector g1 = FloatVector.fromArray(SPECIES, gradT, gp + LANES);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0_0 = g0.fma(x0_0, c0_0_0);
            c0_0_1 = g1.fma(x0_0, c0_0_1);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1_0 = g0.fma(x0_1, c0_1_0);
            c0_1_1 = g1.fma(x0_1, c0_1_1);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2_0 = g0.fma(x0_2, c0_2_0);
            c0_2_1 = g1.fma(x0_2, c0_2_1);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3_0 = g0.fma(x0_3, c0_3_0);
            c0_3_1 = g1.fma(x0_3, c0_3_1);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4_0 = g0.fma(x0_4, c0_4_0);
            c0_4_1 = g1.fma(x0_4, c0_4_1);
        }
        c0_0_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex)).intoArray(partial, partialIndex);
        c0_0_1.add(FloatVector.fromArray(SPECIES, partial, partialIndex + LANES)).intoArray(partial, partialIndex + LANES);
        c0_1_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 2 * LANES)).intoArray(partial, partialIndex + 2 * LANES);
        c0_1_1.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 3 * LANES)).intoArray(partial, partialIndex + 3 * LANES);
        c0_2_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 4 * LANES)).intoArray(partial, partialIndex + 4 * LANES);
        c0_2_1.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 5 * LANES)).intoArray(partial, partialIndex + 5 * LANES);
        c0_3_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 6 * LANES)).intoArray(partial, partialIndex + 6 * LANES);
        c0_3_1.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 7 * LANES)).intoArray(partial, partialIndex + 7 * LANES);
        c0_4_0.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 8 * LANES)).intoArray(partial, partialIndex + 8 * LANES);
        c0_4_1.add(FloatVector.fromArray(SPECIES, partial, partialIndex + 9 * LANES)).intoArray(partial, partialIndex + 9 * LANES);
    }

    /**
     * 1 vector of filters × 2 rows × 10 columns of output pixels (20 sums), filters 5 taps wide, the
     * loop over the rows of taps q = (c, a), broadcasts shared between the taps of a row:
     * tile[tileIndex + r·tileRow + t·LANES ..] = Σ_q Σ_b packed[(q·5 + b)·LANES ..] · src[window + tapRows[q] + r·rowStep + t + b]
     * for r &lt; 2, t &lt; 10, b &lt; 5; each sum takes its terms in the order of the taps (q, b), as kernel1x2x10 does.
     */
    static void rowKernel1x2x10x5(float[] src, int window, int rowStep, int[] tapRows, float[] packed,
            float[] tile, int tileIndex, int tileRow) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = FloatVector.zero(SPECIES);
        FloatVector c0_2 = FloatVector.zero(SPECIES);
        FloatVector c0_3 = FloatVector.zero(SPECIES);
        FloatVector c0_4 = FloatVector.zero(SPECIES);
        FloatVector c0_5 = FloatVector.zero(SPECIES);
        FloatVector c0_6 = FloatVector.zero(SPECIES);
        FloatVector c0_7 = FloatVector.zero(SPECIES);
        FloatVector c0_8 = FloatVector.zero(SPECIES);
        FloatVector c0_9 = FloatVector.zero(SPECIES);
        FloatVector c1_0 = FloatVector.zero(SPECIES);
        FloatVector c1_1 = FloatVector.zero(SPECIES);
        FloatVector c1_2 = FloatVector.zero(SPECIES);
        FloatVector c1_3 = FloatVector.zero(SPECIES);
        FloatVector c1_4 = FloatVector.zero(SPECIES);
        FloatVector c1_5 = FloatVector.zero(SPECIES);
        FloatVector c1_6 = FloatVector.zero(SPECIES);
        FloatVector c1_7 = FloatVector.zero(SPECIES);
        FloatVector c1_8 = FloatVector.zero(SPECIES);
        FloatVector c1_9 = FloatVector.zero(SPECIES);
        for (int q = 0; q < tapRows.length; q++) {
            int at = window + tapRows[q];
            int wq = q * 5 * LANES;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, wq);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, wq + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, packed, wq + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, packed, wq + 3 * LANES);
            FloatVector w4 = FloatVector.fromArray(SPECIES, packed, wq + 4 * LANES);
            FloatVector x0_0 = FloatVector.broadcast(SPECIES, src[at]);
            c0_0 = w0.fma(x0_0, c0_0);
            FloatVector x0_1 = FloatVector.broadcast(SPECIES, src[at + 1]);
            c0_1 = w0.fma(x0_1, c0_1);
            c0_0 = w1.fma(x0_1, c0_0);
            FloatVector x0_2 = FloatVector.broadcast(SPECIES, src[at + 2]);
            c0_2 = w0.fma(x0_2, c0_2);
            c0_1 = w1.fma(x0_2, c0_1);
            c0_0 = w2.fma(x0_2, c0_0);
            FloatVector x0_3 = FloatVector.broadcast(SPECIES, src[at + 3]);
            c0_3 = w0.fma(x0_3, c0_3);
            c0_2 = w1.fma(x0_3, c0_2);
            c0_1 = w2.fma(x0_3, c0_1);
            c0_0 = w3.fma(x0_3, c0_0);
            FloatVector x0_4 = FloatVector.broadcast(SPECIES, src[at + 4]);
            c0_4 = w0.fma(x0_4, c0_4);
            c0_3 = w1.fma(x0_4, c0_3);
            c0_2 = w2.fma(x0_4, c0_2);
            c0_1 = w3.fma(x0_4, c0_1);
            c0_0 = w4.fma(x0_4, c0_0);
            FloatVector x0_5 = FloatVector.broadcast(SPECIES, src[at + 5]);
            c0_5 = w0.fma(x0_5, c0_5);
            c0_4 = w1.fma(x0_5, c0_4);
            c0_3 = w2.fma(x0_5, c0_3);
            c0_2 = w3.fma(x0_5, c0_2);
            c0_1 = w4.fma(x0_5, c0_1);
            FloatVector x0_6 = FloatVector.broadcast(SPECIES, src[at + 6]);
            c0_6 = w0.fma(x0_6, c0_6);
            c0_5 = w1.fma(x0_6, c0_5);
            c0_4 = w2.fma(x0_6, c0_4);
            c0_3 = w3.fma(x0_6, c0_3);
            c0_2 = w4.fma(x0_6, c0_2);
            FloatVector x0_7 = FloatVector.broadcast(SPECIES, src[at + 7]);
            c0_7 = w0.fma(x0_7, c0_7);
            c0_6 = w1.fma(x0_7, c0_6);
            c0_5 = w2.fma(x0_7, c0_5);
            c0_4 = w3.fma(x0_7, c0_4);
            c0_3 = w4.fma(x0_7, c0_3);
            FloatVector x0_8 = FloatVector.broadcast(SPECIES, src[at + 8]);
            c0_8 = w0.fma(x0_8, c0_8);
            c0_7 = w1.fma(x0_8, c0_7);
            c0_6 = w2.fma(x0_8, c0_6);
            c0_5 = w3.fma(x0_8, c0_5);
            c0_4 = w4.fma(x0_8, c0_4);
            FloatVector x0_9 = FloatVector.broadcast(SPECIES, src[at + 9]);
            c0_9 = w0.fma(x0_9, c0_9);
            c0_8 = w1.fma(x0_9, c0_8);
            c0_7 = w2.fma(x0_9, c0_7);
            c0_6 = w3.fma(x0_9, c0_6);
            c0_5 = w4.fma(x0_9, c0_5);
            FloatVector x0_10 = FloatVector.broadcast(SPECIES, src[at + 10]);
            c0_9 = w1.fma(x0_10, c0_9);
            c0_8 = w2.fma(x0_10, c0_8);
            c0_7 = w3.fma(x0_10, c0_7);
            c0_6 = w4.fma(x0_10, c0_6);
            FloatVector x0_11 = FloatVector.broadcast(SPECIES, src[at + 11]);
            c0_9 = w2.fma(x0_11, c0_9);
            c0_8 = w3.fma(x0_11, c0_8);
            c0_7 = w4.fma(x0_11, c0_7);
            FloatVector x0_12 = FloatVector.broadcast(SPECIES, src[at + 12]);
            c0_9 = w3.fma(x0_12, c0_9);
            c0_8 = w4.fma(x0_12, c0_8);
            FloatVector x0_13 = FloatVector.broadcast(SPECIES, src[at + 13]);
            c0_9 = w4.fma(x0_13, c0_9);
            int at1 = at + rowStep;
            FloatVector x1_0 = FloatVector.broadcast(SPECIES, src[at1]);
            c1_0 = w0.fma(x1_0, c1_0);
            FloatVector x1_1 = FloatVector.broadcast(SPECIES, src[at1 + 1]);
            c1_1 = w0.fma(x1_1, c1_1);
            c1_0 = w1.fma(x1_1, c1_0);
            FloatVector x1_2 = FloatVector.broadcast(SPECIES, src[at1 + 2]);
            c1_2 = w0.fma(x1_2, c1_2);
            c1_1 = w1.fma(x1_2, c1_1);
            c1_0 = w2.fma(x1_2, c1_0);
            FloatVector x1_3 = FloatVector.broadcast(SPECIES, src[at1 + 3]);
            c1_3 = w0.fma(x1_3, c1_3);
            c1_2 = w1.fma(x1_3, c1_2);
            c1_1 = w2.fma(x1_3, c1_1);
            c1_0 = w3.fma(x1_3, c1_0);
            FloatVector x1_4 = FloatVector.broadcast(SPECIES, src[at1 + 4]);
            c1_4 = w0.fma(x1_4, c1_4);
            c1_3 = w1.fma(x1_4, c1_3);
            c1_2 = w2.fma(x1_4, c1_2);
            c1_1 = w3.fma(x1_4, c1_1);
            c1_0 = w4.fma(x1_4, c1_0);
            FloatVector x1_5 = FloatVector.broadcast(SPECIES, src[at1 + 5]);
            c1_5 = w0.fma(x1_5, c1_5);
            c1_4 = w1.fma(x1_5, c1_4);
            c1_3 = w2.fma(x1_5, c1_3);
            c1_2 = w3.fma(x1_5, c1_2);
            c1_1 = w4.fma(x1_5, c1_1);
            FloatVector x1_6 = FloatVector.broadcast(SPECIES, src[at1 + 6]);
            c1_6 = w0.fma(x1_6, c1_6);
            c1_5 = w1.fma(x1_6, c1_5);
            c1_4 = w2.fma(x1_6, c1_4);
            c1_3 = w3.fma(x1_6, c1_3);
            c1_2 = w4.fma(x1_6, c1_2);
            FloatVector x1_7 = FloatVector.broadcast(SPECIES, src[at1 + 7]);
            c1_7 = w0.fma(x1_7, c1_7);
            c1_6 = w1.fma(x1_7, c1_6);
            c1_5 = w2.fma(x1_7, c1_5);
            c1_4 = w3.fma(x1_7, c1_4);
            c1_3 = w4.fma(x1_7, c1_3);
            FloatVector x1_8 = FloatVector.broadcast(SPECIES, src[at1 + 8]);
            c1_8 = w0.fma(x1_8, c1_8);
            c1_7 = w1.fma(x1_8, c1_7);
            c1_6 = w2.fma(x1_8, c1_6);
            c1_5 = w3.fma(x1_8, c1_5);
            c1_4 = w4.fma(x1_8, c1_4);
            FloatVector x1_9 = FloatVector.broadcast(SPECIES, src[at1 + 9]);
            c1_9 = w0.fma(x1_9, c1_9);
            c1_8 = w1.fma(x1_9, c1_8);
            c1_7 = w2.fma(x1_9, c1_7);
            c1_6 = w3.fma(x1_9, c1_6);
            c1_5 = w4.fma(x1_9, c1_5);
            FloatVector x1_10 = FloatVector.broadcast(SPECIES, src[at1 + 10]);
            c1_9 = w1.fma(x1_10, c1_9);
            c1_8 = w2.fma(x1_10, c1_8);
            c1_7 = w3.fma(x1_10, c1_7);
            c1_6 = w4.fma(x1_10, c1_6);
            FloatVector x1_11 = FloatVector.broadcast(SPECIES, src[at1 + 11]);
            c1_9 = w2.fma(x1_11, c1_9);
            c1_8 = w3.fma(x1_11, c1_8);
            c1_7 = w4.fma(x1_11, c1_7);
            FloatVector x1_12 = FloatVector.broadcast(SPECIES, src[at1 + 12]);
            c1_9 = w3.fma(x1_12, c1_9);
            c1_8 = w4.fma(x1_12, c1_8);
            FloatVector x1_13 = FloatVector.broadcast(SPECIES, src[at1 + 13]);
            c1_9 = w4.fma(x1_13, c1_9);
        }
        c0_0.intoArray(tile, tileIndex);
        c0_1.intoArray(tile, tileIndex + LANES);
        c0_2.intoArray(tile, tileIndex + 2 * LANES);
        c0_3.intoArray(tile, tileIndex + 3 * LANES);
        c0_4.intoArray(tile, tileIndex + 4 * LANES);
        c0_5.intoArray(tile, tileIndex + 5 * LANES);
        c0_6.intoArray(tile, tileIndex + 6 * LANES);
        c0_7.intoArray(tile, tileIndex + 7 * LANES);
        c0_8.intoArray(tile, tileIndex + 8 * LANES);
        c0_9.intoArray(tile, tileIndex + 9 * LANES);
        c1_0.intoArray(tile, tileIndex + tileRow);
        c1_1.intoArray(tile, tileIndex + tileRow + LANES);
        c1_2.intoArray(tile, tileIndex + tileRow + 2 * LANES);
        c1_3.intoArray(tile, tileIndex + tileRow + 3 * LANES);
        c1_4.intoArray(tile, tileIndex + tileRow + 4 * LANES);
        c1_5.intoArray(tile, tileIndex + tileRow + 5 * LANES);
        c1_6.intoArray(tile, tileIndex + tileRow + 6 * LANES);
        c1_7.intoArray(tile, tileIndex + tileRow + 7 * LANES);
        c1_8.intoArray(tile, tileIndex + tileRow + 8 * LANES);
        c1_9.intoArray(tile, tileIndex + tileRow + 9 * LANES);
    }
}
