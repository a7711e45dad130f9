package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

/** Builds GEMM operands with padding around them, and compares a kernel's C with the naive one's. */
final class GemmTestSupport {

    private GemmTestSupport() {
    }

    /** The operands of one call: A, B, C stored with an offset and a leading dimension wider than needed. */
    static final class Problem {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float beta;
        final float[] a;
        final int aOffset;
        final int lda;
        final float[] b;
        final int bOffset;
        final int ldb;
        final float[] c;
        final int cOffset;
        final int ldc;

        /**
         * @param padding extra columns per row and the offset of each matrix (0 = tight storage)
         * @param fillC   the initial value of every element of C, e.g. NaN to prove β = 0 never reads it;
         *                null for random values
         */
        Problem(boolean transA, boolean transB, int m, int n, int k, float beta, int padding,
                Float fillC, long seed) {
            Random random = new Random(seed);
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.beta = beta;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            this.lda = Math.max(1, aCols) + padding;
            this.ldb = Math.max(1, bCols) + padding;
            this.ldc = Math.max(1, n) + padding;
            this.aOffset = padding;
            this.bOffset = 2 * padding;
            this.cOffset = 3 * padding;
            this.a = randomArray(random, aOffset + aRows * lda + padding);
            this.b = randomArray(random, bOffset + bRows * ldb + padding);
            this.c = randomArray(random, cOffset + m * ldc + padding);
            if (fillC != null) {
                Arrays.fill(c, fillC);
            }
        }

        /** Runs {@code kernel} on a copy of C and returns that copy. */
        float[] run(GemmKernel kernel) {
            float[] result = c.clone();
            kernel.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, result, cOffset, ldc);
            return result;
        }

        @Override
        public String toString() {
            return "gemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")";
        }
    }

    private static float[] randomArray(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    /**
     * Asserts that {@code actual} equals {@code expected} within a rounding tolerance that grows with k
     * (different summation orders differ by about k·ε per element), and that the padding around C
     * is untouched (bit-exact).
     */
    static void assertSameC(Problem problem, float[] expected, float[] actual, String kernelName) {
        float tolerance = 1e-5f * (problem.k + 1) * 4f;
        for (int index = 0; index < expected.length; index++) {
            int rel = index - problem.cOffset;
            boolean insideC = rel >= 0 && rel / problem.ldc < problem.m && rel % problem.ldc < problem.n;
            if (!insideC) {
                if (Float.floatToRawIntBits(expected[index]) != Float.floatToRawIntBits(actual[index])) {
                    fail(kernelName + " wrote outside C at array index " + index + " for " + problem);
                }
                continue;
            }
            float e = expected[index];
            float got = actual[index];
            if (Float.isNaN(e) || Float.isNaN(got) || Math.abs(e - got) > tolerance * Math.max(1f, Math.abs(e))) {
                assertEquals(e, got, tolerance, kernelName + " differs from naive at C(" + rel / problem.ldc
                        + ", " + rel % problem.ldc + ") for " + problem);
            }
        }
    }
}
