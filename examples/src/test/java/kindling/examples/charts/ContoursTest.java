package kindling.examples.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContoursTest {
    @Test
    void circlesOfABowlLieAtTheirRadius() {
        List<Contours.Line> lines = Contours.lines((x, y) -> x * x + y * y, -2, 2, -2, 2, 80, new double[] {1, 4});
        assertEquals(2, lines.size());
        for (Contours.Line line : lines) {
            double radius = Math.sqrt(line.level());
            int points = 0;
            double angleMin = Double.POSITIVE_INFINITY;
            double angleMax = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < line.x().length; i++) {
                if (Double.isNaN(line.y()[i])) {
                    continue;                                 // a gap between segments
                }
                points++;
                double r = Math.hypot(line.x()[i], line.y()[i]);
                // Linear interpolation on a grid of 0.05 is within a few thousandths of the circle.
                assertEquals(radius, r, 0.01, "level " + line.level() + " at point " + i);
                double angle = Math.atan2(line.y()[i], line.x()[i]);
                angleMin = Math.min(angleMin, angle);
                angleMax = Math.max(angleMax, angle);
            }
            assertTrue(points > 100, "the whole circle: " + points + " points");
            assertTrue(angleMin < -3.0 && angleMax > 3.0, "all the way round");
        }
    }

    @Test
    void segmentsAreSeparatedByGaps() {
        Contours.Line line = Contours.lines((x, y) -> x, 0, 1, 0, 1, 4, new double[] {0.3}).get(0);
        // A vertical line at x = 0.3 crosses 4 cells: 4 segments of two points and a gap each.
        assertEquals(12, line.x().length);
        for (int s = 0; s < 4; s++) {
            assertEquals(0.3, line.x()[3 * s], 1e-12);
            assertEquals(0.3, line.x()[3 * s + 1], 1e-12);
            assertTrue(Double.isNaN(line.y()[3 * s + 2]));
        }
    }

    @Test
    void levelsAreRoundAndInsideTheRange() {
        // x² + y² on [-2, 2]² runs from 0 to 8: steps of 1 for about 8 levels.
        double[] levels = Contours.levels((x, y) -> x * x + y * y, -2, 2, -2, 2, 40, 8);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, levels, 1e-12);
        assertEquals(0.2, Contours.niceStep(0.23), 1e-12);
        assertEquals(5, Contours.niceStep(4), 1e-12);
        assertEquals(10, Contours.niceStep(8), 1e-12);
    }
}
