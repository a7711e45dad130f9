package kindling.examples.triplet;

import java.util.Arrays;
import kindling.autograd.NoGrad;
import kindling.nn.Reduction;
import kindling.nn.TripletMarginLoss;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Online triplet mining: the triplets are chosen inside each batch, from the distances between the
 * embeddings the network has just computed, so they stay hard as the network improves.
 * <pre>
 *   D[i][j] = ‖e_i − e_j‖₂                                  all pairs in the batch, no gradient
 *   batch-hard (Hermans et al. 2017), one triplet per anchor a:
 *       p(a) = argmax_{j : y_j = y_a, j ≠ a} D[a][j]          the farthest positive
 *       n(a) = argmin_{j : y_j ≠ y_a}        D[a][j]          the nearest negative
 *   semi-hard (Schroff et al. 2015, FaceNet), one triplet per anchor-positive pair (a, p):
 *       n(a, p) = argmin_{j : y_j ≠ y_a, D[a][p] &lt; D[a][j] &lt; D[a][p] + margin} D[a][j]
 *   loss = TripletMarginLoss(e[anchors], e[positives], e[negatives])
 *        = mean_t max(‖e_a − e_p‖ − ‖e_a − e_n‖ + margin, 0)
 * </pre>
 * Why mine: with random triplets almost every negative is already a margin farther than the
 * positive, its hinge is 0 and it teaches nothing; the few informative triplets are the hard ones.
 * <p><b>Which strategy.</b> Batch-hard gives every anchor exactly one triplet, the one that most
 * violates the margin; Hermans et al. found it the best of the simple strategies (with a soft
 * margin and unnormalised embeddings). Semi-hard avoids the hardest negatives on purpose: FaceNet
 * found that training on them from the start collapses the embedding ({@code f(x) ≈ const}, loss ≈
 * margin), and chose negatives that are farther than the positive but still inside the margin.
 * The example trains with <b>semi-hard</b> by default because that collapse is what we measured:
 * with batch-hard, unit-length embeddings and margin 0.2 the distances shrank to about 0.02 and
 * the loss stayed just under the margin (Xuan et al. 2020 analyse why), while semi-hard spread the classes
 * over the sphere. {@code --mining batch-hard} shows the collapse.
 * <p>Anchors without a valid triplet are skipped: batch-hard needs a positive (another image of
 * the class) and a negative; semi-hard needs a negative inside the band, which an anchor-positive
 * pair that already satisfies the margin does not have. The indices are picked without gradient;
 * the loss then gathers the rows with {@code indexSelect}, so the gradient flows into every
 * embedding that appears in a triplet. The distances for mining come from the matrix formula
 * below; {@code TripletMarginLoss} recomputes them as PyTorch's {@code pairwise_distance} (with its
 * eps of 1e−6), so the two differ in the sixth decimal.
 */
public final class TripletMining {
    /** How the triplets are chosen in a batch. */
    public enum Strategy {
        /** For each anchor the farthest positive and the nearest negative (Hermans et al. 2017). */
        BATCH_HARD,
        /** For each anchor-positive pair the nearest negative farther than the positive, within the margin (FaceNet). */
        SEMI_HARD
    }

    /** Triplets as three index arrays into the batch: triplet t is (anchors[t], positives[t], negatives[t]). */
    public record Triplets(int[] anchors, int[] positives, int[] negatives) {
        /** The number of triplets. */
        public int size() {
            return anchors.length;
        }
    }

    private final Strategy strategy;
    private final double margin;
    private final TripletMarginLoss loss;

    /** Mining with {@code strategy} and a loss with this {@code margin} (PyTorch's other defaults: p 2, eps 1e−6, mean). */
    public TripletMining(Strategy strategy, double margin) {
        if (strategy == null) {
            throw new IllegalArgumentException("TripletMining: strategy must not be null");
        }
        this.strategy = strategy;
        this.margin = margin;
        this.loss = new TripletMarginLoss(margin, 2.0, 1e-6, false, Reduction.MEAN);
    }

    public Strategy strategy() {
        return strategy;
    }

    public double margin() {
        return margin;
    }

    /** The triplets this strategy picks from a distance matrix {@code distances} (N, N) and labels (N). */
    public Triplets mine(Tensor distances, int[] labels) {
        return strategy == Strategy.BATCH_HARD ? batchHard(distances, labels) : semiHard(distances, labels, margin);
    }

    /**
     * The triplet loss of a batch: mines the triplets from the embeddings' distances, then takes
     * the mean hinge over them. Returns 0 (still attached to the graph) when no triplet is valid.
     * Shape: embeddings (N, D), labels N → a scalar.
     */
    public Tensor loss(Tensor embeddings, int[] labels) {
        Triplets triplets;
        try (NoGrad ignored = NoGrad.enter()) {
            triplets = mine(pairwiseDistances(embeddings.detach()), labels);
        }
        if (triplets.size() == 0) {
            return embeddings.sum().mul(0f);
        }
        return loss.forward(embeddings.indexSelect(0, indexTensor(triplets.anchors())),
                embeddings.indexSelect(0, indexTensor(triplets.positives())),
                embeddings.indexSelect(0, indexTensor(triplets.negatives())));
    }

    /**
     * All pairwise Euclidean distances, from one matrix product instead of N² loops:
     * <pre>
     *   D[i][j]² = ‖e_i‖² + ‖e_j‖² − 2 e_i·e_j        (clamped at 0: rounding can make it −1e−7)
     * </pre>
     * Shape: (N, D) → (N, N). Differentiable, but call it without gradient for mining: the square
     * root has an infinite derivative on the diagonal, where D = 0.
     */
    public static Tensor pairwiseDistances(Tensor embeddings) {
        if (embeddings.dim() != 2) {
            throw new ShapeException("pairwiseDistances: expected embeddings (N, D) but got " + Shape.format(embeddings.shape()));
        }
        Tensor squaredNorms = embeddings.mul(embeddings).sum(1, true);                   // (N, 1)
        Tensor dots = embeddings.matmul(embeddings.t());                                   // (N, N)
        return squaredNorms.add(squaredNorms.t()).sub(dots.mul(2f)).clampMin(0f).sqrt();
    }

    /** Batch-hard: for each anchor with a positive and a negative, its farthest positive and nearest negative. */
    public static Triplets batchHard(Tensor distances, int[] labels) {
        int n = checkSquare(distances, labels);
        float[] d = distances.contiguous().data();
        IndexLists out = new IndexLists(n);
        for (int a = 0; a < n; a++) {
            int hardestPositive = -1;
            int hardestNegative = -1;
            for (int j = 0; j < n; j++) {                     // one pass over the anchor's row
                float dj = d[a * n + j];
                if (j == a) {
                    continue;
                }
                if (labels[j] == labels[a]) {
                    if (hardestPositive < 0 || dj > d[a * n + hardestPositive]) {
                        hardestPositive = j;
                    }
                } else if (hardestNegative < 0 || dj < d[a * n + hardestNegative]) {
                    hardestNegative = j;
                }
            }
            if (hardestPositive >= 0 && hardestNegative >= 0) {
                out.add(a, hardestPositive, hardestNegative);
            }
        }
        return out.toTriplets();
    }

    /**
     * Semi-hard: for each anchor-positive pair, the nearest negative n with
     * D[a][p] &lt; D[a][n] &lt; D[a][p] + margin; pairs without one are skipped.
     */
    public static Triplets semiHard(Tensor distances, int[] labels, double margin) {
        int n = checkSquare(distances, labels);
        float[] d = distances.contiguous().data();
        IndexLists out = new IndexLists(n * 4);
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {                     // every positive of the anchor
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                float positive = d[a * n + p];
                int chosen = -1;
                for (int j = 0; j < n; j++) {                 // the nearest negative inside the band
                    float dj = d[a * n + j];
                    boolean inBand = labels[j] != labels[a] && dj > positive && dj < positive + margin;
                    if (inBand && (chosen < 0 || dj < d[a * n + chosen])) {
                        chosen = j;
                    }
                }
                if (chosen >= 0) {
                    out.add(a, p, chosen);
                }
            }
        }
        return out.toTriplets();
    }

    /**
     * The mean hinge over every valid triplet of the batch ("batch-all", Hermans et al. 2017), a
     * progress monitor that does not depend on which triplets were mined:
     * <pre>
     *   mean over all (a, p, n) with y_p = y_a, p ≠ a, y_n ≠ y_a of  max(D[a][p] − D[a][n] + margin, 0)
     * </pre>
     * The semi-hard loss itself stays near margin / 2 all along (each mined triplet lies inside the
     * band by construction), so it shows little; this one falls as the classes separate.
     * Returns 0 when the batch has no valid triplet.
     */
    public static double allTripletsLoss(Tensor distances, int[] labels, double margin) {
        int n = checkSquare(distances, labels);
        float[] d = distances.contiguous().data();
        double sum = 0;
        long count = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {                     // every positive of the anchor
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int j = 0; j < n; j++) {                 // every negative
                    if (labels[j] != labels[a]) {
                        sum += Math.max(d[a * n + p] - d[a * n + j] + margin, 0);
                        count++;
                    }
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The fraction of the batch whose nearest other image has the same label: the in-batch
     * 1-nearest-neighbour accuracy that the example's progress bar shows as "acc".
     */
    public static double nearestNeighbourAccuracy(Tensor distances, int[] labels) {
        int n = checkSquare(distances, labels);
        float[] d = distances.contiguous().data();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int nearest = -1;
            for (int j = 0; j < n; j++) {
                if (j != i && (nearest < 0 || d[i * n + j] < d[i * n + nearest])) {
                    nearest = j;
                }
            }
            correct += nearest >= 0 && labels[nearest] == labels[i] ? 1 : 0;
        }
        return n == 0 ? 0 : (double) correct / n;
    }

    /** Indices as the 1-D float tensor that {@code indexSelect} takes. */
    public static Tensor indexTensor(int[] indices) {
        float[] values = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            values[i] = indices[i];
        }
        return Tensor.wrap(values, indices.length);
    }

    private static int checkSquare(Tensor distances, int[] labels) {
        int n = labels.length;
        if (distances.dim() != 2 || distances.size(0) != n || distances.size(1) != n) {
            throw new ShapeException("TripletMining: expected distances (" + n + ", " + n + ") for " + n
                    + " labels but got " + Shape.format(distances.shape()));
        }
        return n;
    }

    /** Three growing int arrays, filled triplet by triplet. */
    private static final class IndexLists {
        private int[] anchors;
        private int[] positives;
        private int[] negatives;
        private int size;

        IndexLists(int capacity) {
            anchors = new int[Math.max(capacity, 1)];
            positives = new int[anchors.length];
            negatives = new int[anchors.length];
        }

        void add(int anchor, int positive, int negative) {
            if (size == anchors.length) {
                anchors = Arrays.copyOf(anchors, 2 * size);
                positives = Arrays.copyOf(positives, 2 * size);
                negatives = Arrays.copyOf(negatives, 2 * size);
            }
            anchors[size] = anchor;
            positives[size] = positive;
            negatives[size] = negative;
            size++;
        }

        Triplets toTriplets() {
            return new Triplets(Arrays.copyOf(anchors, size), Arrays.copyOf(positives, size),
                    Arrays.copyOf(negatives, size));
        }
    }
}
