package kindling.examples.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kindling.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** PNG charts of training runs, drawn with XChart; written to files so they work without a display. */
public final class Charts {
    private Charts() {
    }

    /** A line chart of named series against 1, 2, 3, ... written to {@code png}. */
    public static Path lines(String title, String xLabel, String yLabel, Map<String, double[]> series, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
            }
            chart.addSeries(entry.getKey(), x, y);
        }
        return save(chart, png);
    }

    /**
     * Paths in the plane, one series per name: row t of each array is the point (x, y) after t
     * steps. Each point is marked, so the size of the steps shows.
     */
    public static Path paths(String title, String xLabel, String yLabel, Map<String, float[][]> paths, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        for (Map.Entry<String, float[][]> entry : paths.entrySet()) {
            float[][] points = entry.getValue();
            double[] x = new double[points.length];
            double[] y = new double[points.length];
            for (int t = 0; t < points.length; t++) {
                x[t] = points[t][0];
                y[t] = points[t][1];
            }
            chart.addSeries(entry.getKey(), x, y);
        }
        return save(chart, png);
    }

    /** d2l's training plot: train loss, train accuracy and validation accuracy per epoch. */
    public static Path history(String title, History history, Path png) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();      // the legend in d2l's order
        series.put("train loss", history.series(History.Epoch::trainLoss));
        series.put("train acc", history.series(History.Epoch::trainAccuracy));
        series.put("test acc", history.series(History.Epoch::validationAccuracy));
        return lines(title, "epoch", "", series, png);
    }

    /**
     * A scatter plot, one colour per named group of points: row i of each array is a point (x, y).
     * Small markers without lines, so thousands of points stay readable.
     */
    public static Path scatter(String title, String xLabel, String yLabel, Map<String, float[][]> groups, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        for (Map.Entry<String, float[][]> entry : groups.entrySet()) {
            float[][] points = entry.getValue();
            double[] x = new double[points.length];
            double[] y = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                x[i] = points[i][0];
                y[i] = points[i][1];
            }
            chart.addSeries(entry.getKey(), x, y);
        }
        return save(chart, png);
    }

    private static Path save(XYChart chart, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        String name = png.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
        return png;
    }
}
