package kindling.data;

import kindling.tensor.Generator;

/** Helpers over data sets, as PyTorch's {@code random_split}. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into disjoint random subsets of the given sizes (which must add up to
     * its size), e.g. {@code randomSplit(train, new int[] {55000, 5000}, 0)} for training and validation.
     */
    public static Subset[] randomSplit(Dataset dataset, int[] sizes, long seed) {
        int total = 0;
        for (int size : sizes) {
            if (size < 0) {
                throw new IllegalArgumentException("randomSplit: sizes must be >= 0, got " + size);
            }
            total += size;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sizes add up to " + total + " but the data set has "
                    + dataset.size() + " examples");
        }
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Generator generator = new Generator(seed);
        for (int i = total - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        Subset[] parts = new Subset[sizes.length];
        int from = 0;
        for (int p = 0; p < sizes.length; p++) {
            int[] indices = new int[sizes[p]];
            System.arraycopy(order, from, indices, 0, sizes[p]);
            parts[p] = new Subset(dataset, indices);
            from += sizes[p];
        }
        return parts;
    }
}
