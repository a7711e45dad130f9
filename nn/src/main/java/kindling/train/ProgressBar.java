package kindling.train;

import java.io.PrintStream;

/**
 * Progress through one epoch. On a terminal it redraws one line with a carriage return:
 * <pre>
 *   epoch 3/10 [=========>          ] 120/235 loss 0.5120 acc 0.8100 ETA 0:12 5,230 img/s
 * </pre>
 * When the output is not a terminal (a log file, CI, an IDE console that is not a tty) it prints a
 * plain line at every tenth of the epoch instead, with no carriage returns or colour codes.
 */
public final class ProgressBar {
    private static final int WIDTH = 20;
    private final PrintStream out;
    private final boolean redraw;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private int lastDecile = -1;

    /** {@code redraw}: one self-overwriting line (a terminal) instead of plain lines. */
    public ProgressBar(PrintStream out, boolean redraw, String label, int total) {
        this.out = out;
        this.redraw = redraw;
        this.label = label;
        this.total = total;
    }

    /** Whether standard output is an interactive terminal. */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    /** Reports that {@code done} of the batches are finished, with the running loss and accuracy and the images seen. */
    public void update(int done, double loss, double accuracy, long images) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seconds > 0 ? images / seconds : 0;
        double eta = done > 0 ? seconds * (total - done) / done : 0;
        String figures = String.format("%d/%d loss %.4f acc %.4f ETA %s %,.0f img/s", done, total, loss, accuracy,
                clock(eta), rate);
        if (redraw) {
            int filled = total == 0 ? WIDTH : WIDTH * done / total;
            String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
            out.print("\r" + label + " [" + bar + "] " + figures);
            if (done == total) {
                out.println();
            }
        } else {
            int decile = total == 0 ? 10 : 10 * done / total;
            if (decile != lastDecile && (decile > lastDecile)) {
                lastDecile = decile;
                out.println(label + " " + figures);
            }
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
