package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lanes of a vector of partial sums added into one float in a fixed order, lane 0 first:
 * (((0 + v₀) + v₁) + v₂) + ... + v_{L−1}. Every kernel that ends a vector sum goes through here
 * instead of {@code reduceLanes(VectorOperators.ADD)}.
 *
 * <p>Why not {@code reduceLanes}: its javadoc leaves the order of the additions unspecified, and
 * float addition is not associative, so two orders may round differently in the last bit. The JVM
 * runs the same code in different ways over a run's life: interpreted at first, where the
 * JDK's Java fallback adds the lanes one after another, then compiled, where the JIT's
 * instruction sequence may add them as a tree (JDK 25's does on x86; JDK 17's adds them in lane
 * order). A batch norm whose sums round differently in its first steps than in its later ones made
 * two identical trainings in one JVM end with different weights. Here the order is written out in
 * plain Java, which every tier must follow to the bit.
 *
 * <p>The cost: L dependent float additions instead of a log₂ L deep tree, a few tens of cycles per
 * sum. Where a kernel reduces once per block of a thousand values (batch norm's and group norm's long
 * planes) that does not show; where the blocks are short (a convolution's bias gradient on 7×7
 * planes, batch norm's channel loops on planes of about a hundred positions, one sum per image) it
 * is a larger share of the work. Lane order is also what the Java fallback and JDK 17's compiled code
 * compute, so the results are the ones those gave before.
 */
final class LaneSums {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes of {@link FloatVector#SPECIES_PREFERRED}: the length a scratch array needs per vector. */
    static final int LANES = SPECIES.length();

    private LaneSums() {
    }

    /** One scratch array per thread, made once: the kernels ask for it once per channel or group. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    /**
     * The calling thread's scratch array for {@link #inOrder(FloatVector, float[])}, the same array on
     * every call from that thread. Sharing it is safe because {@code inOrder} overwrites it and reads it
     * back before it returns: no caller keeps anything in it between calls.
     */
    static float[] scratch() {
        return SCRATCH.get();
    }

    /**
     * The lanes of {@code v} added in lane order, through {@code scratch} (at least {@link #LANES}
     * floats, overwritten): a vector store, then plain scalar additions.
     */
    static float inOrder(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        return inOrder(scratch, 0);
    }

    /** lanes[from] + ... + lanes[from + LANES − 1], added one after another from 0, lane 0 first. */
    static float inOrder(float[] lanes, int from) {
        float sum = 0f;
        for (int i = 0; i < LANES; i++) {
            sum += lanes[from + i];
        }
        return sum;
    }
}
