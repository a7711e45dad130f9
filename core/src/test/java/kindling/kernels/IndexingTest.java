package kindling.kernels;

import static kindling.kernels.KernelTwins.randomArray;
import static kindling.kernels.KernelTwins.withFastKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The indexing kernels against their naive twins, bit for bit, with three threads, over a grid of shapes:
 * empty, one element, odd sizes, and sizes past one parallel block (in columns and in slices), with
 * repeated picks so that the order of the adds into one place matters; and each loop against its formula.
 */
class IndexingTest {
    private static final int BLOCK = Threads.ELEMENTWISE_BLOCK;
    /** (outer, size, inner, picks): the (outer, size, inner) view of indexSelect and how many picks. */
    private static final int[][] GRID = {
        {0, 3, 4, 2}, {2, 3, 0, 2}, {2, 3, 4, 0}, {1, 1, 1, 1}, {3, 5, 7, 9}, {1, 4, BLOCK + 5, 3},
        {BLOCK / 2 + 3, 2, 1, 5}, {2, 7, 3, BLOCK + 1},
    };
    private final SplittableRandom random = new SplittableRandom(29);
    private final int threadsBefore = Threads.get();

    @Test
    void selectAndAccumulateBlocksMatchTheirTwins() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int[] c : GRID) {
                    int outer = c[0];
                    int size = c[1];
                    int inner = c[2];
                    int[] picks = randomPicks(c[3], size);
                    String where = "outer " + outer + ", size " + size + ", inner " + inner + ", " + c[3] + " picks";
                    float[] x = randomArray(random, outer * size * inner);
                    float[] naive = new float[outer * picks.length * inner];
                    float[] fast = new float[naive.length];
                    Indexing.selectBlocksNaive(x, outer, size, inner, picks, naive);
                    Indexing.selectBlocks(x, outer, size, inner, picks, fast);
                    assertArrayEquals(naive, fast, 0f, "selectBlocks, " + where);
                    float[] g = randomArray(random, naive.length);
                    for (int skip : new int[] {-1, 0}) {
                        float[] gradNaive = randomArray(random, x.length);     // += onto what is there
                        float[] gradFast = gradNaive.clone();
                        Indexing.accumulateBlocksNaive(g, outer, size, inner, picks, skip, gradNaive);
                        Indexing.accumulateBlocks(g, outer, size, inner, picks, skip, gradFast);
                        assertArrayEquals(gradNaive, gradFast, 0f, "accumulateBlocks skipping " + skip + ", " + where);
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void gatherMatchesItsTwin() {
        withFastKernels(() -> {
            try {
                Threads.set(3);
                for (int length : new int[] {0, 1, 7, BLOCK, 2 * BLOCK + 13}) {
                    float[] src = randomArray(random, Math.max(1, length / 2));
                    int[] from = randomPicks(length, src.length);
                    int[] to = permutation(length);
                    for (int[] places : new int[][] {null, to}) {
                        float[] naive = new float[length];
                        float[] fast = new float[length];
                        Indexing.gatherNaive(src, from, naive, places);
                        Indexing.gather(src, from, fast, places);
                        assertArrayEquals(naive, fast, 0f, "gather on " + length + (places == null ? "" : " into places"));
                    }
                }
            } finally {
                Threads.set(threadsBefore);
            }
        });
    }

    @Test
    void eachLoopIsItsFormula() {
        float[] x = {10f, 11f, 12f, 20f, 21f, 22f};              // (outer 2, size 3, inner 1)
        float[] out = new float[4];
        Indexing.selectBlocks(x, 2, 3, 1, new int[] {2, 2}, out);
        assertArrayEquals(new float[] {12f, 12f, 22f, 22f}, out);
        float[] grad = new float[6];
        Indexing.accumulateBlocks(new float[] {1f, 2f, 3f, 4f}, 2, 3, 1, new int[] {2, 2}, -1, grad);
        assertArrayEquals(new float[] {0f, 0f, 3f, 0f, 0f, 7f}, grad);
        grad = new float[6];
        Indexing.accumulateBlocks(new float[] {1f, 2f, 3f, 4f}, 2, 3, 1, new int[] {0, 2}, 0, grad);
        assertArrayEquals(new float[] {0f, 0f, 2f, 0f, 0f, 4f}, grad);
        Indexing.gather(x, new int[] {5, 0, 5, 1}, out, null);
        assertArrayEquals(new float[] {22f, 10f, 22f, 11f}, out);
        Indexing.gather(x, new int[] {5, 0, 3, 1}, out, new int[] {3, 2, 1, 0});
        assertArrayEquals(new float[] {11f, 20f, 10f, 22f}, out);
        float[] dst = {1f, 1f, 1f};
        Indexing.scatterAdd(new float[] {0.5f, 2f, 4f}, null, dst, new int[] {2, 0, 2});
        assertArrayEquals(new float[] {3f, 1f, 5.5f}, dst);
        Indexing.scatterAdd(new float[] {0.5f, 2f, 4f}, new int[] {2, 2, 1}, dst, new int[] {0, 1, 1});
        assertArrayEquals(new float[] {7f, 7f, 5.5f}, dst);
    }

    /** Picks in 0 .. size − 1 with repeats, so a row gathers several gradients. */
    private int[] randomPicks(int count, int size) {
        int[] picks = new int[count];
        for (int j = 0; j < count; j++) {
            picks[j] = random.nextInt(size);
        }
        return picks;
    }

    private int[] permutation(int length) {
        int[] p = new int[length];
        for (int i = 0; i < length; i++) {
            p[i] = i;
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
