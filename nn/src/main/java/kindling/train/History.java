package kindling.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a training run measured, one {@link Epoch} per completed epoch. */
public final class History {
    /** One epoch's figures; the validation ones are NaN when there was no validation set. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                        double validationAccuracy, double seconds, double imagesPerSecond) {
    }

    private final List<Epoch> epochs = new ArrayList<>();

    public void add(Epoch epoch) {
        epochs.add(epoch);
    }

    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    /** One column per epoch of a figure, e.g. {@code series(Epoch::trainLoss)} for a chart. */
    public double[] series(java.util.function.ToDoubleFunction<Epoch> figure) {
        double[] values = new double[epochs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = figure.applyAsDouble(epochs.get(i));
        }
        return values;
    }

    /** A table, one line per epoch. */
    @Override
    public String toString() {
        return table("val");
    }

    /** A table, one line per epoch, whose validation columns are headed {@code validationName} ("test"). */
    public String table(String validationName) {
        String loss = validationName + " loss";
        String accuracy = validationName + " acc";
        StringBuilder s = new StringBuilder("epoch  train loss  train acc  " + loss + "  " + accuracy + "  seconds  img/s\n");
        for (Epoch e : epochs) {
            s.append(String.format("%5d  %10.4f  %9.4f  %" + loss.length() + ".4f  %" + accuracy.length()
                    + ".4f  %7.1f  %5s%n", e.epoch(), e.trainLoss(), e.trainAccuracy(), e.validationLoss(),
                    e.validationAccuracy(), e.seconds(), rate(e.imagesPerSecond())));
        }
        return s.toString();
    }

    /**
     * Images per second in the five characters under "img/s": whole numbers up to 99999, then
     * thousands ("1234k") and millions ("1234M"), so that a tiny, fast epoch (a test's, say) does not
     * push the line out of its columns.
     */
    static String rate(double imagesPerSecond) {
        if (!Double.isFinite(imagesPerSecond)) {
            return "-";
        }
        if (imagesPerSecond < 99_999.5) {
            return String.format("%.0f", imagesPerSecond);
        }
        if (imagesPerSecond < 9_999.5e3) {
            return String.format("%.0fk", imagesPerSecond / 1e3);
        }
        return String.format("%.0fM", imagesPerSecond / 1e6);
    }

    /** The history as lines of numbers (the format of {@link #parse}), for a checkpoint. */
    String serialize() {
        StringBuilder s = new StringBuilder();
        for (Epoch e : epochs) {
            s.append(e.epoch()).append(' ').append(e.trainLoss()).append(' ').append(e.trainAccuracy()).append(' ')
                    .append(e.validationLoss()).append(' ').append(e.validationAccuracy()).append(' ')
                    .append(e.seconds()).append(' ').append(e.imagesPerSecond()).append('\n');
        }
        return s.toString();
    }

    /**
     * The history {@link #serialize} wrote. Every line must hold the seven numbers of an epoch, the
     * epochs numbered 1, 2, 3, ... in order; anything else is an {@link IllegalArgumentException}
     * naming the line, so that a garbled checkpoint is refused rather than half read.
     */
    static History parse(String text) {
        History history = new History();
        String[] lines = text.split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" +");
            if (f.length != 7) {
                throw new IllegalArgumentException("history line " + (n + 1) + " has " + f.length
                        + " fields, expected 7 (epoch, train loss, train acc, val loss, val acc, seconds, img/s): '"
                        + line + "'");
            }
            try {
                Epoch epoch = new Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]));
                if (epoch.epoch() != history.epochs.size() + 1) {
                    throw new IllegalArgumentException("history line " + (n + 1) + " is epoch " + epoch.epoch()
                            + ", expected epoch " + (history.epochs.size() + 1));
                }
                history.add(epoch);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("history line " + (n + 1) + " is not seven numbers: '" + line + "'", e);
            }
        }
        return history;
    }
}
