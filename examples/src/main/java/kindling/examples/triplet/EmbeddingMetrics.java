package kindling.examples.triplet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import kindling.autograd.NoGrad;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * How good an embedding is, measured on images it was not trained on.
 * <pre>
 *   verification: "same class?" ⇔ ‖e_i − e_j‖ ≤ t
 *       accuracy(t) = (#same pairs with d ≤ t + #different pairs with d &gt; t) / #pairs
 *       reported at the best t over a balanced, seeded sample of pairs (as LFW's face verification)
 *   1-NN classification: the label of the nearest reference embedding
 *       ŷ_i = y_{j*},  j* = argmin_j ‖q_i − r_j‖
 * </pre>
 * The verification threshold is chosen on the very pairs it is scored on, so the accuracy is a
 * little optimistic; LFW's protocol picks it on 9 folds and scores the 10th. With thousands of
 * pairs and one number fitted, the difference is small.
 */
public final class EmbeddingMetrics {
    private EmbeddingMetrics() {
    }

    /** The verification accuracy at the best distance threshold, over {@code pairs} pairs (half same, half different). */
    public record Verification(double accuracy, double threshold, int pairs) {
    }

    /**
     * Samples {@code pairs / 2} same-class and {@code pairs / 2} different-class pairs of distinct
     * rows of {@code embeddings} (seeded) and returns the accuracy at the best threshold.
     * Shape: embeddings (N, D), labels N.
     */
    public static Verification verification(Tensor embeddings, int[] labels, int pairs, long seed) {
        checkRows("verification", embeddings, labels);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            while (byClass.size() <= labels[i]) {
                byClass.add(new ArrayList<>());
            }
            byClass.get(labels[i]).add(i);
        }
        int classesWithPairs = 0;
        int classes = 0;
        for (List<Integer> members : byClass) {
            classes += members.isEmpty() ? 0 : 1;
            classesWithPairs += members.size() >= 2 ? 1 : 0;
        }
        if (classes < 2 || classesWithPairs < 1) {
            throw new IllegalArgumentException("verification: need two classes and a class with two images, got "
                    + classes + " classes, " + classesWithPairs + " with two or more images");
        }
        Random random = new Random(seed);
        float[] e = embeddings.contiguous().data();
        int dim = embeddings.size(1);
        int half = pairs / 2;
        float[] distances = new float[2 * half];
        boolean[] same = new boolean[2 * half];
        for (int t = 0; t < 2 * half; t++) {
            boolean wantSame = t < half;
            int i;
            int j;
            do {                                          // draw until the pair is of the wanted kind
                i = random.nextInt(labels.length);
                List<Integer> members = byClass.get(labels[i]);
                j = wantSame ? members.get(random.nextInt(members.size())) : random.nextInt(labels.length);
            } while (i == j || (labels[i] == labels[j]) != wantSame);
            distances[t] = distance(e, i, j, dim);
            same[t] = wantSame;
        }
        return bestThreshold(distances, same);
    }

    /**
     * The threshold t that classifies the most pairs right with "same ⇔ d ≤ t". Sorts the
     * distances and sweeps t past them one group of equal distances at a time: passing a same pair
     * gains one right answer, passing a different pair loses one. The reported t is the midpoint
     * between the last distance counted as "same" and the next one.
     */
    public static Verification bestThreshold(float[] distances, boolean[] same) {
        int n = distances.length;
        if (same.length != n || n == 0) {
            throw new IllegalArgumentException("bestThreshold: need as many labels as distances, and at least one; got "
                    + n + " distances and " + same.length + " labels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(distances[x], distances[y]));
        int different = 0;
        for (boolean s : same) {
            different += s ? 0 : 1;
        }
        int correct = different;                          // t below every distance: all called "different"
        int best = correct;
        double bestThreshold = distances[order[0]] - 1e-6;
        int i = 0;
        while (i < n) {
            float d = distances[order[i]];
            while (i < n && distances[order[i]] == d) {   // all pairs at this distance become "same"
                correct += same[order[i]] ? 1 : -1;
                i++;
            }
            if (correct > best) {
                best = correct;
                bestThreshold = i < n ? (d + distances[order[i]]) / 2.0 : d;
            }
        }
        return new Verification((double) best / n, bestThreshold, n);
    }

    /**
     * The fraction of queries whose nearest reference (Euclidean) has the query's label. The
     * distances come from matrix products, 256 queries at a time:
     * <pre>
     *   ‖q − r‖² = ‖q‖² − 2 q·r + ‖r‖²,   argmin_j over a row needs only ‖r_j‖² − 2 q·r_j
     * </pre>
     * Shape: queries (M, D), references (N, D); ties go to the first reference.
     */
    public static double nearestNeighbourAccuracy(Tensor queries, int[] queryLabels, Tensor references,
            int[] referenceLabels) {
        checkRows("nearestNeighbourAccuracy", queries, queryLabels);
        checkRows("nearestNeighbourAccuracy", references, referenceLabels);
        if (queries.size(1) != references.size(1)) {
            throw new ShapeException("nearestNeighbourAccuracy: queries " + Shape.format(queries.shape())
                    + " and references " + Shape.format(references.shape()) + " differ in D");
        }
        int m = queries.size(0);
        int n = references.size(0);
        int correct = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor referencesT = references.t().contiguous();                             // (D, N)
            float[] squaredNorms = references.mul(references).sum(1).data();              // (N)
            for (int start = 0; start < m; start += 256) {
                int rows = Math.min(256, m - start);
                float[] dots = queries.narrow(0, start, rows).matmul(referencesT).data(); // (rows, N)
                for (int r = 0; r < rows; r++) {
                    int nearest = 0;
                    float nearestScore = Float.POSITIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        float score = squaredNorms[j] - 2f * dots[r * n + j];
                        if (score < nearestScore) {
                            nearestScore = score;
                            nearest = j;
                        }
                    }
                    correct += referenceLabels[nearest] == queryLabels[start + r] ? 1 : 0;
                }
            }
        }
        return m == 0 ? 0 : (double) correct / m;
    }

    private static float distance(float[] e, int i, int j, int dim) {
        double sum = 0;
        for (int c = 0; c < dim; c++) {
            double diff = e[i * dim + c] - e[j * dim + c];
            sum += diff * diff;
        }
        return (float) Math.sqrt(sum);
    }

    private static void checkRows(String what, Tensor embeddings, int[] labels) {
        if (embeddings.dim() != 2 || embeddings.size(0) != labels.length) {
            throw new ShapeException(what + ": expected embeddings (" + labels.length + ", D) for " + labels.length
                    + " labels but got " + Shape.format(embeddings.shape()));
        }
    }
}
