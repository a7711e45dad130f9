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
}
