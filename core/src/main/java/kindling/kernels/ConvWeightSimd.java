package kindling.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient ∂L/∂W of a layer with FEW FILTERS (fewer than one vector's lanes: LeNet's
 * conv1, 6 filters against 16 lanes with AVX-512) or a SHORT PATCH (ResNet.small()'s stem: 9 taps),
 * vectorised over the output POSITIONS.
 * {@link ConvNaive#backwardWeight} is the same contract as the textbook sum, and the tests hold this
 * class to it. Only loaded in kernel mode simd (see {@link Conv2dKernels#backwardWeight}).
 *
 * <h2>Why not ConvSimd's weight gradient</h2>
 * {@code ConvSimd.backwardWeight} puts the filters in the lanes: with 6 filters, 10 of 16 lanes
 * multiply zeros, its ∂L/∂y must first be transposed to positions × filters one float at a time, and
 * its blocks of 24 taps cover a 5×5 filter of one channel (25 taps) in two blocks, 48 taps computed
 * for 25. Here each weight's sum over the positions is split across the lanes instead:
 * <pre>
 *   ∂L/∂W[o][k] = Σ_n Σ_q gq[n][o][q] · xq[n][q + tap[k]]
 *               = Σ_lanes ( Σ_n Σ_(q in steps of LANES) gq[n][o][q ..+ LANES] · xq[n][q + tap[k] ..+ LANES] )
 * </pre>
 * with ConvSimd's padded, phase-split image xq and its flat numbering of the positions, q = i·W_q + j
 * ({@code ConvSimd.Layout}: a tap is a fixed shift of the image), and gq = ∂L/∂y of the image copied
 * into the same flat rows, zero at the extra columns j ≥ W_out and past the last position. A block
 * of F filters × T taps keeps F·T vectors of sums in registers while it walks all the positions of an
 * image: per step, F loads of gq, T loads of xq, F·T FMAs, every lane useful except the extra
 * columns' (2 of 30 on LeNet's conv1). The F·T vectors of lane sums are added to the task's partial
 * sums after each image, and the lanes are added up once, at the end.
 *
 * <h2>The loops</h2>
 * <pre>
 *   for each run of images (a fixed number of runs, in parallel), into its own partial sums
 *     for each image: xq = padded image, gq = ∂L/∂y in flat rows           (per-thread buffers)
 *       for each block of F filters, for each block of T taps: micro-kernel over all q
 *   ∂L/∂W[o][k] = Σ_runs (in order) then Σ_lanes (in order) of the partial sums
 * </pre>
 * The runs depend only on the batch, and every sum is added in a fixed order on one thread, so
 * the result does not depend on the thread count. Blocks: 3 filters × 5 taps (15 sums) with 32 vector
 * registers ({@code ConvSimd.REGISTERS}), 2 × 5 (10) with 16; filter and tap counts that are not
 * multiples of the block are padded with zero filters (computed, never stored) and with copies of tap
 * 0's offset (results dropped). On the extra columns gq is an exact zero: 0 · x is 0 for a finite x, but NaN
 * for an Inf or NaN, so an x holding one can make ∂L/∂W NaN where the textbook loop stays finite (as
 * on ConvSimd's flat walk; the forward's y is then not finite anyway).
 */
final class ConvWeightSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per-thread buffers, kept from call to call: the padded image and ∂L/∂y in flat rows. */
    private static final class Workspace {
        private float[] image = new float[0];
        private float[] gradient = new float[0];

        /** The padded-image buffer, zero: {@code ConvSimd.padAndSplit} writes only the image's values. */
        float[] image(int size) {
            if (image.length < size) {
                image = new float[size];
            } else {
                Arrays.fill(image, 0, size, 0f);
            }
            return image;
        }

        /** The flat ∂L/∂y buffer, zero: only the valid positions are written, the same ones for each image. */
        float[] gradient(int size) {
            if (gradient.length < size) {
                gradient = new float[size];
            } else {
                Arrays.fill(gradient, 0, size, 0f);
            }
            return gradient;
        }
    }

    private ConvWeightSimd() {
    }

    /**
     * Whether this kernel suits layer g: one group, a layer that ConvSimd suits (its flat rows waste
     * few positions), and one on which ConvSimd's weight gradient would waste much of its work: fewer
     * filters than a vector's lanes (lanes left empty), or a patch so short that its blocks of taps
     * compute at least half as many taps again as there are ({@link ConvSimd#wastesWeightTaps}: a
     * first layer's 3×3 filters on one channel, 9 taps in a block of 16, as ResNet.small()'s stem;
     * there, with 16 filters and 16 lanes, this kernel took half ConvSimd's time on one thread and
     * three quarters on two, and the same time with 8 lanes).
     */
    static boolean suits(ConvGeometry g) {
        return g.groups() == 1 && ConvSimd.suits(g)
                && (g.outChannels() < LANES || ConvSimd.wastesWeightTaps(g.outChannels(), g.patchSize()));
    }

    /** Filters × taps per block of the micro-kernel for {@code registers} vector registers. */
    static int[] block(int registers) {
        return registers >= 32 ? new int[] {3, 5} : new int[] {2, 5};
    }

    /** ∂L/∂W, (C_out, C_in, k_h, k_w); one group. Same contract as {@link ConvNaive#backwardWeight}. */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        return backwardWeight(x, gradY, g, ConvSimd.REGISTERS);
    }

    /** {@link #backwardWeight} with the micro-kernel for {@code registers} vector registers (the tests run both). */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g, int registers) {
        if (g.groups() != 1) {
            throw new IllegalArgumentException("ConvWeightSimd: one group only, got " + g.groups());
        }
        int patch = g.patchSize();
        float[] gradW = new float[g.outChannels() * patch];
        if (g.batch() == 0 || gradW.length == 0) {
            return gradW;
        }
        int[] fxt = block(registers);
        int filterBlock = fxt[0];
        int tapBlock = fxt[1];
        int filters = (g.outChannels() + filterBlock - 1) / filterBlock * filterBlock;
        int tapsPadded = (patch + tapBlock - 1) / tapBlock * tapBlock;
        ConvSimd.Layout layout = new ConvSimd.Layout(g);
        int[] taps = Arrays.copyOf(layout.tap, tapsPadded);
        Arrays.fill(taps, patch, tapsPadded, layout.tap[0]);       // the extra taps read tap 0's pixels, results dropped
        int ldg = (layout.positions + LANES - 1) / LANES * LANES;  // positions walked per image, whole vectors
        int ldSum = tapsPadded * LANES;                            // sums: [filter][tap][lane]
        int plane = g.outPlane();
        int partialCount = Math.min(g.batch(), ConvSimd.MAX_PARTIALS);
        float[][] partials = new float[partialCount][];
        Threads.parallelFor(partialCount, s -> {
            float[] sums = new float[filters * ldSum];
            Workspace workspace = WORKSPACE.get();
            float[] xq = workspace.image(layout.imageFloats(g) + LANES);
            float[] gq = workspace.gradient(filters * ldg);
            for (int n = s * g.batch() / partialCount; n < (s + 1) * g.batch() / partialCount; n++) {
                ConvSimd.padAndSplit(x, g, layout, n, xq);
                for (int o = 0; o < g.outChannels(); o++) {              // ∂L/∂y into flat rows; the rest stays zero
                    int from = (n * g.outChannels() + o) * plane;
                    for (int i = 0; i < g.outHeight(); i++) {
                        System.arraycopy(gradY, from + i * g.outWidth(), gq, o * ldg + i * layout.cols, g.outWidth());
                    }
                }
                for (int f = 0; f < filters; f += filterBlock) {
                    for (int k0 = 0; k0 < tapsPadded; k0 += tapBlock) {
                        int sumIndex = f * ldSum + k0 * LANES;
                        if (filterBlock == 3) {
                            kernel3x5(xq, 0, taps, k0, gq, f * ldg, ldg, sums, sumIndex, ldSum);
                        } else {
                            kernel2x5(xq, 0, taps, k0, gq, f * ldg, ldg, sums, sumIndex, ldSum);
                        }
                    }
                }
            }
            partials[s] = sums;
        });
        // The partial sums in order of their runs, then the lanes in order: a fixed order of additions.
        for (int o = 0; o < g.outChannels(); o++) {
            for (int k = 0; k < patch; k++) {
                float total = 0f;
                for (int lane = 0; lane < LANES; lane++) {
                    float lanes = 0f;
                    for (float[] partial : partials) {
                        lanes += partial[o * ldSum + k * LANES + lane];
                    }
                    total += lanes;
                }
                gradW[o * patch + k] = total;
            }
        }
        return gradW;
    }

    // The methods below are generated: printed by `python3 tools/codegen/conv_weight_kernels.py` and
    // pasted here, at the end of the class. Edit the script and paste its output again, not them.

    /**
     * 3 filters × 5 taps (15 sums of LANES lanes):
     * sums[sumIndex + f·ldSum + t·LANES ..+ LANES] += Σ_q gq[gIndex + f·ldg + q ..] · xq[xBase + taps[k0 + t] + q ..]
     * for f &lt; 3, t &lt; 5, over q = 0, LANES, … &lt; ldg.
     */
    static void kernel3x5(float[] xq, int xBase, int[] taps, int k0, float[] gq, int gIndex, int ldg,
            float[] sums, int sumIndex, int ldSum) {
        int x0At = xBase + taps[k0];
        int x1At = xBase + taps[k0 + 1];
        int x2At = xBase + taps[k0 + 2];
        int x3At = xBase + taps[k0 + 3];
        int x4At = xBase + taps[k0 + 4];
        int g0At = gIndex;
        int g1At = gIndex + ldg;
        int g2At = gIndex + 2 * ldg;
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = FloatVector.zero(SPECIES);
        FloatVector c0_2 = FloatVector.zero(SPECIES);
        FloatVector c0_3 = FloatVector.zero(SPECIES);
        FloatVector c0_4 = FloatVector.zero(SPECIES);
        FloatVector c1_0 = FloatVector.zero(SPECIES);
        FloatVector c1_1 = FloatVector.zero(SPECIES);
        FloatVector c1_2 = FloatVector.zero(SPECIES);
        FloatVector c1_3 = FloatVector.zero(SPECIES);
        FloatVector c1_4 = FloatVector.zero(SPECIES);
        FloatVector c2_0 = FloatVector.zero(SPECIES);
        FloatVector c2_1 = FloatVector.zero(SPECIES);
        FloatVector c2_2 = FloatVector.zero(SPECIES);
        FloatVector c2_3 = FloatVector.zero(SPECIES);
        FloatVector c2_4 = FloatVector.zero(SPECIES);
        for (int q = 0; q < ldg; q += LANES) {
            FloatVector g0 = FloatVector.fromArray(SPECIES, gq, g0At + q);
            FloatVector g1 = FloatVector.fromArray(SPECIES, gq, g1At + q);
            FloatVector g2 = FloatVector.fromArray(SPECIES, gq, g2At + q);
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, x0At + q);
            c0_0 = g0.fma(x0, c0_0);
            c1_0 = g1.fma(x0, c1_0);
            c2_0 = g2.fma(x0, c2_0);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, x1At + q);
            c0_1 = g0.fma(x1, c0_1);
            c1_1 = g1.fma(x1, c1_1);
            c2_1 = g2.fma(x1, c2_1);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, x2At + q);
            c0_2 = g0.fma(x2, c0_2);
            c1_2 = g1.fma(x2, c1_2);
            c2_2 = g2.fma(x2, c2_2);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, x3At + q);
            c0_3 = g0.fma(x3, c0_3);
            c1_3 = g1.fma(x3, c1_3);
            c2_3 = g2.fma(x3, c2_3);
            FloatVector x4 = FloatVector.fromArray(SPECIES, xq, x4At + q);
            c0_4 = g0.fma(x4, c0_4);
            c1_4 = g1.fma(x4, c1_4);
            c2_4 = g2.fma(x4, c2_4);
        }
        FloatVector.fromArray(SPECIES, sums, sumIndex).add(c0_0).intoArray(sums, sumIndex);
        FloatVector.fromArray(SPECIES, sums, sumIndex + LANES).add(c0_1).intoArray(sums, sumIndex + LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * LANES).add(c0_2).intoArray(sums, sumIndex + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 3 * LANES).add(c0_3).intoArray(sums, sumIndex + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 4 * LANES).add(c0_4).intoArray(sums, sumIndex + 4 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum).add(c1_0).intoArray(sums, sumIndex + ldSum);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + LANES).add(c1_1).intoArray(sums, sumIndex + ldSum + LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 2 * LANES).add(c1_2).intoArray(sums, sumIndex + ldSum + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 3 * LANES).add(c1_3).intoArray(sums, sumIndex + ldSum + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 4 * LANES).add(c1_4).intoArray(sums, sumIndex + ldSum + 4 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * ldSum).add(c2_0).intoArray(sums, sumIndex + 2 * ldSum);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * ldSum + LANES).add(c2_1).intoArray(sums, sumIndex + 2 * ldSum + LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * ldSum + 2 * LANES).add(c2_2).intoArray(sums, sumIndex + 2 * ldSum + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * ldSum + 3 * LANES).add(c2_3).intoArray(sums, sumIndex + 2 * ldSum + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * ldSum + 4 * LANES).add(c2_4).intoArray(sums, sumIndex + 2 * ldSum + 4 * LANES);
    }

    /**
     * 2 filters × 5 taps (10 sums of LANES lanes):
     * sums[sumIndex + f·ldSum + t·LANES ..+ LANES] += Σ_q gq[gIndex + f·ldg + q ..] · xq[xBase + taps[k0 + t] + q ..]
     * for f &lt; 2, t &lt; 5, over q = 0, LANES, … &lt; ldg.
     */
    static void kernel2x5(float[] xq, int xBase, int[] taps, int k0, float[] gq, int gIndex, int ldg,
            float[] sums, int sumIndex, int ldSum) {
        int x0At = xBase + taps[k0];
        int x1At = xBase + taps[k0 + 1];
        int x2At = xBase + taps[k0 + 2];
        int x3At = xBase + taps[k0 + 3];
        int x4At = xBase + taps[k0 + 4];
        int g0At = gIndex;
        int g1At = gIndex + ldg;
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = FloatVector.zero(SPECIES);
        FloatVector c0_2 = FloatVector.zero(SPECIES);
        FloatVector c0_3 = FloatVector.zero(SPECIES);
        FloatVector c0_4 = FloatVector.zero(SPECIES);
        FloatVector c1_0 = FloatVector.zero(SPECIES);
        FloatVector c1_1 = FloatVector.zero(SPECIES);
        FloatVector c1_2 = FloatVector.zero(SPECIES);
        FloatVector c1_3 = FloatVector.zero(SPECIES);
        FloatVector c1_4 = FloatVector.zero(SPECIES);
        for (int q = 0; q < ldg; q += LANES) {
            FloatVector g0 = FloatVector.fromArray(SPECIES, gq, g0At + q);
            FloatVector g1 = FloatVector.fromArray(SPECIES, gq, g1At + q);
            FloatVector x0 = FloatVector.fromArray(SPECIES, xq, x0At + q);
            c0_0 = g0.fma(x0, c0_0);
            c1_0 = g1.fma(x0, c1_0);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xq, x1At + q);
            c0_1 = g0.fma(x1, c0_1);
            c1_1 = g1.fma(x1, c1_1);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xq, x2At + q);
            c0_2 = g0.fma(x2, c0_2);
            c1_2 = g1.fma(x2, c1_2);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xq, x3At + q);
            c0_3 = g0.fma(x3, c0_3);
            c1_3 = g1.fma(x3, c1_3);
            FloatVector x4 = FloatVector.fromArray(SPECIES, xq, x4At + q);
            c0_4 = g0.fma(x4, c0_4);
            c1_4 = g1.fma(x4, c1_4);
        }
        FloatVector.fromArray(SPECIES, sums, sumIndex).add(c0_0).intoArray(sums, sumIndex);
        FloatVector.fromArray(SPECIES, sums, sumIndex + LANES).add(c0_1).intoArray(sums, sumIndex + LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 2 * LANES).add(c0_2).intoArray(sums, sumIndex + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 3 * LANES).add(c0_3).intoArray(sums, sumIndex + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + 4 * LANES).add(c0_4).intoArray(sums, sumIndex + 4 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum).add(c1_0).intoArray(sums, sumIndex + ldSum);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + LANES).add(c1_1).intoArray(sums, sumIndex + ldSum + LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 2 * LANES).add(c1_2).intoArray(sums, sumIndex + ldSum + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 3 * LANES).add(c1_3).intoArray(sums, sumIndex + ldSum + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, sumIndex + ldSum + 4 * LANES).add(c1_4).intoArray(sums, sumIndex + ldSum + 4 * LANES);
    }
}
