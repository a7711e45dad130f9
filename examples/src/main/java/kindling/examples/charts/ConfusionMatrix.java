package kindling.examples.charts;

/**
 * Counts of (true class, predicted class) pairs for a classifier: row t, column p holds how many
 * examples of class t the model called p. The diagonal holds the correct answers.
 * <pre>
 *   int[] targets = {6, 6, 0, 1};                      // true classes
 *   int[] predicted = {6, 0, 0, 1};                    // the model's
 *   ConfusionMatrix m = ConfusionMatrix.of(10, targets, predicted);
 *   long shirtsCalledTShirts = m.count(6, 0);
 * </pre>
 * <pre>
 *   accuracy  = Σ_c m[c][c] / Σ_t Σ_p m[t][p]
 *   recall(c) = m[c][c] / Σ_p m[c][p]         the share of class c that was found
 * </pre>
 * This is {@code sklearn.metrics.confusion_matrix(y_true, y_pred)}: rows are true classes,
 * columns predictions.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    /** An empty matrix over {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: classes must be at least 1, got " + classes);
        }
        counts = new long[classes][classes];
    }

    /** The matrix of {@code targets[i]} against {@code predicted[i]} for every i. */
    public static ConfusionMatrix of(int classes, int[] targets, int[] predicted) {
        if (targets.length != predicted.length) {
            throw new IllegalArgumentException("ConfusionMatrix: " + targets.length + " targets but "
                    + predicted.length + " predictions");
        }
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        for (int i = 0; i < targets.length; i++) {
            matrix.add(targets[i], predicted[i]);
        }
        return matrix;
    }

    /** Counts one example of class {@code actual} predicted as {@code predicted}. */
    public void add(int actual, int predicted) {
        int n = counts.length;
        if (actual < 0 || actual >= n || predicted < 0 || predicted >= n) {
            throw new IllegalArgumentException("ConfusionMatrix over " + n + " classes: class indices must be in [0, "
                    + n + "), got true " + actual + ", predicted " + predicted);
        }
        counts[actual][predicted]++;
    }

    public int classes() {
        return counts.length;
    }

    /** How many examples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** All examples counted. */
    public long total() {
        long sum = 0;
        for (long[] row : counts) {
            for (long c : row) {
                sum += c;
            }
        }
        return sum;
    }

    /** The share on the diagonal: correct predictions over all examples (NaN when empty). */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return (double) correct / total();
    }

    /** Of the examples of class {@code c}, the share predicted as {@code c} (NaN if there were none). */
    public double recall(int c) {
        long row = 0;
        for (long n : counts[c]) {
            row += n;
        }
        return (double) counts[c][c] / row;
    }

    /** The largest single count, which sets the top of a heat map's colour scale. */
    public long max() {
        long max = 0;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    /** The counts as a table, true classes down, predictions across, classes by number. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("true\\pred");
        for (int p = 0; p < counts.length; p++) {
            s.append(String.format("%7d", p));
        }
        for (int t = 0; t < counts.length; t++) {
            s.append(String.format("%n%9d", t));
            for (long c : counts[t]) {
                s.append(String.format("%7d", c));
            }
        }
        return s.toString();
    }

    /**
     * The counts as a table whose rows name the true classes ({@code "4 Coat"}); the columns, the
     * predictions, are numbered the same way, which keeps ten classes within a terminal's width.
     */
    public String toString(String[] names) {
        if (names.length != counts.length) {
            throw new IllegalArgumentException("confusion matrix: " + counts.length + " classes but "
                    + names.length + " names");
        }
        int width = "true \\ predicted".length();
        for (int t = 0; t < names.length; t++) {
            width = Math.max(width, (t + " " + names[t]).length());
        }
        StringBuilder s = new StringBuilder(String.format("%-" + width + "s", "true \\ predicted"));
        for (int p = 0; p < counts.length; p++) {
            s.append(String.format("%7d", p));
        }
        for (int t = 0; t < counts.length; t++) {
            s.append(String.format("%n%-" + width + "s", t + " " + names[t]));
            for (long c : counts[t]) {
                s.append(String.format("%7d", c));
            }
        }
        return s.toString();
    }
}
