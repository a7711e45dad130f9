package kindling.examples.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
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
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of training runs: curves and the confusion matrix drawn with XChart, image grids with
 * java.awt. Always written to files, so they work without a display (CI, ssh). After
 * {@link #showWindows showWindows(true)} (the examples' {@code --show}) each chart also opens in a
 * window when the machine has a display ({@link GraphicsEnvironment#isHeadless()} false); the window
 * does not block the program, which ends when the last window is closed. Without a display
 * {@code --show} says once that no window can open and where the PNG files are.
 *
 * <p>Every XY chart gets ticks at round numbers with one number format per axis (see {@code Ticks}).
 */
public final class Charts {
    /** Curves with more points than this are drawn as lines without a marker on every point. */
    private static final int MARKED_POINTS = 60;
    private static final Color CONTOUR = new Color(0x9A, 0xA5, 0xB1);
    private static boolean show;
    private static boolean toldHeadless;

    private Charts() {
    }

    /** Whether charts written from now on also open in a window (only where a display exists). */
    public static void showWindows(boolean on) {
        show = on;
    }

    /** A line chart of named series against 1, 2, 3, ... written to {@code png}. */
    public static Path lines(String title, String xLabel, String yLabel, Map<String, double[]> series, Path png)
            throws IOException {
        return lines(title, xLabel, yLabel, series, 1, png);
    }

    /**
     * A line chart of named series whose point i is at x = (i + 1) · {@code xEvery}: a curve logged every
     * {@code xEvery} steps, drawn against the step itself. Points are marked only while they are few
     * enough to tell apart.
     */
    public static Path lines(String title, String xLabel, String yLabel, Map<String, double[]> series, double xEvery,
            Path png) throws IOException {
        XYChart chart = xyChart(640, 420, title, xLabel, yLabel);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = (i + 1) * xEvery;
            }
            XYSeries line = chart.addSeries(entry.getKey(), x, y);
            if (y.length > MARKED_POINTS) {
                line.setMarker(SeriesMarkers.NONE);
            }
        }
        return save(chart, png);
    }

    /**
     * Paths in the plane, one series per name: row t of each array is the point (x, y) after t
     * steps. Each point is marked, so the size of the steps shows.
     */
    public static Path paths(String title, String xLabel, String yLabel, Map<String, float[][]> paths, Path png)
            throws IOException {
        return paths(title, xLabel, yLabel, paths, null, png);
    }

    /**
     * Paths over the contour lines of the function they descend, as d2l's optimisation chapter draws
     * them: the lines of equal {@code f} show the valley, so a zig-zag across it and a shortcut along
     * it are visible. The contours cover the paths' bounding box with a margin; {@code f} null draws
     * none.
     */
    public static Path paths(String title, String xLabel, String yLabel, Map<String, float[][]> paths,
            DoubleBinaryOperator f, Path png) throws IOException {
        XYChart chart = xyChart(720, 520, title, xLabel, yLabel);
        if (f != null) {
            addContours(chart, f, paths);
        }
        // The paths keep the theme's first colours and markers although the contours were added first.
        Color[] colors = chart.getStyler().getSeriesColors();
        Marker[] markers = chart.getStyler().getSeriesMarkers();
        int k = 0;
        for (Map.Entry<String, float[][]> entry : paths.entrySet()) {
            float[][] points = entry.getValue();
            double[] x = new double[points.length];
            double[] y = new double[points.length];
            for (int t = 0; t < points.length; t++) {
                x[t] = points[t][0];
                y[t] = points[t][1];
            }
            XYSeries path = chart.addSeries(entry.getKey(), x, y);
            path.setMarker(markers[k % markers.length]).setMarkerColor(colors[k % colors.length]);
            path.setLineColor(colors[k % colors.length]).setLineStyle(SeriesLines.SOLID);
            k++;
        }
        return save(chart, png);
    }

    /** Thin grey contour lines of {@code f} behind the paths, with one legend entry naming their spacing. */
    private static void addContours(XYChart chart, DoubleBinaryOperator f, Map<String, float[][]> paths) {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (float[][] points : paths.values()) {
            for (float[] p : points) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)) {
            return;                                          // no points, or points off the plane: no box
        }
        double mx = Math.max(0.1 * (x1 - x0), 0.1);
        double my = Math.max(0.1 * (y1 - y0), 0.1);
        x0 -= mx;
        x1 += mx;
        y0 -= my;
        y1 += my;
        int grid = 150;
        double[] levels = Contours.levels(f, x0, x1, y0, y1, grid, 12);
        List<Contours.Line> lines = Contours.lines(f, x0, x1, y0, y1, grid, levels);
        double step = levels.length > 1 ? levels[1] - levels[0] : Double.NaN;
        String legend = "contours of f" + (Double.isNaN(step) ? "" : ", every " + Ticks.format(step, Ticks.decimalsFor(step)));
        for (int k = 0; k < lines.size(); k++) {
            Contours.Line line = lines.get(k);
            String name = k == 0 ? legend : "f = " + line.level();
            XYSeries series = chart.addSeries(name, line.x(), line.y());
            series.setMarker(SeriesMarkers.NONE).setLineColor(CONTOUR).setLineWidth(1f);
            series.setShowInLegend(k == 0);
        }
        // The contour box, not the last level's extent, sets the axes.
        chart.getStyler().setXAxisMin(x0).setXAxisMax(x1).setYAxisMin(y0).setYAxisMax(y1);
    }

    /**
     * d2l's training plot as two panels side by side, x in epochs: the loss (train, and test when the
     * history has it) on the left, train and test accuracy on the right, each with its own labelled
     * y axis, so that a loss of 0.5 and an accuracy of 0.8 are never read off one scale. Accuracy runs
     * from 0 to 1.
     */
    public static Path history(String title, History history, Path png) throws IOException {
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("train loss", history.series(History.Epoch::trainLoss));
        double[] testLoss = history.series(History.Epoch::validationLoss);
        if (Arrays.stream(testLoss).anyMatch(Double::isFinite)) {
            losses.put("test loss", testLoss);
        }
        Map<String, double[]> accuracies = new LinkedHashMap<>();
        accuracies.put("train acc", history.series(History.Epoch::trainAccuracy));
        accuracies.put("test acc", history.series(History.Epoch::validationAccuracy));
        XYChart loss = epochPanel("loss", "cross-entropy loss", losses, Styler.LegendPosition.InsideNE);
        XYChart accuracy = epochPanel("accuracy", "accuracy", accuracies, Styler.LegendPosition.InsideSE);
        // A fraction, on its whole scale: chance (0.1 for ten classes) and a wobble of 0.005 look like what they are.
        accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Ticks.roundAndUniform(loss);
        Ticks.roundAndUniform(accuracy);
        BufferedImage image = sideBySide(title, BitmapEncoder.getBufferedImage(loss), BitmapEncoder.getBufferedImage(accuracy));
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
        display(png);
        return png;
    }

    private static XYChart epochPanel(String title, String yLabel, Map<String, double[]> series,
            Styler.LegendPosition legend) {
        XYChart chart = xyChart(480, 400, title, "epoch", yLabel);
        chart.getStyler().setLegendPosition(legend);
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            double[] y = entry.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
            }
            XYSeries line = chart.addSeries(entry.getKey(), x, y);
            if (y.length > MARKED_POINTS) {
                line.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** Two charts side by side under one title. */
    private static BufferedImage sideBySide(String title, BufferedImage left, BufferedImage right) {
        int titleHeight = 34;
        BufferedImage image = new BufferedImage(left.getWidth() + right.getWidth(),
                titleHeight + Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(left.getRGB(0, 0) == 0 ? Color.WHITE : new Color(left.getRGB(0, 0)));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        int width = g.getFontMetrics(font).stringWidth(title);
        if (width > image.getWidth() - 16) {                 // too long: smaller, rather than cut off
            font = font.deriveFont(Math.max(9f, (float) Math.floor(16f * (image.getWidth() - 16) / width)));
            width = g.getFontMetrics(font).stringWidth(title);
        }
        g.setFont(font);
        g.drawString(title, (image.getWidth() - width) / 2, titleHeight - 10);
        g.drawImage(left, 0, titleHeight, null);
        g.drawImage(right, left.getWidth(), titleHeight, null);
        g.dispose();
        return image;
    }

    /**
     * A scatter plot, one colour per named group of points: row i of each array is a point (x, y).
     * Small markers without lines, so thousands of points stay readable.
     */
    public static Path scatter(String title, String xLabel, String yLabel, Map<String, float[][]> groups, Path png)
            throws IOException {
        XYChart chart = xyChart(720, 560, title, xLabel, yLabel);
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

    /** A smaller title font where the title is wider than the chart: XChart would cut both ends off. */
    static void fitTitle(Chart<?, ?> chart) {
        Font font = chart.getStyler().getChartTitleFont();
        FontRenderContext context = new FontRenderContext(null, true, true);
        double room = chart.getWidth() - 2.0 * chart.getStyler().getChartPadding() - 8;
        double width = font.getStringBounds(chart.getTitle(), context).getWidth();
        if (width > room) {
            chart.getStyler().setChartTitleFont(font.deriveFont((float) Math.max(9, Math.floor(font.getSize2D() * room / width))));
        }
    }

    /** An empty XY chart in the examples' style. */
    private static XYChart xyChart(int width, int height, String title, String xLabel, String yLabel) {
        return new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
    }

    /**
     * Images (K, 1, H, W), (K, H, W) or RGB (K, 3, H, W) with values in [0, 1], in a grid of {@code cols}
     * columns, each under its caption (an empty string for none), scaled up {@code scale} times (nearest
     * neighbour).
     */
    public static Path images(String title, Tensor images, String[] captions, int cols, int scale, Path png)
            throws IOException {
        BufferedImage grid = ImageGrid.draw(title, images, captions, cols, scale);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(grid, "png", png.toFile());
        display(png);
        return png;
    }

    /** Several XY panels in a grid of {@code columns} columns, written to {@code png} (and shown, with --show). */
    public static Path grid(List<XYChart> panels, int columns, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        int rows = (panels.size() + columns - 1) / columns;
        BitmapEncoder.saveBitmap(panels, rows, columns, withoutPng(png), BitmapEncoder.BitmapFormat.PNG);
        display(png);
        return png;
    }

    /** Writes {@code chart} to {@code png} (title fitted, round ticks on XY charts) and shows it, with --show. */
    static Path save(Chart<?, ?> chart, Path png) throws IOException {
        fitTitle(chart);
        if (chart instanceof XYChart xy) {
            Ticks.roundAndUniform(xy);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, withoutPng(png), BitmapEncoder.BitmapFormat.PNG);
        display(png);
        return png;
    }

    /** XChart's encoder adds the ".png" itself. */
    private static String withoutPng(Path png) {
        String name = png.toString();
        return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * Opens the written PNG in a window if {@link #showWindows} is on and a display exists. The window
     * is made on the Swing thread and this returns at once; closing it frees it. Without a display it
     * says so once, so that {@code --show} is never silently ignored.
     */
    static void display(Path png) throws IOException {
        if (!show) {
            return;
        }
        if (GraphicsEnvironment.isHeadless()) {
            if (!toldHeadless) {
                toldHeadless = true;
                Path folder = png.toAbsolutePath().getParent();
                System.out.println("--show: this machine has no display, so no chart window can open; the charts are"
                        + " written as PNG files in " + folder);
            }
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
