package kindling.examples.charts;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** Heat maps of matrices (attention weights) as PNG, drawn with XChart's HeatMapChart. */
public final class HeatMaps {
    private HeatMaps() {
    }

    /**
     * Draws {@code values[row][column]} in [0, 1] — rows (queries) top to bottom, columns (keys) left
     * to right, as d2l's {@code show_heatmaps} — and writes it to {@code png}.
     */
    public static Path heatMap(String title, String xLabel, String yLabel, List<String> columns, List<String> rows,
            double[][] values, Path png) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(520).height(480).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setRangeColors(new Color[] {new Color(255, 255, 255), new Color(255, 200, 60),
                new Color(200, 40, 40)});
        chart.getStyler().setMin(0).setMax(1);
        chart.getStyler().setShowValue(false);
        // Every row and column named where the names fit: XChart skips category labels closer than its
        // tick spacing hint (74 px across, 44 down by default). Across, it widens a small hint until the
        // longest name fits, so a low hint labels every column that has room; down, it trusts the
        // hint, so the hint is one line of text.
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        chart.getStyler().setAxisTickLabelsFont(font).setXAxisTickMarkSpacingHint(10)
                .setYAxisTickMarkSpacingHint(font.getSize() + 5);
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                // XChart's y axis grows upwards: row 0 goes to the top.
                cells.add(new Number[] {c, rows.size() - 1 - r, values[r][c]});
            }
        }
        List<String> rowsBottomUp = new ArrayList<>(rows);
        java.util.Collections.reverse(rowsBottomUp);
        chart.addSeries("weights", columns, rowsBottomUp, cells);
        return Charts.save(chart, png);
    }
}
