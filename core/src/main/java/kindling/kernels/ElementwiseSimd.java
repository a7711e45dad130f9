package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise} with the Vector API: the same formulas on a vector of lanes at a time, the
 * sigmoid with a vector exponential written out here (in {@link #sigmoid}) instead of one
 * {@code Math.exp} call per element, the ReLU mask as a blend instead of a branch. The last
 * {@code length mod lanes} elements go through the plain loops. Only loaded when the JVM has
 * {@code jdk.incubator.vector}.
 */
final class ElementwiseSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ElementwiseSimd() {
    }

    private static final float LOG2_E = 1.44269504f;
    /** 1.5 · 2²³: added to a float of magnitude below 2²², rounds it to an integer kept in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    /** ln 2 in two parts: LN2_HI has few enough bits that n · LN2_HI is exact for the n used here. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    /**
     * y[i] = σ(x[i]) for from ≤ i &lt; to, as {@link Elementwise#sigmoid(float)}: with e = e^(−|x|) in
     * (0, 1], σ(x) = 1 / (1 + e) for x ≥ 0 and e · σ(|x|) for x &lt; 0, both computed and one kept by
     * a blend. The exponential is written out with adds, multiplies and FMAs only, not
     * {@code lanewise(VectorOperators.EXP)}: that one's results are not specified to the bit, and the
     * JIT's compiled version (a vector math library routine) and the Java fallback that runs before
     * compilation (one {@code Math.exp} per lane) round differently in the last bit, so a sigmoid
     * network trained twice in one JVM would end with different weights. Basic operations and FMA are
     * exactly rounded in every tier, so this gives the same bits interpreted and compiled (the method
     * of Cephes' {@code expf}), for t = −|x| ≤ 0:
     * <pre>
     *   n = round(t · log₂ e)            (an FMA with 1.5 · 2²³ rounds to an integer in one step)
     *   r = t − n · ln 2                 (ln 2 in a high and a low part: r is nearly exact, |r| ≤ ln 2 / 2)
     *   e^r ≈ 1 + r + r² · p(r)          (p of degree 5, Cephes' coefficients)
     *   e^t = e^r · 2^(n₁) · 2^(n − n₁)  (two powers of two built from their exponent bits, n₁ = n / 2,
     *                                     so that results down to the smallest subnormal float come out)
     * </pre>
     * Below t = −104, e^t is under half the smallest float and the result is 0; NaN gives NaN.
     *
     * <p>Why the exponential is not a method of its own: this method must stay too large for the JIT
     * to inline into its callers (more than {@code FreqInlineSize}, 325 bytes of bytecode), so that it
     * is always compiled on its own. Inlined into a parallel loop's task, several calls deep, the Vector
     * API's own chains of small methods ended past the JIT's inlining depth; their intrinsics then
     * failed, and the vectors became heap objects: a sigmoid's forward and backward on two threads took
     * 100 to 380 ms instead of 1.3 and allocated 40 MB more a call (docs/kernels.md).
     * {@code ElementwiseTest} checks the size.
     */
    static void sigmoid(float[] x, float[] y, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector lowest = FloatVector.broadcast(SPECIES, -104f);
        FloatVector log2e = FloatVector.broadcast(SPECIES, LOG2_E);
        FloatVector rounder = FloatVector.broadcast(SPECIES, ROUNDER);
        FloatVector ln2Hi = FloatVector.broadcast(SPECIES, LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(SPECIES, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(SPECIES, 1.9875691500e-4f);
        FloatVector p1 = FloatVector.broadcast(SPECIES, 1.3981999507e-3f);
        FloatVector p2 = FloatVector.broadcast(SPECIES, 8.3334519073e-3f);
        FloatVector p3 = FloatVector.broadcast(SPECIES, 4.1665795894e-2f);
        FloatVector p4 = FloatVector.broadcast(SPECIES, 1.6666665459e-1f);
        FloatVector p5 = FloatVector.broadcast(SPECIES, 5.0000001201e-1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - SPECIES.length(); i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector t = v.abs().neg().max(lowest);                           // −|x|, NaN stays NaN
            FloatVector rounded = t.fma(log2e, rounder);                          // n + 1.5 · 2²³
            FloatVector n = rounded.sub(rounder);                                 // n, exactly
            FloatVector r = t.sub(n.mul(ln2Hi));                                  // n · LN2_HI is exact
            r = n.fma(minusLn2Lo, r);
            FloatVector p = r.fma(p0, p1);
            p = p.fma(r, p2);
            p = p.fma(r, p3);
            p = p.fma(r, p4);
            p = p.fma(r, p5);
            FloatVector er = p.fma(r.mul(r), r).add(one);                         // e^r
            // n sits in the low bits of rounded's mantissa, offset by 2²² (1.5 · 2²³ is 0x4B400000).
            IntVector ni = rounded.reinterpretAsInts().sub(0x4B400000);
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = er.mul(scale1).mul(scale2);                           // e^(−|x|), in [0, 1]
            FloatVector positive = one.div(one.add(e));                           // σ(|x|)
            VectorMask<Float> negative = v.compare(VectorOperators.LT, zero);
            positive.blend(e.mul(positive), negative).intoArray(y, i);          // σ(x) = e·σ(|x|) for x < 0
        }
        Elementwise.sigmoidPlain(x, y, i, to);
    }

    static void reluBackward(float[] y, float[] gradY, float[] gradX, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - SPECIES.length(); i += SPECIES.length()) {
            VectorMask<Float> off = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.LE, zero);
            FloatVector.fromArray(SPECIES, gradY, i).blend(zero, off).intoArray(gradX, i);
        }
        Elementwise.reluBackwardPlain(y, gradY, gradX, i, to);
    }

    /**
     * out[i] = f(a[i], b[i − base]) for from ≤ i &lt; to ({@code bFirst}: f(b[i − base], a[i])), f one of
     * ADD, SUB, MUL, DIV: one row of a Linear bias, (N, F) + (F). The rows are short (LeNet's 120, 84,
     * 10), and the JIT's own vectorisation of such a loop spends most of a row in its scalar pre- and
     * post-loops; here every whole vector of the row is one vector operation and only the last
     * {@code (to − from) mod lanes} elements go one at a time. The function is chosen once, outside the
     * loops, so that each loop calls one fixed vector method (which the JIT compiles to one instruction);
     * ADD and MUL take a + b and a · b whichever side b is on, as the plain loops do.
     */
    static void rowRun(Elementwise.Binary f, boolean bFirst, float[] a, float[] b, int base, float[] out,
            int from, int to) {
        int i = from;
        int end = to - SPECIES.length();
        switch (f) {
            case ADD:
                for (; i <= end; i += SPECIES.length()) {
                    FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                    x.add(FloatVector.fromArray(SPECIES, b, i - base)).intoArray(out, i);
                }
                break;
            case MUL:
                for (; i <= end; i += SPECIES.length()) {
                    FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                    x.mul(FloatVector.fromArray(SPECIES, b, i - base)).intoArray(out, i);
                }
                break;
            case SUB:
                if (bFirst) {
                    for (; i <= end; i += SPECIES.length()) {
                        FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                        FloatVector.fromArray(SPECIES, b, i - base).sub(x).intoArray(out, i);
                    }
                } else {
                    for (; i <= end; i += SPECIES.length()) {
                        FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                        x.sub(FloatVector.fromArray(SPECIES, b, i - base)).intoArray(out, i);
                    }
                }
                break;
            default: // DIV
                if (bFirst) {
                    for (; i <= end; i += SPECIES.length()) {
                        FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                        FloatVector.fromArray(SPECIES, b, i - base).div(x).intoArray(out, i);
                    }
                } else {
                    for (; i <= end; i += SPECIES.length()) {
                        FloatVector x = FloatVector.fromArray(SPECIES, a, i);
                        x.div(FloatVector.fromArray(SPECIES, b, i - base)).intoArray(out, i);
                    }
                }
                break;
        }
        Elementwise.rowRunPlain(f, bFirst, a, b, base, out, i, to);
    }

    /**
     * out[m] += g[o·mid + m] for every row o and every m in [from, to): the rows of a Linear bias's
     * gradient added into one block of columns, a vector of columns at a time, rows in order; each
     * out[m] gets the same additions in the same order as in the plain loop, so the two agree bit for bit.
     */
    static void sumRows(float[] g, int outer, int mid, float[] out, int from, int to) {
        int m = from;
        for (; m <= to - SPECIES.length(); m += SPECIES.length()) {
            FloatVector total = FloatVector.fromArray(SPECIES, out, m);
            for (int o = 0; o < outer; o++) {
                total = total.add(FloatVector.fromArray(SPECIES, g, o * mid + m));
            }
            total.intoArray(out, m);
        }
        DimReductions.sumRowsPlain(g, outer, mid, out, m, to);
    }

    /** Eight lanes on every machine: the eight partial sums of {@code DimReductions.runSum}, one per lane. */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;

    /**
     * sums[r] = runSum(g, base + r·inner, inner) for r &lt; runs: the run sums of a channel bias's
     * gradient, equal bit for bit to the plain {@code DimReductions.runSum}. Its eight partial sums
     * s0..s7, where s_j adds g[from + j], g[from + j + 8], ..., are the eight lanes of one vector, and
     * the tail and the final pairing ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) are the plain
     * code's. One vector of partial sums still waits for its previous add; four runs summed side by
     * side keep four adds in flight.
     */
    static void runSums(float[] g, int base, int inner, int runs, float[] sums) {
        int r = 0;
        int whole = inner - EIGHT.length();
        for (; r + 4 <= runs; r += 4) {
            int b0 = base + r * inner;
            int b1 = b0 + inner;
            int b2 = b1 + inner;
            int b3 = b2 + inner;
            FloatVector s0 = FloatVector.zero(EIGHT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            int k = 0;
            for (; k <= whole; k += EIGHT.length()) {
                s0 = s0.add(FloatVector.fromArray(EIGHT, g, b0 + k));
                s1 = s1.add(FloatVector.fromArray(EIGHT, g, b1 + k));
                s2 = s2.add(FloatVector.fromArray(EIGHT, g, b2 + k));
                s3 = s3.add(FloatVector.fromArray(EIGHT, g, b3 + k));
            }
            sums[r] = finishRun(s0, g, b0 + k, b0 + inner);
            sums[r + 1] = finishRun(s1, g, b1 + k, b1 + inner);
            sums[r + 2] = finishRun(s2, g, b2 + k, b2 + inner);
            sums[r + 3] = finishRun(s3, g, b3 + k, b3 + inner);
        }
        for (; r < runs; r++) {
            int b0 = base + r * inner;
            FloatVector s0 = FloatVector.zero(EIGHT);
            int k = 0;
            for (; k <= whole; k += EIGHT.length()) {
                s0 = s0.add(FloatVector.fromArray(EIGHT, g, b0 + k));
            }
            sums[r] = finishRun(s0, g, b0 + k, b0 + inner);
        }
    }

    /**
     * The tail g[from..to) added into lane 0 one at a time, then the lanes paired as runSum pairs them.
     * Not {@link LaneSums#inOrder}: the order here is runSum's pairing, so that the two agree to the bit;
     * like inOrder it is written out in Java (no {@code reduceLanes}), so every JIT tier follows it.
     */
    private static float finishRun(FloatVector partial, float[] g, int from, int to) {
        float s0 = partial.lane(0);
        for (int i = from; i < to; i++) {
            s0 += g[i];
        }
        return ((s0 + partial.lane(1)) + (partial.lane(2) + partial.lane(3)))
                + ((partial.lane(4) + partial.lane(5)) + (partial.lane(6) + partial.lane(7)));
    }
}
