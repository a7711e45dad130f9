package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sigmoid} with the Vector API: the same formula on a vector of lanes at a time, with the
 * JDK's vector exponential ({@code VectorOperators.EXP}, compiled to a short polynomial on x86)
 * instead of one {@code Math.exp} call per element. Only loaded when the JVM has
 * {@code jdk.incubator.vector}.
 */
final class SigmoidSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SigmoidSimd() {
    }

    static void forward(float[] x, float[] y, int from, int to) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (; i <= to - SPECIES.length(); i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);          // e^(−|x|), in (0, 1]
            FloatVector positive = one.div(one.add(e));                           // σ(|x|)
            VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
            positive.blend(e.mul(positive), negative).intoArray(y, i);          // σ(x) = e·σ(|x|) for x < 0
        }
        Sigmoid.forwardPlain(x, y, i, to);                                        // the last few elements
    }
}
