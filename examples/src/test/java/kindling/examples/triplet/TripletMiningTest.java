package kindling.examples.triplet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.nn.Reduction;
import kindling.nn.TripletMarginLoss;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TripletMiningTest {
    /** Six images: 0, 1, 2 of class 0; 3, 4 of class 1; 5 alone in class 2. */
    private static final int[] LABELS = {0, 0, 0, 1, 1, 2};
    private static final Tensor DISTANCES = Tensor.of(new float[][] {
        //  0     1     2     3     4     5
        {0f, .3f, .5f, .6f, .65f, .4f},
        {.3f, 0f, .2f, .7f, .25f, 1f},
        {.5f, .2f, 0f, .8f, .45f, .65f},
        {.6f, .7f, .8f, 0f, .35f, .1f},
        {.65f, .25f, .45f, .35f, 0f, .6f},
        {.4f, 1f, .65f, .1f, .6f, 0f}});

    @Test
    void batchHardPicksTheFarthestPositiveAndTheNearestNegativeAndSkipsAnAnchorWithoutPositive() {
        TripletMining.Triplets t = TripletMining.batchHard(DISTANCES, LABELS);
        // anchor 0: positives 1 (.3), 2 (.5) → 2; negatives 3 (.6), 4 (.65), 5 (.4) → 5
        // anchor 4: positive 3; negatives 0 (.65), 1 (.25), 2 (.45), 5 (.6) → 1; anchor 5 has no positive
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, t.anchors());
        assertArrayEquals(new int[] {2, 0, 0, 4, 3}, t.positives());
        assertArrayEquals(new int[] {5, 4, 4, 5, 1}, t.negatives());
    }

    @Test
    void semiHardPicksTheNearestNegativeInsideTheBandAndSkipsPairsWithoutOne() {
        TripletMining.Triplets t = TripletMining.semiHard(DISTANCES, LABELS, 0.2);
        // (0, 1): band (.3, .5) holds 5 (.4).   (0, 2): band (.5, .7) holds 3 (.6) and 4 (.65) → 3, the nearer.
        // (1, 0): band (.3, .5) holds no negative (.7, .25, 1.0): skipped.   (1, 2): band (.2, .4) → 4 (.25).
        // (2, 0): band (.5, .7) → 5 (.65).   (2, 1): band (.2, .4) empty.   (3, 4): band (.35, .55) empty.
        // (4, 3): band (.35, .55) → 2 (.45); 5 at .6 is beyond the margin, 1 at .25 is harder than the positive.
        assertArrayEquals(new int[] {0, 0, 1, 2, 4}, t.anchors());
        assertArrayEquals(new int[] {1, 2, 2, 0, 3}, t.positives());
        assertArrayEquals(new int[] {5, 3, 4, 5, 2}, t.negatives());
    }

    @Test
    void aBatchOfOneClassHasNoTripletsAndItsLossIsAZeroThatStillBackpropagates() {
        int[] oneClass = {3, 3, 3, 3};
        Tensor distances = Tensor.ones(4, 4);
        assertEquals(0, TripletMining.batchHard(distances, oneClass).size());
        assertEquals(0, TripletMining.semiHard(distances, oneClass, 0.2).size());
        Tensor embeddings = Tensor.randn(new Generator(1), 4, 3).requiresGrad_();
        Tensor loss = new TripletMining(TripletMining.Strategy.BATCH_HARD, 0.2).loss(embeddings, oneClass);
        assertEquals(0f, loss.item(), 0f);
        loss.backward();
        assertArrayEquals(new float[12], embeddings.grad().toArray());
    }

    @Test
    void pairwiseDistancesMatchTheDefinition() {
        Tensor e = Tensor.randn(new Generator(2), 5, 4);
        float[] d = TripletMining.pairwiseDistances(e).toArray();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double sum = 0;
                for (int c = 0; c < 4; c++) {
                    double diff = e.get(i, c) - e.get(j, c);
                    sum += diff * diff;
                }
                assertEquals(Math.sqrt(sum), d[i * 5 + j], 1e-3, "D[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void theLossIsTripletMarginLossOnTheGatheredRowsAndTheGradientReachesOnlyThoseRows() {
        Tensor e = Tensor.randn(new Generator(3), 6, 4).requiresGrad_();
        TripletMining mining = new TripletMining(TripletMining.Strategy.BATCH_HARD, 1.0);
        int[] labels = {0, 0, 1, 1, 2, 2};
        Tensor loss = mining.loss(e, labels);
        TripletMining.Triplets t = mining.mine(TripletMining.pairwiseDistances(e.detach()), labels);
        assertEquals(6, t.size());
        Tensor expected = new TripletMarginLoss(1.0, 2.0, 1e-6, false, Reduction.MEAN).forward(
                e.detach().indexSelect(0, TripletMining.indexTensor(t.anchors())),
                e.detach().indexSelect(0, TripletMining.indexTensor(t.positives())),
                e.detach().indexSelect(0, TripletMining.indexTensor(t.negatives())));
        assertEquals(expected.item(), loss.item(), 1e-6);
        loss.backward();
        float gradientMass = 0;
        for (float g : e.grad().toArray()) {
            gradientMass += Math.abs(g);
        }
        assertTrue(gradientMass > 0, "the gradient flows back into the embeddings");
    }

    @Test
    void inBatchNearestNeighbourAccuracyCountsTheNearestOtherImage() {
        // nearest others: 0→1 (same), 1→2 (same), 2→1 (same), 3→5 (diff), 4→1 (diff), 5→3 (diff)
        assertEquals(3.0 / 6, TripletMining.nearestNeighbourAccuracy(DISTANCES, LABELS), 1e-12);
    }

    @Test
    void theAllTripletsLossAveragesTheHingeOverEveryValidTriplet() {
        Tensor d = Tensor.of(new float[][] {{0f, .3f, .4f}, {.3f, 0f, .6f}, {.4f, .6f, 0f}});
        // (0, 1, 2): .3 − .4 + .2 = .1;   (1, 0, 2): .3 − .6 + .2 < 0 → 0;   anchor 2 has no positive
        assertEquals(0.05, TripletMining.allTripletsLoss(d, new int[] {0, 0, 1}, 0.2), 1e-6);
        assertEquals(0.0, TripletMining.allTripletsLoss(d, new int[] {0, 1, 2}, 0.2));
    }

    @Test
    void aDistanceMatrixOfTheWrongSizeIsAShapeError() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> TripletMining.batchHard(Tensor.zeros(5, 5), LABELS));
        assertTrue(e.getMessage().contains("expected distances (6, 6) for 6 labels but got (5, 5)"), e.getMessage());
    }
}
