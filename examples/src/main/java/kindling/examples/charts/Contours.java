package kindling.examples.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Contour lines of f(x, y) by marching squares, as matplotlib's {@code plt.contour} draws them under
 * d2l's optimizer paths. f is sampled on a grid over the box; in each grid cell, a level that lies
 * between two corners' values crosses the edge between them at the linearly interpolated point, and the
 * crossings are joined by a segment. Each level's segments come back as one polyline with a NaN y
 * between segments, which XChart draws as separate pieces.
 */
public final class Contours {
    /** One level's line: {@code x[i], y[i]}, with y NaN where one segment ends and the next begins. */
    public record Line(double level, double[] x, double[] y) {
    }

    private Contours() {
    }

    /** Round levels, about {@code count} of them, strictly between the smallest and largest value of f on the grid. */
    public static double[] levels(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int grid,
            int count) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= grid; i++) {
            for (int j = 0; j <= grid; j++) {
                double v = f.applyAsDouble(x0 + (x1 - x0) * i / grid, y0 + (y1 - y0) * j / grid);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double step = niceStep((hi - lo) / count);
        List<Double> levels = new ArrayList<>();
        for (double level = Math.floor(lo / step + 1) * step; level < hi; level += step) {
            levels.add(Math.round(level / step) * step);
        }
        return levels.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The step of 1, 2 or 5 × 10^k nearest to {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double mantissa = raw / power;
        return (mantissa < 1.5 ? 1 : mantissa < 3.5 ? 2 : mantissa < 7.5 ? 5 : 10) * power;
    }

    /**
     * The contour lines of {@code f} at {@code levels} over [x0, x1] × [y0, y1], sampled on a
     * (grid + 1) × (grid + 1) lattice.
     */
    public static List<Line> lines(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int grid,
            double[] levels) {
        double[] xs = new double[grid + 1];
        double[] ys = new double[grid + 1];
        double[][] v = new double[grid + 1][grid + 1];      // v[i][j] = f(xs[i], ys[j])
        for (int i = 0; i <= grid; i++) {
            xs[i] = x0 + (x1 - x0) * i / grid;
            ys[i] = y0 + (y1 - y0) * i / grid;
        }
        for (int i = 0; i <= grid; i++) {
            for (int j = 0; j <= grid; j++) {
                v[i][j] = f.applyAsDouble(xs[i], ys[j]);
            }
        }
        List<Line> lines = new ArrayList<>();
        for (double level : levels) {
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int i = 0; i < grid; i++) {               // each cell [xs[i], xs[i+1]] × [ys[j], ys[j+1]]
                for (int j = 0; j < grid; j++) {
                    // Corners counter-clockwise from the bottom left; edge k joins corner k and k + 1.
                    double[] cx = {xs[i], xs[i + 1], xs[i + 1], xs[i]};
                    double[] cy = {ys[j], ys[j], ys[j + 1], ys[j + 1]};
                    double[] cv = {v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]};
                    List<double[]> crossings = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                        double a = cv[k] - level;
                        double b = cv[(k + 1) % 4] - level;
                        if ((a < 0) != (b < 0)) {             // the level lies between the two corners
                            double t = a / (a - b);
                            crossings.add(new double[] {cx[k] + t * (cx[(k + 1) % 4] - cx[k]),
                                    cy[k] + t * (cy[(k + 1) % 4] - cy[k])});
                        }
                    }
                    // Two crossings make one segment; four (a saddle cell) make two, paired in order.
                    for (int s = 0; s + 1 < crossings.size(); s += 2) {
                        px.add(crossings.get(s)[0]);
                        py.add(crossings.get(s)[1]);
                        px.add(crossings.get(s + 1)[0]);
                        py.add(crossings.get(s + 1)[1]);
                        px.add(crossings.get(s + 1)[0]);  // a gap: XChart skips a point whose y is NaN
                        py.add(Double.NaN);
                    }
                }
            }
            if (!px.isEmpty()) {
                lines.add(new Line(level, px.stream().mapToDouble(Double::doubleValue).toArray(),
                        py.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return lines;
    }
}
