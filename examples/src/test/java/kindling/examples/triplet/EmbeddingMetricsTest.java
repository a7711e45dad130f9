package kindling.examples.triplet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingMetricsTest {
    @Test
    void theBestThresholdIsFoundBySweepingTheSortedDistances() {
        // sorted: .1 same, .2 same, .3 diff, .4 same, .5 diff, .6 diff (given unsorted)
        float[] distances = {.4f, .1f, .6f, .3f, .2f, .5f};
        boolean[] same = {true, true, false, false, true, false};
        // right answers for t below all: 3; past .1: 4; .2: 5; .3: 4; .4: 5; .5: 4; .6: 3 → first best after .2
        EmbeddingMetrics.Verification v = EmbeddingMetrics.bestThreshold(distances, same);
        assertEquals(5.0 / 6, v.accuracy(), 1e-12);
        assertEquals(0.25, v.threshold(), 1e-6);
        assertEquals(6, v.pairs());
    }

    @Test
    void tiedDistancesMoveTogether() {
        // a same and a different pair at the same distance cannot be split by any threshold
        EmbeddingMetrics.Verification v = EmbeddingMetrics.bestThreshold(new float[] {.5f, .5f, .9f},
                new boolean[] {true, false, false});
        assertEquals(2.0 / 3, v.accuracy(), 1e-12);
    }

    @Test
    void twoWellSeparatedClassesVerifyPerfectlyWithAThresholdBetweenThem() {
        // class 0 at x = 0 and 0.1, class 1 at x = 1 and 1.1: same pairs at 0.1, different at 0.9 or more
        Tensor e = Tensor.of(new float[][] {{0f, 0f}, {.1f, 0f}, {1f, 0f}, {1.1f, 0f}});
        EmbeddingMetrics.Verification v = EmbeddingMetrics.verification(e, new int[] {0, 0, 1, 1}, 200, 5);
        assertEquals(1.0, v.accuracy(), 1e-12);
        assertEquals(200, v.pairs());
        assertTrue(v.threshold() > 0.1 && v.threshold() < 0.9, "threshold " + v.threshold());
    }

    @Test
    void nearestNeighbourAccuracyOnHandComputedPoints() {
        Tensor references = Tensor.of(new float[][] {{0f, 0f}, {1f, 0f}, {0f, 1f}});
        int[] referenceLabels = {0, 1, 2};
        // (.1, .1) → (0, 0), right; (.9, .2) → (1, 0), right;
        // (.4, .6): to (0, 1) √.32 = .57, to (0, 0) √.52 = .72, to (1, 0) √.72 = .85 → class 2, but it is 0
        Tensor queries = Tensor.of(new float[][] {{.1f, .1f}, {.9f, .2f}, {.4f, .6f}});
        assertEquals(2.0 / 3, EmbeddingMetrics.nearestNeighbourAccuracy(queries, new int[] {0, 1, 0},
                references, referenceLabels), 1e-12);
    }

    @Test
    void nearestNeighbourAccuracyIsTheSameAcrossTheBlocksOf256Queries() {
        Tensor references = Tensor.of(new float[][] {{0f, 0f}, {1f, 0f}, {0f, 1f}});
        int m = 600;                                       // three blocks: 256, 256, 88
        float[] q = new float[2 * m];
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            int c = i % 3;
            q[2 * i] = c == 1 ? .8f : .1f;
            q[2 * i + 1] = c == 2 ? .8f : .1f;
            labels[i] = i < 500 ? c : (c + 1) % 3;         // the last 100 are labelled wrongly
        }
        assertEquals(500.0 / 600, EmbeddingMetrics.nearestNeighbourAccuracy(Tensor.of(q, m, 2), labels,
                references, new int[] {0, 1, 2}), 1e-12);
    }
}
