package kindling.examples.triplet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Batches of P classes × K images each, the batches that batch-hard mining needs (Hermans et al.
 * 2017): every anchor then has K − 1 positives and (P − 1)·K negatives in its batch. A plain
 * shuffled batch of 64 Fashion-MNIST images has about 6 per class, by chance sometimes 1 — an
 * anchor without a positive gives no triplet.
 * <pre>
 *   batch = [ K images of class c_1, K images of class c_2, ..., K images of class c_P ]
 *   c_1..c_P: P distinct classes drawn at random (among those with at least K images)
 *   the K images of a class: the next K of that class's own shuffled list, reshuffled when fewer
 *   than K are left, so every image is seen about equally often and the K are distinct
 * </pre>
 * Seeded: the same labels, P, K and seed give the same batches.
 */
public final class PKSampler {
    private final int p;
    private final int k;
    private final Random random;
    private final List<int[]> classIndices = new ArrayList<>();   // per usable class, its images, shuffled
    private int[] cursors;

    /** A sampler over {@code labels} (one per training image; values 0, 1, 2, ...) drawing P classes × K images. */
    public PKSampler(int[] labels, int p, int k, long seed) {
        if (p < 1) {
            throw new IllegalArgumentException("PKSampler: p (classes per batch) must be at least 1, got " + p);
        }
        if (k < 1) {
            throw new IllegalArgumentException("PKSampler: k (images per class) must be at least 1, got " + k);
        }
        this.p = p;
        this.k = k;
        this.random = new Random(seed);
        int classes = 0;
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("PKSampler: labels must be 0 or more, got " + label);
            }
            classes = Math.max(classes, label + 1);
        }
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] < k) {
                continue;                                 // too few images for K distinct ones
            }
            int[] members = new int[counts[c]];
            int filled = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members[filled++] = i;
                }
            }
            shuffle(members);
            classIndices.add(members);
        }
        if (classIndices.size() < p) {
            throw new IllegalArgumentException("PKSampler: p = " + p + " classes per batch, but only "
                    + classIndices.size() + " classes have at least k = " + k + " images");
        }
        cursors = new int[classIndices.size()];
    }

    /** P·K, the size of every batch. */
    public int batchSize() {
        return p * k;
    }

    /** The next batch: P·K indices into the labels, class by class (K of the first class, then K of the second, ...). */
    public int[] next() {
        int[] order = new int[classIndices.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order);                                   // the first P of a random order: P distinct classes
        int[] batch = new int[p * k];
        for (int slot = 0; slot < p; slot++) {
            int c = order[slot];
            int[] members = classIndices.get(c);
            if (cursors[c] + k > members.length) {        // fewer than K left in this pass: a new pass
                shuffle(members);
                cursors[c] = 0;
            }
            for (int j = 0; j < k; j++) {
                batch[slot * k + j] = members[cursors[c]++];
            }
        }
        return batch;
    }

    /** Fisher–Yates: for i from the end, swap a[i] with a[j], j uniform in 0..i. */
    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
