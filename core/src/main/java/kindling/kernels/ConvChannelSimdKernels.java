package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
 * ({@code tools/codegen/conv_channel_kernels.py}: one pattern, four sizes; the row kernel; the weight kernels' pattern, three sizes;
 * and the transpositions, for 4, 8 and 16 lanes).
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
 *
 * <p>The transpositions ({@code transpose16}: a 16 × 16 block) turn LANES pixels' rows of the tile
 * (filters in the lanes) into LANES filters' runs of y (pixels in the lanes) in registers, for
 * {@link ConvChannelSimd}'s store of a tile; {@link ConvSimd}'s weight gradient uses them the other way
 * round, LANES filters' runs of ∂L/∂y into rows of filters. In the stage of distance d, rows r and r + d (bit d of r
 * clear) swap the lanes with bit d set of r for those with bit d clear of r + d: one rearrange
 * (lane l ← lane l ^ d) and one blend per row. log2(LANES) stages transpose the block; each float is
 * only moved, and the bias added before, so y gets the same bits as from a gather.
 */
final class ConvChannelSimdKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** Lane l ← lane l ^ d (the stage of distance d of the transpositions); null where d ≥ LANES. */
    private static final VectorShuffle<Float> SWAP1 = swap(1);
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP8 = swap(8);
    /** The lanes l with bit d set. */
    private static final VectorMask<Float> UPPER1 = upper(1);
    private static final VectorMask<Float> UPPER2 = upper(2);
    private static final VectorMask<Float> UPPER4 = upper(4);
    private static final VectorMask<Float> UPPER8 = upper(8);

    private ConvChannelSimdKernels() {
    }

    private static VectorShuffle<Float> swap(int d) {
        return d < LANES ? VectorShuffle.fromOp(SPECIES, lane -> lane ^ d) : null;
    }

    private static VectorMask<Float> upper(int d) {
        boolean[] set = new boolean[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            set[lane] = (lane & d) != 0;
        }
        return VectorMask.fromArray(SPECIES, set, 0);
    }

    /** Whether a generated transposition ({@code transpose4}, {@code 8}, {@code 16}) exists for this machine's LANES. */
    static boolean transposes() {
        return LANES == 4 || LANES == 8 || LANES == 16;
    }

    /**
     * y[to + l·yStride + r] = tile[from + r·tileStride + l] + bias[l] for r, l &lt; LANES: one LANES × LANES
     * block of the tile transposed in registers, by the generated method of this LANES ({@link #transposes}).
     */
    static void transpose(float[] tile, int from, int tileStride, FloatVector bias, float[] y, int to, int yStride) {
        switch (LANES) {
            case 16 -> transpose16(tile, from, tileStride, bias, y, to, yStride);
            case 8 -> transpose8(tile, from, tileStride, bias, y, to, yStride);
            case 4 -> transpose4(tile, from, tileStride, bias, y, to, yStride);
            default -> throw new IllegalStateException("ConvChannelSimdKernels: no transposition for " + LANES + " lanes");
        }
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

    /**
     * y[to + l·yStride + r] = tile[from + r·tileStride + l] + bias[l] for r, l &lt; 4: a 4 × 4 block of
     * the tile transposed in registers (4 loads, 2 stages of 4 rearranges and 4 blends, 4 stores).
     * Only for LANES = 4.
     */
    static void transpose4(float[] tile, int from, int tileStride, FloatVector bias, float[] y, int to, int yStride) {
        FloatVector r0 = FloatVector.fromArray(SPECIES, tile, from).add(bias);
        FloatVector r1 = FloatVector.fromArray(SPECIES, tile, from + tileStride).add(bias);
        FloatVector r2 = FloatVector.fromArray(SPECIES, tile, from + 2 * tileStride).add(bias);
        FloatVector r3 = FloatVector.fromArray(SPECIES, tile, from + 3 * tileStride).add(bias);
        FloatVector s2_0 = r0.blend(r2.rearrange(SWAP2), UPPER2);
        r2 = r0.rearrange(SWAP2).blend(r2, UPPER2);
        r0 = s2_0;
        FloatVector s2_1 = r1.blend(r3.rearrange(SWAP2), UPPER2);
        r3 = r1.rearrange(SWAP2).blend(r3, UPPER2);
        r1 = s2_1;
        FloatVector s1_0 = r0.blend(r1.rearrange(SWAP1), UPPER1);
        r1 = r0.rearrange(SWAP1).blend(r1, UPPER1);
        r0 = s1_0;
        FloatVector s1_2 = r2.blend(r3.rearrange(SWAP1), UPPER1);
        r3 = r2.rearrange(SWAP1).blend(r3, UPPER1);
        r2 = s1_2;
        r0.intoArray(y, to);
        r1.intoArray(y, to + yStride);
        r2.intoArray(y, to + 2 * yStride);
        r3.intoArray(y, to + 3 * yStride);
    }

    /**
     * y[to + l·yStride + r] = tile[from + r·tileStride + l] + bias[l] for r, l &lt; 8: a 8 × 8 block of
     * the tile transposed in registers (8 loads, 3 stages of 8 rearranges and 8 blends, 8 stores).
     * Only for LANES = 8.
     */
    static void transpose8(float[] tile, int from, int tileStride, FloatVector bias, float[] y, int to, int yStride) {
        FloatVector r0 = FloatVector.fromArray(SPECIES, tile, from).add(bias);
        FloatVector r1 = FloatVector.fromArray(SPECIES, tile, from + tileStride).add(bias);
        FloatVector r2 = FloatVector.fromArray(SPECIES, tile, from + 2 * tileStride).add(bias);
        FloatVector r3 = FloatVector.fromArray(SPECIES, tile, from + 3 * tileStride).add(bias);
        FloatVector r4 = FloatVector.fromArray(SPECIES, tile, from + 4 * tileStride).add(bias);
        FloatVector r5 = FloatVector.fromArray(SPECIES, tile, from + 5 * tileStride).add(bias);
        FloatVector r6 = FloatVector.fromArray(SPECIES, tile, from + 6 * tileStride).add(bias);
        FloatVector r7 = FloatVector.fromArray(SPECIES, tile, from + 7 * tileStride).add(bias);
        FloatVector s4_0 = r0.blend(r4.rearrange(SWAP4), UPPER4);
        r4 = r0.rearrange(SWAP4).blend(r4, UPPER4);
        r0 = s4_0;
        FloatVector s4_1 = r1.blend(r5.rearrange(SWAP4), UPPER4);
        r5 = r1.rearrange(SWAP4).blend(r5, UPPER4);
        r1 = s4_1;
        FloatVector s4_2 = r2.blend(r6.rearrange(SWAP4), UPPER4);
        r6 = r2.rearrange(SWAP4).blend(r6, UPPER4);
        r2 = s4_2;
        FloatVector s4_3 = r3.blend(r7.rearrange(SWAP4), UPPER4);
        r7 = r3.rearrange(SWAP4).blend(r7, UPPER4);
        r3 = s4_3;
        FloatVector s2_0 = r0.blend(r2.rearrange(SWAP2), UPPER2);
        r2 = r0.rearrange(SWAP2).blend(r2, UPPER2);
        r0 = s2_0;
        FloatVector s2_1 = r1.blend(r3.rearrange(SWAP2), UPPER2);
        r3 = r1.rearrange(SWAP2).blend(r3, UPPER2);
        r1 = s2_1;
        FloatVector s2_4 = r4.blend(r6.rearrange(SWAP2), UPPER2);
        r6 = r4.rearrange(SWAP2).blend(r6, UPPER2);
        r4 = s2_4;
        FloatVector s2_5 = r5.blend(r7.rearrange(SWAP2), UPPER2);
        r7 = r5.rearrange(SWAP2).blend(r7, UPPER2);
        r5 = s2_5;
        FloatVector s1_0 = r0.blend(r1.rearrange(SWAP1), UPPER1);
        r1 = r0.rearrange(SWAP1).blend(r1, UPPER1);
        r0 = s1_0;
        FloatVector s1_2 = r2.blend(r3.rearrange(SWAP1), UPPER1);
        r3 = r2.rearrange(SWAP1).blend(r3, UPPER1);
        r2 = s1_2;
        FloatVector s1_4 = r4.blend(r5.rearrange(SWAP1), UPPER1);
        r5 = r4.rearrange(SWAP1).blend(r5, UPPER1);
        r4 = s1_4;
        FloatVector s1_6 = r6.blend(r7.rearrange(SWAP1), UPPER1);
        r7 = r6.rearrange(SWAP1).blend(r7, UPPER1);
        r6 = s1_6;
        r0.intoArray(y, to);
        r1.intoArray(y, to + yStride);
        r2.intoArray(y, to + 2 * yStride);
        r3.intoArray(y, to + 3 * yStride);
        r4.intoArray(y, to + 4 * yStride);
        r5.intoArray(y, to + 5 * yStride);
        r6.intoArray(y, to + 6 * yStride);
        r7.intoArray(y, to + 7 * yStride);
    }

    /**
     * y[to + l·yStride + r] = tile[from + r·tileStride + l] + bias[l] for r, l &lt; 16: a 16 × 16 block of
     * the tile transposed in registers (16 loads, 4 stages of 16 rearranges and 16 blends, 16 stores).
     * Only for LANES = 16.
     */
    static void transpose16(float[] tile, int from, int tileStride, FloatVector bias, float[] y, int to, int yStride) {
        FloatVector r0 = FloatVector.fromArray(SPECIES, tile, from).add(bias);
        FloatVector r1 = FloatVector.fromArray(SPECIES, tile, from + tileStride).add(bias);
        FloatVector r2 = FloatVector.fromArray(SPECIES, tile, from + 2 * tileStride).add(bias);
        FloatVector r3 = FloatVector.fromArray(SPECIES, tile, from + 3 * tileStride).add(bias);
        FloatVector r4 = FloatVector.fromArray(SPECIES, tile, from + 4 * tileStride).add(bias);
        FloatVector r5 = FloatVector.fromArray(SPECIES, tile, from + 5 * tileStride).add(bias);
        FloatVector r6 = FloatVector.fromArray(SPECIES, tile, from + 6 * tileStride).add(bias);
        FloatVector r7 = FloatVector.fromArray(SPECIES, tile, from + 7 * tileStride).add(bias);
        FloatVector r8 = FloatVector.fromArray(SPECIES, tile, from + 8 * tileStride).add(bias);
        FloatVector r9 = FloatVector.fromArray(SPECIES, tile, from + 9 * tileStride).add(bias);
        FloatVector r10 = FloatVector.fromArray(SPECIES, tile, from + 10 * tileStride).add(bias);
        FloatVector r11 = FloatVector.fromArray(SPECIES, tile, from + 11 * tileStride).add(bias);
        FloatVector r12 = FloatVector.fromArray(SPECIES, tile, from + 12 * tileStride).add(bias);
        FloatVector r13 = FloatVector.fromArray(SPECIES, tile, from + 13 * tileStride).add(bias);
        FloatVector r14 = FloatVector.fromArray(SPECIES, tile, from + 14 * tileStride).add(bias);
        FloatVector r15 = FloatVector.fromArray(SPECIES, tile, from + 15 * tileStride).add(bias);
        FloatVector s8_0 = r0.blend(r8.rearrange(SWAP8), UPPER8);
        r8 = r0.rearrange(SWAP8).blend(r8, UPPER8);
        r0 = s8_0;
        FloatVector s8_1 = r1.blend(r9.rearrange(SWAP8), UPPER8);
        r9 = r1.rearrange(SWAP8).blend(r9, UPPER8);
        r1 = s8_1;
        FloatVector s8_2 = r2.blend(r10.rearrange(SWAP8), UPPER8);
        r10 = r2.rearrange(SWAP8).blend(r10, UPPER8);
        r2 = s8_2;
        FloatVector s8_3 = r3.blend(r11.rearrange(SWAP8), UPPER8);
        r11 = r3.rearrange(SWAP8).blend(r11, UPPER8);
        r3 = s8_3;
        FloatVector s8_4 = r4.blend(r12.rearrange(SWAP8), UPPER8);
        r12 = r4.rearrange(SWAP8).blend(r12, UPPER8);
        r4 = s8_4;
        FloatVector s8_5 = r5.blend(r13.rearrange(SWAP8), UPPER8);
        r13 = r5.rearrange(SWAP8).blend(r13, UPPER8);
        r5 = s8_5;
        FloatVector s8_6 = r6.blend(r14.rearrange(SWAP8), UPPER8);
        r14 = r6.rearrange(SWAP8).blend(r14, UPPER8);
        r6 = s8_6;
        FloatVector s8_7 = r7.blend(r15.rearrange(SWAP8), UPPER8);
        r15 = r7.rearrange(SWAP8).blend(r15, UPPER8);
        r7 = s8_7;
        FloatVector s4_0 = r0.blend(r4.rearrange(SWAP4), UPPER4);
        r4 = r0.rearrange(SWAP4).blend(r4, UPPER4);
        r0 = s4_0;
        FloatVector s4_1 = r1.blend(r5.rearrange(SWAP4), UPPER4);
        r5 = r1.rearrange(SWAP4).blend(r5, UPPER4);
        r1 = s4_1;
        FloatVector s4_2 = r2.blend(r6.rearrange(SWAP4), UPPER4);
        r6 = r2.rearrange(SWAP4).blend(r6, UPPER4);
        r2 = s4_2;
        FloatVector s4_3 = r3.blend(r7.rearrange(SWAP4), UPPER4);
        r7 = r3.rearrange(SWAP4).blend(r7, UPPER4);
        r3 = s4_3;
        FloatVector s4_8 = r8.blend(r12.rearrange(SWAP4), UPPER4);
        r12 = r8.rearrange(SWAP4).blend(r12, UPPER4);
        r8 = s4_8;
        FloatVector s4_9 = r9.blend(r13.rearrange(SWAP4), UPPER4);
        r13 = r9.rearrange(SWAP4).blend(r13, UPPER4);
        r9 = s4_9;
        FloatVector s4_10 = r10.blend(r14.rearrange(SWAP4), UPPER4);
        r14 = r10.rearrange(SWAP4).blend(r14, UPPER4);
        r10 = s4_10;
        FloatVector s4_11 = r11.blend(r15.rearrange(SWAP4), UPPER4);
        r15 = r11.rearrange(SWAP4).blend(r15, UPPER4);
        r11 = s4_11;
        FloatVector s2_0 = r0.blend(r2.rearrange(SWAP2), UPPER2);
        r2 = r0.rearrange(SWAP2).blend(r2, UPPER2);
        r0 = s2_0;
        FloatVector s2_1 = r1.blend(r3.rearrange(SWAP2), UPPER2);
        r3 = r1.rearrange(SWAP2).blend(r3, UPPER2);
        r1 = s2_1;
        FloatVector s2_4 = r4.blend(r6.rearrange(SWAP2), UPPER2);
        r6 = r4.rearrange(SWAP2).blend(r6, UPPER2);
        r4 = s2_4;
        FloatVector s2_5 = r5.blend(r7.rearrange(SWAP2), UPPER2);
        r7 = r5.rearrange(SWAP2).blend(r7, UPPER2);
        r5 = s2_5;
        FloatVector s2_8 = r8.blend(r10.rearrange(SWAP2), UPPER2);
        r10 = r8.rearrange(SWAP2).blend(r10, UPPER2);
        r8 = s2_8;
        FloatVector s2_9 = r9.blend(r11.rearrange(SWAP2), UPPER2);
        r11 = r9.rearrange(SWAP2).blend(r11, UPPER2);
        r9 = s2_9;
        FloatVector s2_12 = r12.blend(r14.rearrange(SWAP2), UPPER2);
        r14 = r12.rearrange(SWAP2).blend(r14, UPPER2);
        r12 = s2_12;
        FloatVector s2_13 = r13.blend(r15.rearrange(SWAP2), UPPER2);
        r15 = r13.rearrange(SWAP2).blend(r15, UPPER2);
        r13 = s2_13;
        FloatVector s1_0 = r0.blend(r1.rearrange(SWAP1), UPPER1);
        r1 = r0.rearrange(SWAP1).blend(r1, UPPER1);
        r0 = s1_0;
        FloatVector s1_2 = r2.blend(r3.rearrange(SWAP1), UPPER1);
        r3 = r2.rearrange(SWAP1).blend(r3, UPPER1);
        r2 = s1_2;
        FloatVector s1_4 = r4.blend(r5.rearrange(SWAP1), UPPER1);
        r5 = r4.rearrange(SWAP1).blend(r5, UPPER1);
        r4 = s1_4;
        FloatVector s1_6 = r6.blend(r7.rearrange(SWAP1), UPPER1);
        r7 = r6.rearrange(SWAP1).blend(r7, UPPER1);
        r6 = s1_6;
        FloatVector s1_8 = r8.blend(r9.rearrange(SWAP1), UPPER1);
        r9 = r8.rearrange(SWAP1).blend(r9, UPPER1);
        r8 = s1_8;
        FloatVector s1_10 = r10.blend(r11.rearrange(SWAP1), UPPER1);
        r11 = r10.rearrange(SWAP1).blend(r11, UPPER1);
        r10 = s1_10;
        FloatVector s1_12 = r12.blend(r13.rearrange(SWAP1), UPPER1);
        r13 = r12.rearrange(SWAP1).blend(r13, UPPER1);
        r12 = s1_12;
        FloatVector s1_14 = r14.blend(r15.rearrange(SWAP1), UPPER1);
        r15 = r14.rearrange(SWAP1).blend(r15, UPPER1);
        r14 = s1_14;
        r0.intoArray(y, to);
        r1.intoArray(y, to + yStride);
        r2.intoArray(y, to + 2 * yStride);
        r3.intoArray(y, to + 3 * yStride);
        r4.intoArray(y, to + 4 * yStride);
        r5.intoArray(y, to + 5 * yStride);
        r6.intoArray(y, to + 6 * yStride);
        r7.intoArray(y, to + 7 * yStride);
        r8.intoArray(y, to + 8 * yStride);
        r9.intoArray(y, to + 9 * yStride);
        r10.intoArray(y, to + 10 * yStride);
        r11.intoArray(y, to + 11 * yStride);
        r12.intoArray(y, to + 12 * yStride);
        r13.intoArray(y, to + 13 * yStride);
        r14.intoArray(y, to + 14 * yStride);
        r15.intoArray(y, to + 15 * yStride);
    }
}
