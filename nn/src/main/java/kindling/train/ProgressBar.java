package kindling.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Progress through one epoch. On a terminal it redraws one line with a carriage return:
 * <pre>
 *   epoch 3/10 [=========>          ] 120/235 loss 0.5120 acc 0.8100 ETA 0:12 5,230 img/s
 * </pre>
 * When the output is not a terminal (a log file, CI, an IDE console) a carriage return would not
 * redraw anything, so it prints a plain line at 25, 50, 75 and 100 % of the epoch instead: four lines
 * an epoch however many batches it has, with no carriage returns or colour codes.
 *
 * <p>The rate counts what the data is made of: images by default, or the {@code unit} given to the
 * constructor ({@code "words"}, {@code "seq"}, {@code "tokens"}).
 */
public final class ProgressBar {
    private static final int WIDTH = 20;
    /** Plain lines per epoch outside a terminal: one at every quarter. */
    static final int PLAIN_LINES = 4;
    private final PrintStream out;
    private final boolean redraw;
    private final String label;
    private final int total;
    private final String unit;
    private final long start = System.nanoTime();
    private int lastQuarter;
    private int lastLength;

    /** {@code redraw}: one self-overwriting line (a terminal) instead of plain lines; the rate counts images. */
    public ProgressBar(PrintStream out, boolean redraw, String label, int total) {
        this(out, redraw, label, total, "img");
    }

    /**
     * {@code redraw}: one self-overwriting line (a terminal) instead of plain lines; {@code unit} names
     * what the count given to {@link #update} counts, shown as {@code unit/s} (for example "words" or "seq").
     */
    public ProgressBar(PrintStream out, boolean redraw, String label, int total, String unit) {
        if (total < 0) {
            throw new IllegalArgumentException("ProgressBar: total must be >= 0, got " + total);
        }
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("ProgressBar: unit must name what is counted, got '" + unit + "'");
        }
        this.out = out;
        this.redraw = redraw;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /**
     * Whether standard output is an interactive terminal. Until JDK 21 {@link System#console()} is null
     * when input or output is redirected; from JDK 22 it may return a console anyway, and
     * {@code Console.isTerminal()} (JDK 22+, called by reflection because this code targets 17) says
     * whether it is a real terminal.
     */
    public static boolean onTerminal() {
        return isTerminal(System.console());
    }

    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;                            // JDK 17 to 21: a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;                           // unsure: plain lines are right everywhere
        }
    }

    /**
     * Reports that {@code done} of the batches are finished, with the running loss and accuracy and
     * {@code seen}, how many items (images, or the constructor's unit) have gone through so far.
     */
    public void update(int done, double loss, double accuracy, long seen) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seconds > 0 ? seen / seconds : 0;
        double eta = done > 0 ? seconds * Math.max(0, total - done) / done : 0;
        String figures = String.format("%d/%d loss %.4f acc %.4f ETA %s %,.0f %s/s", done, total, loss, accuracy,
                clock(eta), rate, unit);
        if (redraw) {
            int filled = total == 0 ? WIDTH : Math.min(WIDTH, WIDTH * done / total);
            String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
            String line = label + " [" + bar + "] " + figures;
            // Spaces over the end of a longer previous line (the ETA and rate change width).
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            if (done >= total) {
                out.println();
            }
        } else {
            int quarter = total == 0 ? PLAIN_LINES : (int) Math.min(PLAIN_LINES, (long) PLAIN_LINES * done / total);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
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
