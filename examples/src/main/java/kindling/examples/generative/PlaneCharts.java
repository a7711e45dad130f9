package kindling.examples.generative;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kindling.examples.charts.Charts;
import kindling.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of the generative examples, drawn with XChart: panels (point clouds, paths, arrows of a
 * vector field, histograms against a density) laid out side by side in one PNG, so that a row of
 * panels reads as time going by.
 */
public final class PlaneCharts {
    private static final Color POINTS = new Color(31, 119, 180, 110);
    private static final Color TARGET = new Color(150, 150, 150, 70);

    private PlaneCharts() {
    }

    /** The points of an (n, 2) tensor as the rows (x, y) the panels take. */
    public static float[][] rows(Tensor points) {
        float[] xy = points.contiguous().toArray();
        float[][] rows = new float[points.size(0)][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {xy[2 * i], xy[2 * i + 1]};
        }
        return rows;
    }

    /** An empty panel with square axes over [−range, range]² and no legend. */
    public static XYChart plane(String title, double range) {
        XYChart chart = new XYChartBuilder().width(330).height(330).title(title).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisMin(-range).setXAxisMax(range).setYAxisMin(-range).setYAxisMax(range);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        return chart;
    }

    /** A panel of points (rows (x, y)), drawn over grey target points if {@code target} is not null. */
    public static XYChart scatter(String title, float[][] points, float[][] target, double range) {
        XYChart chart = plane(title, range);
        if (target != null) {
            addPoints(chart, "target", target, TARGET);
        }
        addPoints(chart, "points", points, POINTS);
        return chart;
    }

    private static void addPoints(XYChart chart, String name, float[][] points, Color color) {
        double[] x = new double[points.length];
        double[] y = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            x[i] = points[i][0];
            y[i] = points[i][1];
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color);
        chart.getStyler().setMarkerSize(3);
    }

    /**
     * Paths in the plane: {@code paths[p][s]} is particle p's position (x, y) at step s. Each path a thin
     * line from a black start dot to a red end dot, over grey target points.
     */
    public static XYChart paths(String title, float[][][] paths, float[][] target, double range) {
        XYChart chart = plane(title, range);
        if (target != null) {
            addPoints(chart, "target", target, TARGET);
        }
        float[][] starts = new float[paths.length][];
        float[][] ends = new float[paths.length][];
        for (int p = 0; p < paths.length; p++) {
            double[] x = new double[paths[p].length];
            double[] y = new double[paths[p].length];
            for (int s = 0; s < x.length; s++) {
                x[s] = paths[p][s][0];
                y[s] = paths[p][s][1];
            }
            XYSeries line = chart.addSeries("path " + p, x, y);
            line.setMarker(SeriesMarkers.NONE).setLineColor(new Color(60, 60, 60, 150)).setLineStyle(new BasicStroke(0.8f));
            starts[p] = paths[p][0];
            ends[p] = paths[p][x.length - 1];
        }
        addPoints(chart, "start", starts, Color.BLACK);
        addPoints(chart, "end", ends, Color.RED);
        return chart;
    }

    /**
     * Arrows of a vector field: at each point {@code at[i]} an arrow along {@code vectors[i]} times
     * {@code scale}, its head a quarter of its length. Long arrows are where the flow is fast.
     */
    public static XYChart arrows(String title, float[][] at, float[][] vectors, double scale, double range) {
        XYChart chart = plane(title, range);
        for (int i = 0; i < at.length; i++) {
            double x0 = at[i][0];
            double y0 = at[i][1];
            double dx = scale * vectors[i][0];
            double dy = scale * vectors[i][1];
            double x1 = x0 + dx;
            double y1 = y0 + dy;
            // the head: two strokes back from the tip, ±25° off the shaft, a quarter of its length
            double cos = Math.cos(Math.toRadians(25));
            double sin = Math.sin(Math.toRadians(25));
            double bx = -0.25 * dx;
            double by = -0.25 * dy;
            XYSeries arrow = chart.addSeries("arrow " + i,
                    new double[] {x0, x1, x1 + cos * bx - sin * by, x1, x1 + cos * bx + sin * by},
                    new double[] {y0, y1, y1 + sin * bx + cos * by, y1, y1 - sin * bx + cos * by});
            arrow.setMarker(SeriesMarkers.NONE).setLineColor(new Color(31, 119, 180)).setLineStyle(new BasicStroke(1f));
        }
        return chart;
    }

    /** A line chart with explicit x values, one series per entry; the legend only if {@code legend}. */
    public static XYChart lines(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series,
                                boolean legend) {
        XYChart chart = new XYChartBuilder().width(480).height(360).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(legend);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            chart.addSeries(entry.getKey(), x, entry.getValue()).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Several panels in a grid of {@code columns} columns, written to {@code png}. */
    public static Path save(List<XYChart> panels, int columns, Path png) throws IOException {
        return Charts.grid(panels, columns, png);
    }
}
