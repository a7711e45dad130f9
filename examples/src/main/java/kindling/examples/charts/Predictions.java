package kindling.examples.charts;

import java.util.Arrays;
import kindling.autograd.NoGrad;
import kindling.data.Batch;
import kindling.data.Batches;
import kindling.nn.Module;

/**
 * A classifier's answers on a data set, example by example, in the order the batches came:
 * {@code targets[i]} is example i's true class, {@code predicted[i]} the class with the largest
 * logit, {@code argmax_c logits[i][c]}. With an unshuffled loader, index i is the data set's example i.
 */
public record Predictions(int[] targets, int[] predicted) {
    public Predictions {
        if (targets.length != predicted.length) {
            throw new IllegalArgumentException("Predictions: " + targets.length + " targets but "
                    + predicted.length + " predictions");
        }
    }

    /** Runs {@code model} over {@code data} in eval mode without gradients (restoring its mode) and keeps its answers. */
    public static Predictions of(Module model, Batches data) {
        int[] targets = new int[16];
        int[] predicted = new int[16];
        int n = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch batch : data) {
                float[] classes = model.forward(batch.inputs()).argmax(1).toArray();
                float[] truth = batch.targets().toArray();
                if (n + classes.length > targets.length) {
                    int capacity = Math.max(2 * targets.length, n + classes.length);
                    targets = Arrays.copyOf(targets, capacity);
                    predicted = Arrays.copyOf(predicted, capacity);
                }
                for (int i = 0; i < classes.length; i++) {
                    targets[n] = (int) truth[i];
                    predicted[n++] = (int) classes[i];
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Predictions(Arrays.copyOf(targets, n), Arrays.copyOf(predicted, n));
    }

    public int size() {
        return targets.length;
    }

    /** The indices i where {@code predicted[i] != targets[i]}, in order, at most {@code limit} of them. */
    public int[] misclassified(int limit) {
        int[] wrong = new int[Math.min(limit, targets.length)];
        int n = 0;
        for (int i = 0; i < targets.length && n < wrong.length; i++) {
            if (predicted[i] != targets[i]) {
                wrong[n++] = i;
            }
        }
        return Arrays.copyOf(wrong, n);
    }

    /** The confusion matrix of these answers over {@code classes} classes. */
    public ConfusionMatrix confusionMatrix(int classes) {
        return ConfusionMatrix.of(classes, targets, predicted);
    }
}
