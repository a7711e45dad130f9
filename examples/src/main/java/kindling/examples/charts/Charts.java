package kindling.examples.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import kindling.tensor.Tensor;
import kindling.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * PNG charts of training runs: curves and the confusion matrix drawn with XChart, image grids with
 * java.awt. Always written to files, so they work without a display (CI, ssh). After
 * {@link #showWindows showWindows(true)} (the examples' {@code --show}) each chart also opens in a
 * window when the machine has a display ({@link GraphicsEnvironment#isHeadless()} false); the window
 * does not block the program, which ends when the last window is closed.
 */
public final class Charts {
    private static boolean show;

    private Charts() {
    }

    /** Whether charts written from now on also open in a window (only where a display exists). */
    public static void showWindows(boolean on) {
        show = on;
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

    /**
     * The confusion matrix as a heat map: true classes down (first class at the top), predicted
     * classes across, each cell coloured by its count (white at 0, blue at the largest) and
     * labelled with it.
     */
    public static Path confusionMatrix(String title, ConfusionMatrix matrix, String[] classNames, Path png)
            throws IOException {
        int n = matrix.classes();
        if (classNames.length != n) {
            throw new IllegalArgumentException("confusionMatrix: " + n + " classes but " + classNames.length + " names");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(820).height(760).title(title)
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true).setMin(0).setMax(Math.max(1, matrix.max()))
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x9E, 0xCA, 0xE1), new Color(0x31, 0x82, 0xBD)})
                .setHeatMapValueDecimalPattern("#").setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setLegendVisible(false).setPlotContentSize(1.0);
        // Every class name on both axes: XChart skips category labels closer than its tick spacing
        // hint (74 px by default), so the hint is lowered and the predicted names are slanted.
        chart.getStyler().setXAxisTickMarkSpacingHint(30).setYAxisTickMarkSpacingHint(30)
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11)).setXAxisLabelRotation(40);
        List<String> predicted = List.of(classNames);
        List<String> actual = new ArrayList<>();
        for (int t = n - 1; t >= 0; t--) {                  // XChart's y index 0 is the bottom row
            actual.add(classNames[t]);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                cells.add(new Number[] {p, n - 1 - t, matrix.count(t, p)});
            }
        }
        chart.addSeries("counts", predicted, actual, cells);
        return save(chart, png);
    }

    /**
     * A grid of the first misclassified test images ({@code rows × cols} at most), each captioned
     * "true → predicted". {@code images} (N, 1, H, W) are the images the predictions were made for,
     * in the same order.
     */
    public static Path misclassified(String title, Tensor images, Predictions predictions, String[] classNames,
            int rows, int cols, Path png) throws IOException {
        if (images.size(0) != predictions.size()) {
            throw new IllegalArgumentException("misclassified: " + images.size(0) + " images but "
                    + predictions.size() + " predictions");
        }
        int[] wrong = predictions.misclassified(rows * cols);
        float[] index = new float[wrong.length];
        String[] captions = new String[wrong.length];
        for (int i = 0; i < wrong.length; i++) {
            index[i] = wrong[i];
            captions[i] = classNames[predictions.targets()[wrong[i]]] + " → " + classNames[predictions.predicted()[wrong[i]]];
        }
        Tensor chosen = images.indexSelect(0, Tensor.wrap(index, wrong.length));
        BufferedImage grid = ImageGrid.draw(title, chosen, captions, cols, 3);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(grid, "png", png.toFile());
        display(png);
        return png;
    }

    /**
     * A grid of grey images (K, 1, H, W) or (K, H, W), pixel values in [0, 1], {@code cols} to a row,
     * each under its caption (an empty string for none), scaled {@code scale} times.
     */
    public static Path images(String title, Tensor images, String[] captions, int cols, int scale, Path png)
            throws IOException {
        BufferedImage grid = ImageGrid.draw(title, images, captions, cols, scale);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(grid, "png", png.toFile());
        display(png);
        return png;
    }

    private static Path save(Chart<?, ?> chart, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        String name = png.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
        display(png);
        return png;
    }

    /**
     * Opens the written PNG in a window if {@link #showWindows} is on and a display exists. The window
     * is made on the Swing thread and this returns at once; closing it frees it.
     */
    private static void display(Path png) throws IOException {
        if (!show || GraphicsEnvironment.isHeadless()) {
            return;
        }
        BufferedImage image = ImageIO.read(png.toFile());
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame(png.getFileName().toString());
            frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
            frame.add(new JLabel(new ImageIcon(image)));
            frame.pack();
            frame.setLocationByPlatform(true);
            frame.setVisible(true);
        });
    }
}
