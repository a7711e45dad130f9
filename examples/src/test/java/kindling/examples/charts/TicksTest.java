package kindling.examples.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.junit.jupiter.api.Test;

class TicksTest {
    private static XYChart chart(double[] x, double[] y) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title("t").xAxisTitle("x").yAxisTitle("y").build();
        chart.addSeries("curve", x, y);
        Ticks.roundAndUniform(chart);
        return chart;
    }

    private static Ticks.Format xFormat(XYChart chart) {
        return (Ticks.Format) chart.getStyler().getXAxisTickLabelsFormattingFunction();
    }

    private static Ticks.Format yFormat(XYChart chart) {
        return (Ticks.Format) chart.getStyler().getYAxisTickLabelsFormattingFunction();
    }

    /**
     * The ticks are whole multiples of a step of 1, 2 or 5 × 10^k, and few enough to read over the
     * data's range [lo, hi] (XChart also lays out ticks beyond the axis ends, which it does not draw).
     */
    private static void assertRound(List<Double> ticks, double lo, double hi) {
        long inside = ticks.stream().filter(t -> t >= lo && t <= hi).count();
        assertTrue(inside >= 2 && inside <= 12, "a readable number of ticks: " + ticks);
        double step = ticks.get(1) - ticks.get(0);
        double power = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double mantissa = Math.round(step / power * 1e6) / 1e6;
        assertTrue(mantissa == 1 || mantissa == 2 || mantissa == 5, "step " + step + " in " + ticks);
        for (double tick : ticks) {
            assertEquals(0, Math.abs(tick / step - Math.rint(tick / step)), 1e-6, tick + " is on the step " + step);
        }
    }

    @Test
    void equallySpacedStepsGetRoundTicksNotTheirOwnValues() {
        // A loss logged every 10 steps for 6,000 steps: XChart alone would tick 10, 350, 690, ...
        double[] x = new double[600];
        double[] y = new double[600];
        for (int i = 0; i < 600; i++) {
            x[i] = 10 * (i + 1);
            y[i] = 2.3 * Math.exp(-i / 150.0);
        }
        XYChart chart = chart(x, y);
        List<Double> ticks = xFormat(chart).ticks();
        assertRound(ticks, 10, 6000);
        assertTrue(ticks.get(1) - ticks.get(0) >= 500, "few enough to read: " + ticks);
        assertEquals("1,000", xFormat(chart).apply(1000.0));
        assertRound(yFormat(chart).ticks(), y[599], y[0]);
        assertTrue(chart.getSeries(Ticks.OFF_GRID) != null && !chart.getSeries(Ticks.OFF_GRID).isShowInLegend());
    }

    @Test
    void oneAxisHasOneNumberFormat() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {0.148, 0.135, 0.13, 0.129, 0.05, 0.03, 0.025, 0.021};
        Ticks.Format format = yFormat(chart(x, y));
        assertRound(format.ticks(), 0.021, 0.148);
        assertEquals(2, format.decimals(), "steps of 0.02 or 0.05: " + format.ticks());
        assertEquals("0.10", format.apply(0.1));
        assertEquals("0.08", format.apply(0.08));
        assertEquals("0.00", format.apply(-1e-17), "no minus zero");
    }

    @Test
    void aFewEpochsAreTickedAtWholeEpochs() {
        XYChart chart = chart(new double[] {1, 2, 3}, new double[] {2.3, 1.2, 0.7});
        assertEquals(List.of(1.0, 2.0, 3.0), xFormat(chart).ticks());
        assertEquals("2", xFormat(chart).apply(2.0));
        assertEquals(null, chart.getSeries(Ticks.OFF_GRID), "no hidden series needed");
    }

    @Test
    void aSinglePointKeepsItsValue() {
        Ticks.Format format = yFormat(chart(new double[] {1}, new double[] {1.2}));
        assertEquals("1.2", format.apply(1.2));
    }

    @Test
    void decimalsFollowTheStep() {
        assertEquals(0, Ticks.decimalsFor(5));
        assertEquals(0, Ticks.decimalsFor(1));
        assertEquals(1, Ticks.decimalsFor(0.5));
        assertEquals(1, Ticks.decimalsFor(0.1));
        assertEquals(2, Ticks.decimalsFor(0.02));
        assertEquals(3, Ticks.decimalsFor(0.001));
        assertEquals("12,000", Ticks.format(12000, 0));
        assertEquals("1.25", Ticks.shortest(1.25));
        assertEquals("3", Ticks.shortest(3.0));
    }
}
