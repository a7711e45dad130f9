package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels of {@link ConvSimd}, the loops where its multiply-adds happen.
 * Each keeps a block of sums in vector registers for a whole loop and stores them once at the end;
 * a block is as large as the registers allow, 12 sums for 16 vector registers (AVX2), 24 for 32
 * (AVX-512), see {@link ConvSimd#REGISTERS}. The sizes are spelt out, one variable per register,
 * because the JIT keeps a {@code FloatVector} in a register only when it is a local variable.
 * <ul>
 *   <li>forward (and ∂L/∂x of a stride-1 layer): out[r][p] = Σ_k W[r][k] · xq[p + tap[k]],
 *       filters × vectors of positions: {@link #microKernel} (4 × 3), {@link #narrowMicroKernel}
 *       (3 × 4), {@link #microKernel8x3}, {@link #microKernel6x4};</li>
 *   <li>∂L/∂W: block[r][o] = Σ_p xq[positions[p] + taps[k0 + r]] · ∂L/∂y[p][o], taps × vectors of
 *       filters: {@link #weightKernel} (8 × 1), {@link #wideWeightKernel} (6 × 2),
 *       {@link #weightKernel24x1}, {@link #weightKernel12x2}, {@link #weightKernel8x3},
 *       {@link #weightKernel6x4}.</li>
 * </ul>
 */
final class ConvSimdKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private ConvSimdKernels() {
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·MR + r] · xq[xIndex + tap[k] + p] for r &lt; MR, p &lt; NR:
     * MR filters at NR consecutive positions, all 12 sums in registers for the whole k loop.
     */
    static void microKernel(float[] xq, int xIndex, int[] tap, int from, int to,
                                    float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            int wk = wIndex + k * ConvSimd.MR;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·3 + r] · xq[xIndex + tap[k] + p] for r &lt; 3, p &lt; NARROW_NR:
     * the same as {@link #microKernel} for 3 filters at 4 vectors of positions.
     */
    static void narrowMicroKernel(float[] xq, int xIndex, int[] tap, int from, int to,
                                          float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, at + 3 * LANES);
            int wk = wIndex + k * ConvSimd.NARROW_MR;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            c13 = x3.fma(w1, c13);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            c23 = x3.fma(w2, c23);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c03.intoArray(out, outIndex + 3 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c13.intoArray(out, outIndex + ldo + 3 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c23.intoArray(out, outIndex + 2 * ldo + 3 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·8 + r] · xq[xIndex + tap[k] + p] for r &lt; 8, p &lt; 3·LANES:
     * {@link #microKernel} for 8 filters, for 32 vector registers (AVX-512): 24 accumulators, 3 loaded
     * vectors and a broadcast. Per tap the loop's own work (the tap's offset, the loads' bounds checks,
     * the counter) is shared by 24 multiply-adds instead of 12, and 11 loads feed 24 FMAs instead of 7
     * feeding 12. With 16 registers the JIT would spill accumulators to memory.
     */
    static void microKernel8x3(float[] xq, int xIndex, int[] tap, int from, int to,
            float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES);
        FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES);
        FloatVector c71 = FloatVector.zero(SPECIES);
        FloatVector c72 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            int wk = wIndex + k * 8;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
            FloatVector w4 = FloatVector.broadcast(SPECIES, packed[wk + 4]);
            c40 = x0.fma(w4, c40);
            c41 = x1.fma(w4, c41);
            c42 = x2.fma(w4, c42);
            FloatVector w5 = FloatVector.broadcast(SPECIES, packed[wk + 5]);
            c50 = x0.fma(w5, c50);
            c51 = x1.fma(w5, c51);
            c52 = x2.fma(w5, c52);
            FloatVector w6 = FloatVector.broadcast(SPECIES, packed[wk + 6]);
            c60 = x0.fma(w6, c60);
            c61 = x1.fma(w6, c61);
            c62 = x2.fma(w6, c62);
            FloatVector w7 = FloatVector.broadcast(SPECIES, packed[wk + 7]);
            c70 = x0.fma(w7, c70);
            c71 = x1.fma(w7, c71);
            c72 = x2.fma(w7, c72);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
        c40.intoArray(out, outIndex + 4 * ldo);
        c41.intoArray(out, outIndex + 4 * ldo + LANES);
        c42.intoArray(out, outIndex + 4 * ldo + 2 * LANES);
        c50.intoArray(out, outIndex + 5 * ldo);
        c51.intoArray(out, outIndex + 5 * ldo + LANES);
        c52.intoArray(out, outIndex + 5 * ldo + 2 * LANES);
        c60.intoArray(out, outIndex + 6 * ldo);
        c61.intoArray(out, outIndex + 6 * ldo + LANES);
        c62.intoArray(out, outIndex + 6 * ldo + 2 * LANES);
        c70.intoArray(out, outIndex + 7 * ldo);
        c71.intoArray(out, outIndex + 7 * ldo + LANES);
        c72.intoArray(out, outIndex + 7 * ldo + 2 * LANES);
    }

    /**
     * out[r·ldo + p] = Σ_(from ≤ k &lt; to) packed[wIndex + k·6 + r] · xq[xIndex + tap[k] + p] for r &lt; 6, p &lt; 4·LANES:
     * {@link #narrowMicroKernel} for 6 filters (LeNet's ∂L/∂x in one block), for 32 vector registers:
     * 24 accumulators, 4 loaded vectors and a broadcast.
     */
    static void microKernel6x4(float[] xq, int xIndex, int[] tap, int from, int to,
            float[] packed, int wIndex, float[] out, int outIndex, int ldo) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c33 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES);
        FloatVector c43 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c52 = FloatVector.zero(SPECIES);
        FloatVector c53 = FloatVector.zero(SPECIES);
        for (int k = from; k < to; k++) {
            int at = xIndex + tap[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, at + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, at + 3 * LANES);
            int wk = wIndex + k * 6;
            FloatVector w0 = FloatVector.broadcast(SPECIES, packed[wk]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            FloatVector w1 = FloatVector.broadcast(SPECIES, packed[wk + 1]);
            c10 = x0.fma(w1, c10);
            c11 = x1.fma(w1, c11);
            c12 = x2.fma(w1, c12);
            c13 = x3.fma(w1, c13);
            FloatVector w2 = FloatVector.broadcast(SPECIES, packed[wk + 2]);
            c20 = x0.fma(w2, c20);
            c21 = x1.fma(w2, c21);
            c22 = x2.fma(w2, c22);
            c23 = x3.fma(w2, c23);
            FloatVector w3 = FloatVector.broadcast(SPECIES, packed[wk + 3]);
            c30 = x0.fma(w3, c30);
            c31 = x1.fma(w3, c31);
            c32 = x2.fma(w3, c32);
            c33 = x3.fma(w3, c33);
            FloatVector w4 = FloatVector.broadcast(SPECIES, packed[wk + 4]);
            c40 = x0.fma(w4, c40);
            c41 = x1.fma(w4, c41);
            c42 = x2.fma(w4, c42);
            c43 = x3.fma(w4, c43);
            FloatVector w5 = FloatVector.broadcast(SPECIES, packed[wk + 5]);
            c50 = x0.fma(w5, c50);
            c51 = x1.fma(w5, c51);
            c52 = x2.fma(w5, c52);
            c53 = x3.fma(w5, c53);
        }
        c00.intoArray(out, outIndex);
        c01.intoArray(out, outIndex + LANES);
        c02.intoArray(out, outIndex + 2 * LANES);
        c03.intoArray(out, outIndex + 3 * LANES);
        c10.intoArray(out, outIndex + ldo);
        c11.intoArray(out, outIndex + ldo + LANES);
        c12.intoArray(out, outIndex + ldo + 2 * LANES);
        c13.intoArray(out, outIndex + ldo + 3 * LANES);
        c20.intoArray(out, outIndex + 2 * ldo);
        c21.intoArray(out, outIndex + 2 * ldo + LANES);
        c22.intoArray(out, outIndex + 2 * ldo + 2 * LANES);
        c23.intoArray(out, outIndex + 2 * ldo + 3 * LANES);
        c30.intoArray(out, outIndex + 3 * ldo);
        c31.intoArray(out, outIndex + 3 * ldo + LANES);
        c32.intoArray(out, outIndex + 3 * ldo + 2 * LANES);
        c33.intoArray(out, outIndex + 3 * ldo + 3 * LANES);
        c40.intoArray(out, outIndex + 4 * ldo);
        c41.intoArray(out, outIndex + 4 * ldo + LANES);
        c42.intoArray(out, outIndex + 4 * ldo + 2 * LANES);
        c43.intoArray(out, outIndex + 4 * ldo + 3 * LANES);
        c50.intoArray(out, outIndex + 5 * ldo);
        c51.intoArray(out, outIndex + 5 * ldo + LANES);
        c52.intoArray(out, outIndex + 5 * ldo + 2 * LANES);
        c53.intoArray(out, outIndex + 5 * ldo + 3 * LANES);
    }

    /**
     * block[r][0..LANES) = Σ_p xq[xBase + pos(p) + taps[k0 + r]] · gradT[gradIndex + p·filters ..]
     * over the positions p &lt; count, for the 8 taps k0..k0+7: 8 vector sums in registers. The
     * position pos(p) is p itself when {@code positions} is null (every flat position, the JIT then
     * hoists the bounds checks of the loads out of the loop; the null test is the same for the whole
     * loop, which the JIT compiles once for each answer), else the table's entry {@code positions[p]}.
     * (One flat loop: with a loop over rows around a loop over columns, C2 kept the eight sums as
     * objects on the heap, twenty times slower.) The other weight kernels walk the positions alike.
     */
    static void weightKernel(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
                                     float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        FloatVector s4 = FloatVector.zero(SPECIES);
        FloatVector s5 = FloatVector.zero(SPECIES);
        FloatVector s6 = FloatVector.zero(SPECIES);
        FloatVector s7 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            FloatVector d = FloatVector.fromArray(SPECIES, gradT, gradIndex + p * filters);
            s0 = d.fma(FloatVector.broadcast(SPECIES, xq[t0 + pos]), s0);
            s1 = d.fma(FloatVector.broadcast(SPECIES, xq[t1 + pos]), s1);
            s2 = d.fma(FloatVector.broadcast(SPECIES, xq[t2 + pos]), s2);
            s3 = d.fma(FloatVector.broadcast(SPECIES, xq[t3 + pos]), s3);
            s4 = d.fma(FloatVector.broadcast(SPECIES, xq[t4 + pos]), s4);
            s5 = d.fma(FloatVector.broadcast(SPECIES, xq[t5 + pos]), s5);
            s6 = d.fma(FloatVector.broadcast(SPECIES, xq[t6 + pos]), s6);
            s7 = d.fma(FloatVector.broadcast(SPECIES, xq[t7 + pos]), s7);
        }
        s0.intoArray(block, 0);
        s1.intoArray(block, LANES);
        s2.intoArray(block, 2 * LANES);
        s3.intoArray(block, 3 * LANES);
        s4.intoArray(block, 4 * LANES);
        s5.intoArray(block, 5 * LANES);
        s6.intoArray(block, 6 * LANES);
        s7.intoArray(block, 7 * LANES);
    }

    /**
     * block[r][0..2·LANES) = Σ_p xq[xBase + positions[p] + taps[k0 + r]] · gradT[gradIndex + p·filters ..]
     * for the 6 taps k0..k0+5 and two vectors of filters: 12 sums in registers, 12 FMAs per position
     * for 2 vector loads and 6 broadcasts (the 8 × 1 kernel needs a load per FMA and stalls on loads
     * when there are enough filters for this one).
     */
    static void wideWeightKernel(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
                                         float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES);
        FloatVector s31 = FloatVector.zero(SPECIES);
        FloatVector s40 = FloatVector.zero(SPECIES);
        FloatVector s41 = FloatVector.zero(SPECIES);
        FloatVector s50 = FloatVector.zero(SPECIES);
        FloatVector s51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s00 = d0.fma(x0, s00);
            s01 = d1.fma(x0, s01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s10 = d0.fma(x1, s10);
            s11 = d1.fma(x1, s11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s20 = d0.fma(x2, s20);
            s21 = d1.fma(x2, s21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s30 = d0.fma(x3, s30);
            s31 = d1.fma(x3, s31);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s40 = d0.fma(x4, s40);
            s41 = d1.fma(x4, s41);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s50 = d0.fma(x5, s50);
            s51 = d1.fma(x5, s51);
        }
        int w = 2 * LANES;
        s00.intoArray(block, 0);
        s01.intoArray(block, LANES);
        s10.intoArray(block, w);
        s11.intoArray(block, w + LANES);
        s20.intoArray(block, 2 * w);
        s21.intoArray(block, 2 * w + LANES);
        s30.intoArray(block, 3 * w);
        s31.intoArray(block, 3 * w + LANES);
        s40.intoArray(block, 4 * w);
        s41.intoArray(block, 4 * w + LANES);
        s50.intoArray(block, 5 * w);
        s51.intoArray(block, 5 * w + LANES);
    }

    /**
     * {@link #weightKernel} for 24 taps, for 32 vector registers (AVX-512): 24 sums in registers, so
     * each position's own work (its offset, the load of ∂L/∂y's vector) is shared by 24 multiply-adds
     * instead of 8.
     */
    static void weightKernel24x1(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        int t8 = xBase + taps[k0 + 8];
        int t9 = xBase + taps[k0 + 9];
        int t10 = xBase + taps[k0 + 10];
        int t11 = xBase + taps[k0 + 11];
        int t12 = xBase + taps[k0 + 12];
        int t13 = xBase + taps[k0 + 13];
        int t14 = xBase + taps[k0 + 14];
        int t15 = xBase + taps[k0 + 15];
        int t16 = xBase + taps[k0 + 16];
        int t17 = xBase + taps[k0 + 17];
        int t18 = xBase + taps[k0 + 18];
        int t19 = xBase + taps[k0 + 19];
        int t20 = xBase + taps[k0 + 20];
        int t21 = xBase + taps[k0 + 21];
        int t22 = xBase + taps[k0 + 22];
        int t23 = xBase + taps[k0 + 23];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s8_0 = FloatVector.zero(SPECIES);
        FloatVector s9_0 = FloatVector.zero(SPECIES);
        FloatVector s10_0 = FloatVector.zero(SPECIES);
        FloatVector s11_0 = FloatVector.zero(SPECIES);
        FloatVector s12_0 = FloatVector.zero(SPECIES);
        FloatVector s13_0 = FloatVector.zero(SPECIES);
        FloatVector s14_0 = FloatVector.zero(SPECIES);
        FloatVector s15_0 = FloatVector.zero(SPECIES);
        FloatVector s16_0 = FloatVector.zero(SPECIES);
        FloatVector s17_0 = FloatVector.zero(SPECIES);
        FloatVector s18_0 = FloatVector.zero(SPECIES);
        FloatVector s19_0 = FloatVector.zero(SPECIES);
        FloatVector s20_0 = FloatVector.zero(SPECIES);
        FloatVector s21_0 = FloatVector.zero(SPECIES);
        FloatVector s22_0 = FloatVector.zero(SPECIES);
        FloatVector s23_0 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            FloatVector x8 = FloatVector.broadcast(SPECIES, xq[t8 + pos]);
            s8_0 = d0.fma(x8, s8_0);
            FloatVector x9 = FloatVector.broadcast(SPECIES, xq[t9 + pos]);
            s9_0 = d0.fma(x9, s9_0);
            FloatVector x10 = FloatVector.broadcast(SPECIES, xq[t10 + pos]);
            s10_0 = d0.fma(x10, s10_0);
            FloatVector x11 = FloatVector.broadcast(SPECIES, xq[t11 + pos]);
            s11_0 = d0.fma(x11, s11_0);
            FloatVector x12 = FloatVector.broadcast(SPECIES, xq[t12 + pos]);
            s12_0 = d0.fma(x12, s12_0);
            FloatVector x13 = FloatVector.broadcast(SPECIES, xq[t13 + pos]);
            s13_0 = d0.fma(x13, s13_0);
            FloatVector x14 = FloatVector.broadcast(SPECIES, xq[t14 + pos]);
            s14_0 = d0.fma(x14, s14_0);
            FloatVector x15 = FloatVector.broadcast(SPECIES, xq[t15 + pos]);
            s15_0 = d0.fma(x15, s15_0);
            FloatVector x16 = FloatVector.broadcast(SPECIES, xq[t16 + pos]);
            s16_0 = d0.fma(x16, s16_0);
            FloatVector x17 = FloatVector.broadcast(SPECIES, xq[t17 + pos]);
            s17_0 = d0.fma(x17, s17_0);
            FloatVector x18 = FloatVector.broadcast(SPECIES, xq[t18 + pos]);
            s18_0 = d0.fma(x18, s18_0);
            FloatVector x19 = FloatVector.broadcast(SPECIES, xq[t19 + pos]);
            s19_0 = d0.fma(x19, s19_0);
            FloatVector x20 = FloatVector.broadcast(SPECIES, xq[t20 + pos]);
            s20_0 = d0.fma(x20, s20_0);
            FloatVector x21 = FloatVector.broadcast(SPECIES, xq[t21 + pos]);
            s21_0 = d0.fma(x21, s21_0);
            FloatVector x22 = FloatVector.broadcast(SPECIES, xq[t22 + pos]);
            s22_0 = d0.fma(x22, s22_0);
            FloatVector x23 = FloatVector.broadcast(SPECIES, xq[t23 + pos]);
            s23_0 = d0.fma(x23, s23_0);
        }
        s0_0.intoArray(block, 0 * LANES);
        s1_0.intoArray(block, 1 * LANES);
        s2_0.intoArray(block, 2 * LANES);
        s3_0.intoArray(block, 3 * LANES);
        s4_0.intoArray(block, 4 * LANES);
        s5_0.intoArray(block, 5 * LANES);
        s6_0.intoArray(block, 6 * LANES);
        s7_0.intoArray(block, 7 * LANES);
        s8_0.intoArray(block, 8 * LANES);
        s9_0.intoArray(block, 9 * LANES);
        s10_0.intoArray(block, 10 * LANES);
        s11_0.intoArray(block, 11 * LANES);
        s12_0.intoArray(block, 12 * LANES);
        s13_0.intoArray(block, 13 * LANES);
        s14_0.intoArray(block, 14 * LANES);
        s15_0.intoArray(block, 15 * LANES);
        s16_0.intoArray(block, 16 * LANES);
        s17_0.intoArray(block, 17 * LANES);
        s18_0.intoArray(block, 18 * LANES);
        s19_0.intoArray(block, 19 * LANES);
        s20_0.intoArray(block, 20 * LANES);
        s21_0.intoArray(block, 21 * LANES);
        s22_0.intoArray(block, 22 * LANES);
        s23_0.intoArray(block, 23 * LANES);
    }

    /**
     * {@link #wideWeightKernel} for 12 taps × 2 vectors of filters, for 32 vector registers: 24 sums in
     * registers, 24 FMAs per position for 2 vector loads and 12 broadcasts.
     */
    static void weightKernel12x2(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        int t8 = xBase + taps[k0 + 8];
        int t9 = xBase + taps[k0 + 9];
        int t10 = xBase + taps[k0 + 10];
        int t11 = xBase + taps[k0 + 11];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s0_1 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s1_1 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s2_1 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s3_1 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s4_1 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s5_1 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s6_1 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s7_1 = FloatVector.zero(SPECIES);
        FloatVector s8_0 = FloatVector.zero(SPECIES);
        FloatVector s8_1 = FloatVector.zero(SPECIES);
        FloatVector s9_0 = FloatVector.zero(SPECIES);
        FloatVector s9_1 = FloatVector.zero(SPECIES);
        FloatVector s10_0 = FloatVector.zero(SPECIES);
        FloatVector s10_1 = FloatVector.zero(SPECIES);
        FloatVector s11_0 = FloatVector.zero(SPECIES);
        FloatVector s11_1 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            s0_1 = d1.fma(x0, s0_1);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            s1_1 = d1.fma(x1, s1_1);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            s2_1 = d1.fma(x2, s2_1);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            s3_1 = d1.fma(x3, s3_1);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            s4_1 = d1.fma(x4, s4_1);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            s5_1 = d1.fma(x5, s5_1);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            s6_1 = d1.fma(x6, s6_1);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            s7_1 = d1.fma(x7, s7_1);
            FloatVector x8 = FloatVector.broadcast(SPECIES, xq[t8 + pos]);
            s8_0 = d0.fma(x8, s8_0);
            s8_1 = d1.fma(x8, s8_1);
            FloatVector x9 = FloatVector.broadcast(SPECIES, xq[t9 + pos]);
            s9_0 = d0.fma(x9, s9_0);
            s9_1 = d1.fma(x9, s9_1);
            FloatVector x10 = FloatVector.broadcast(SPECIES, xq[t10 + pos]);
            s10_0 = d0.fma(x10, s10_0);
            s10_1 = d1.fma(x10, s10_1);
            FloatVector x11 = FloatVector.broadcast(SPECIES, xq[t11 + pos]);
            s11_0 = d0.fma(x11, s11_0);
            s11_1 = d1.fma(x11, s11_1);
        }
        s0_0.intoArray(block, 0 * LANES);
        s0_1.intoArray(block, 1 * LANES);
        s1_0.intoArray(block, 2 * LANES);
        s1_1.intoArray(block, 3 * LANES);
        s2_0.intoArray(block, 4 * LANES);
        s2_1.intoArray(block, 5 * LANES);
        s3_0.intoArray(block, 6 * LANES);
        s3_1.intoArray(block, 7 * LANES);
        s4_0.intoArray(block, 8 * LANES);
        s4_1.intoArray(block, 9 * LANES);
        s5_0.intoArray(block, 10 * LANES);
        s5_1.intoArray(block, 11 * LANES);
        s6_0.intoArray(block, 12 * LANES);
        s6_1.intoArray(block, 13 * LANES);
        s7_0.intoArray(block, 14 * LANES);
        s7_1.intoArray(block, 15 * LANES);
        s8_0.intoArray(block, 16 * LANES);
        s8_1.intoArray(block, 17 * LANES);
        s9_0.intoArray(block, 18 * LANES);
        s9_1.intoArray(block, 19 * LANES);
        s10_0.intoArray(block, 20 * LANES);
        s10_1.intoArray(block, 21 * LANES);
        s11_0.intoArray(block, 22 * LANES);
        s11_1.intoArray(block, 23 * LANES);
    }

    /**
     * The weight-gradient micro-kernel for 6 taps × 4 vectors of filters, for 32 vector registers:
     * 24 sums, 24 FMAs per position for 4 vector loads and 6 broadcasts (ResNet's 64 to 512 filters
     * are whole blocks of 4 vectors of 16). Of the shapes with 24 sums it has the fewest taps, so the
     * fewest tap offsets to keep in integer registers and add to each position.
     */
    static void weightKernel6x4(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s0_1 = FloatVector.zero(SPECIES);
        FloatVector s0_2 = FloatVector.zero(SPECIES);
        FloatVector s0_3 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s1_1 = FloatVector.zero(SPECIES);
        FloatVector s1_2 = FloatVector.zero(SPECIES);
        FloatVector s1_3 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s2_1 = FloatVector.zero(SPECIES);
        FloatVector s2_2 = FloatVector.zero(SPECIES);
        FloatVector s2_3 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s3_1 = FloatVector.zero(SPECIES);
        FloatVector s3_2 = FloatVector.zero(SPECIES);
        FloatVector s3_3 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s4_1 = FloatVector.zero(SPECIES);
        FloatVector s4_2 = FloatVector.zero(SPECIES);
        FloatVector s4_3 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s5_1 = FloatVector.zero(SPECIES);
        FloatVector s5_2 = FloatVector.zero(SPECIES);
        FloatVector s5_3 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, gradT, at + 2 * LANES);
            FloatVector d3 = FloatVector.fromArray(SPECIES, gradT, at + 3 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            s0_1 = d1.fma(x0, s0_1);
            s0_2 = d2.fma(x0, s0_2);
            s0_3 = d3.fma(x0, s0_3);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            s1_1 = d1.fma(x1, s1_1);
            s1_2 = d2.fma(x1, s1_2);
            s1_3 = d3.fma(x1, s1_3);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            s2_1 = d1.fma(x2, s2_1);
            s2_2 = d2.fma(x2, s2_2);
            s2_3 = d3.fma(x2, s2_3);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            s3_1 = d1.fma(x3, s3_1);
            s3_2 = d2.fma(x3, s3_2);
            s3_3 = d3.fma(x3, s3_3);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            s4_1 = d1.fma(x4, s4_1);
            s4_2 = d2.fma(x4, s4_2);
            s4_3 = d3.fma(x4, s4_3);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            s5_1 = d1.fma(x5, s5_1);
            s5_2 = d2.fma(x5, s5_2);
            s5_3 = d3.fma(x5, s5_3);
        }
        s0_0.intoArray(block, 0 * LANES);
        s0_1.intoArray(block, 1 * LANES);
        s0_2.intoArray(block, 2 * LANES);
        s0_3.intoArray(block, 3 * LANES);
        s1_0.intoArray(block, 4 * LANES);
        s1_1.intoArray(block, 5 * LANES);
        s1_2.intoArray(block, 6 * LANES);
        s1_3.intoArray(block, 7 * LANES);
        s2_0.intoArray(block, 8 * LANES);
        s2_1.intoArray(block, 9 * LANES);
        s2_2.intoArray(block, 10 * LANES);
        s2_3.intoArray(block, 11 * LANES);
        s3_0.intoArray(block, 12 * LANES);
        s3_1.intoArray(block, 13 * LANES);
        s3_2.intoArray(block, 14 * LANES);
        s3_3.intoArray(block, 15 * LANES);
        s4_0.intoArray(block, 16 * LANES);
        s4_1.intoArray(block, 17 * LANES);
        s4_2.intoArray(block, 18 * LANES);
        s4_3.intoArray(block, 19 * LANES);
        s5_0.intoArray(block, 20 * LANES);
        s5_1.intoArray(block, 21 * LANES);
        s5_2.intoArray(block, 22 * LANES);
        s5_3.intoArray(block, 23 * LANES);
    }

    /**
     * The weight-gradient micro-kernel for 8 taps × 3 vectors of filters, for 32 vector registers:
     * 24 sums, 24 FMAs per position for 3 vector loads and 8 broadcasts (AlexNet's 96 filters are
     * two blocks of 3 vectors of 16).
     */
    static void weightKernel8x3(float[] xq, int xBase, int[] taps, int k0, int[] positions, int count,
            float[] gradT, int gradIndex, int filters, float[] block) {
        int t0 = xBase + taps[k0];
        int t1 = xBase + taps[k0 + 1];
        int t2 = xBase + taps[k0 + 2];
        int t3 = xBase + taps[k0 + 3];
        int t4 = xBase + taps[k0 + 4];
        int t5 = xBase + taps[k0 + 5];
        int t6 = xBase + taps[k0 + 6];
        int t7 = xBase + taps[k0 + 7];
        FloatVector s0_0 = FloatVector.zero(SPECIES);
        FloatVector s0_1 = FloatVector.zero(SPECIES);
        FloatVector s0_2 = FloatVector.zero(SPECIES);
        FloatVector s1_0 = FloatVector.zero(SPECIES);
        FloatVector s1_1 = FloatVector.zero(SPECIES);
        FloatVector s1_2 = FloatVector.zero(SPECIES);
        FloatVector s2_0 = FloatVector.zero(SPECIES);
        FloatVector s2_1 = FloatVector.zero(SPECIES);
        FloatVector s2_2 = FloatVector.zero(SPECIES);
        FloatVector s3_0 = FloatVector.zero(SPECIES);
        FloatVector s3_1 = FloatVector.zero(SPECIES);
        FloatVector s3_2 = FloatVector.zero(SPECIES);
        FloatVector s4_0 = FloatVector.zero(SPECIES);
        FloatVector s4_1 = FloatVector.zero(SPECIES);
        FloatVector s4_2 = FloatVector.zero(SPECIES);
        FloatVector s5_0 = FloatVector.zero(SPECIES);
        FloatVector s5_1 = FloatVector.zero(SPECIES);
        FloatVector s5_2 = FloatVector.zero(SPECIES);
        FloatVector s6_0 = FloatVector.zero(SPECIES);
        FloatVector s6_1 = FloatVector.zero(SPECIES);
        FloatVector s6_2 = FloatVector.zero(SPECIES);
        FloatVector s7_0 = FloatVector.zero(SPECIES);
        FloatVector s7_1 = FloatVector.zero(SPECIES);
        FloatVector s7_2 = FloatVector.zero(SPECIES);
        for (int p = 0; p < count; p++) {
            int pos = positions == null ? p : positions[p];
            int at = gradIndex + p * filters;
            FloatVector d0 = FloatVector.fromArray(SPECIES, gradT, at);
            FloatVector d1 = FloatVector.fromArray(SPECIES, gradT, at + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, gradT, at + 2 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xq[t0 + pos]);
            s0_0 = d0.fma(x0, s0_0);
            s0_1 = d1.fma(x0, s0_1);
            s0_2 = d2.fma(x0, s0_2);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xq[t1 + pos]);
            s1_0 = d0.fma(x1, s1_0);
            s1_1 = d1.fma(x1, s1_1);
            s1_2 = d2.fma(x1, s1_2);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xq[t2 + pos]);
            s2_0 = d0.fma(x2, s2_0);
            s2_1 = d1.fma(x2, s2_1);
            s2_2 = d2.fma(x2, s2_2);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xq[t3 + pos]);
            s3_0 = d0.fma(x3, s3_0);
            s3_1 = d1.fma(x3, s3_1);
            s3_2 = d2.fma(x3, s3_2);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xq[t4 + pos]);
            s4_0 = d0.fma(x4, s4_0);
            s4_1 = d1.fma(x4, s4_1);
            s4_2 = d2.fma(x4, s4_2);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xq[t5 + pos]);
            s5_0 = d0.fma(x5, s5_0);
            s5_1 = d1.fma(x5, s5_1);
            s5_2 = d2.fma(x5, s5_2);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xq[t6 + pos]);
            s6_0 = d0.fma(x6, s6_0);
            s6_1 = d1.fma(x6, s6_1);
            s6_2 = d2.fma(x6, s6_2);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xq[t7 + pos]);
            s7_0 = d0.fma(x7, s7_0);
            s7_1 = d1.fma(x7, s7_1);
            s7_2 = d2.fma(x7, s7_2);
        }
        s0_0.intoArray(block, 0 * LANES);
        s0_1.intoArray(block, 1 * LANES);
        s0_2.intoArray(block, 2 * LANES);
        s1_0.intoArray(block, 3 * LANES);
        s1_1.intoArray(block, 4 * LANES);
        s1_2.intoArray(block, 5 * LANES);
        s2_0.intoArray(block, 6 * LANES);
        s2_1.intoArray(block, 7 * LANES);
        s2_2.intoArray(block, 8 * LANES);
        s3_0.intoArray(block, 9 * LANES);
        s3_1.intoArray(block, 10 * LANES);
        s3_2.intoArray(block, 11 * LANES);
        s4_0.intoArray(block, 12 * LANES);
        s4_1.intoArray(block, 13 * LANES);
        s4_2.intoArray(block, 14 * LANES);
        s5_0.intoArray(block, 15 * LANES);
        s5_1.intoArray(block, 16 * LANES);
        s5_2.intoArray(block, 17 * LANES);
        s6_0.intoArray(block, 18 * LANES);
        s6_1.intoArray(block, 19 * LANES);
        s6_2.intoArray(block, 20 * LANES);
        s7_0.intoArray(block, 21 * LANES);
        s7_1.intoArray(block, 22 * LANES);
        s7_2.intoArray(block, 23 * LANES);
    }
}
