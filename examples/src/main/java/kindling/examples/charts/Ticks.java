package kindling.examples.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Readable axes for every XY chart: ticks at round numbers (0, 100, 200, ... or 0.02, 0.04, ...) and
 * one number format per axis (0.08, 0.10, 0.12, never ".08" beside "0.1").
 *
 * <p>XChart 4 does two things this fixes. When the x values are equally spaced (a curve logged every
 * step) it puts its ticks on the data's own x values, as many as fit, so a 600-point curve gets
 * "1 35 69 103 ..." run together; a disabled one-point series off that grid makes it fall back to its
 * usual round steps of 1, 2 or 5 × 10^k (a dozen points or fewer keep their own values as ticks, so
 * epochs stay whole numbers). And its default number format drops the leading zero and
 * trailing zeros; here each axis is drawn once to learn the step XChart chose, then every label gets
 * as many decimals as the step needs.
 */
final class Ticks {
    /**
     * Up to this many equally spaced x values keep XChart's ticks at the values themselves: epochs 1, 2,
     * 3 rather than 1.0, 1.2, 1.4.
     */
    static final int FEW_POINTS = 12;
    /** The name of the hidden series; never in the legend. */
    static final String OFF_GRID = " off-grid x ";

    private Ticks() {
    }

    /** Round ticks and one format per axis on {@code chart}; call it after the last series is added. */
    static void roundAndUniform(XYChart chart) {
        breakEqualSpacing(chart);
        Format x = new Format();
        Format y = new Format();
        chart.getStyler().setXAxisTickLabelsFormattingFunction(x).setYAxisTickLabelsFormattingFunction(y);
        BitmapEncoder.getBufferedImage(chart);       // lays the axes out once, recording their ticks
        x.settle();
        y.settle();
    }

    private static void breakEqualSpacing(XYChart chart) {
        if (chart.getSeries(OFF_GRID) != null) {
            return;
        }
        TreeSet<Double> xs = new TreeSet<>();
        double y = Double.NaN;
        for (XYSeries series : chart.getSeriesCollection()) {
            for (int i = 0; i < series.getXData().length; i++) {
                xs.add(series.getXData()[i]);
                if (Double.isNaN(y) && Double.isFinite(series.getYData()[i])) {
                    y = series.getYData()[i];
                }
            }
        }
        if (xs.size() <= FEW_POINTS || Double.isNaN(y)) {
            return;                  // a few points (epochs 1 to 10) are best ticked at their own values
        }
        double first = xs.first();
        double between = first + (xs.higher(first) - first) / 3;   // inside the range, on no grid point
        XYSeries hidden = chart.addSeries(OFF_GRID, new double[] {between}, new double[] {y});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
        hidden.setEnabled(false);
    }

    /**
     * Tick labels with one number of decimals: the fewest that show the step between ticks. Until
     * {@link #settle} it records the ticks XChart asks for (XChart lays an axis out by trying ever
     * coarser steps; the last ascending run is the one drawn) and writes them in their shortest form.
     */
    static final class Format implements Function<Double, String> {
        private final List<Double> run = new ArrayList<>();
        private boolean settled;
        private int decimals = -1;

        @Override
        public String apply(Double value) {
            if (decimals >= 0) {
                return format(value, decimals);
            }
            if (!settled) {
                if (!run.isEmpty() && value <= run.get(run.size() - 1)) {
                    run.clear();                               // a new try with a coarser step
                }
                run.add(value);
            }
            return shortest(value);
        }

        /**
         * Fixes the decimals from the recorded step. With fewer than two ticks (all points at one
         * value, which XChart labels alone) there is no step, and the label stays the value's shortest
         * form: 1.2, not 1.
         */
        void settle() {
            settled = true;
            decimals = run.size() < 2 ? -1 : decimalsFor(run.get(1) - run.get(0));
        }

        int decimals() {
            return decimals;
        }

        /** The ticks of the last layout before {@link #settle}, in order. */
        List<Double> ticks() {
            return List.copyOf(run);
        }
    }

    /** {@code value} with as few decimals as show it to 6 places. */
    static String shortest(double value) {
        return format(value, 6).replaceAll("\\.?0+$", "");
    }

    /** How many decimals show a step of 1, 2 or 5 × 10^k exactly: 0 for 1 and above, k digits for 10^−k. */
    static int decimalsFor(double step) {
        if (!(step > 0)) {
            return 0;
        }
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    /** {@code value} with {@code decimals} decimals, thousands grouped, no "−0". */
    static String format(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%,." + decimals + "f", value);
        return text.matches("-[0.,]+") ? text.substring(1) : text;
    }
}
