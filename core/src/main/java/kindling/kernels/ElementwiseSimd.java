package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise} with the Vector API: the same formulas on a vector of lanes at a time, the
 * sigmoid with the JDK's vector exponential ({@code VectorOperators.EXP}) instead of one
 * {@code Math.exp} call per element, the ReLU mask as a blend instead of a branch. The last
 * {@code length mod lanes} elements go through the plain loops. Only loaded when the JVM has
 * {@code jdk.incubator.vector}.
 */
final class ElementwiseSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ElementwiseSimd() {
    }

    static void sigmoid(float[] x, float[] y, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (; i <= to - SPECIES.length(); i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);          // e^(−|x|), in (0, 1]
            FloatVector positive = one.div(one.add(e));                           // σ(|x|)
            VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
            positive.blend(e.mul(positive), negative).intoArray(y, i);          // σ(x) = e·σ(|x|) for x < 0
        }
        Elementwise.sigmoidPlain(x, y, i, to);
    }

    static void reluBackward(float[] y, float[] gradY, float[] gradX, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - SPECIES.length(); i += SPECIES.length()) {
            VectorMask<Float> off = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.LE, 0f);
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
}
