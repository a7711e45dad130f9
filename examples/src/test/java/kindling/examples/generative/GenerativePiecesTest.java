package kindling.examples.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.generative.Times;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GenerativePiecesTest {

    @Test
    void slicedWassersteinOfAShiftIsItsLengthOnAverage() {
        // shifting a cloud by v moves every projection by θ·v: SW₂² = E_θ (θ·v)² = ‖v‖²/d
        Tensor a = Tensor.randn(new Generator(1), 500, 2);
        Tensor b = a.add(Tensor.of(new float[] {3, 4}, 1, 2));
        assertEquals(5 / Math.sqrt(2), SlicedWasserstein.distance(a, b, 2000, new Generator(2)), 0.1);
        assertEquals(0, SlicedWasserstein.distance(a, a, 10, new Generator(2)), 1e-9);
    }

    @Test
    void theMixtureScoreIsTheGradientOfTheLogDensity() {
        GaussianMixture mixture = GaussianMixture.onCircle(3, 2, 0.7);
        double[][] points = {{0.3, -0.2}, {2.5, 0.1}, {-6, 4}};
        for (double[] p : points) {
            Tensor x = Tensor.of(new float[] {(float) p[0], (float) p[1]}, 1, 2);
            float[] score = mixture.score().apply(x, Times.full(1, 0)).toArray();
            double h = 1e-4;
            for (int j = 0; j < 2; j++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[j] += h;
                minus[j] -= h;
                double numeric = (Math.log(mixture.density(plus)) - Math.log(mixture.density(minus))) / (2 * h);
                assertEquals(numeric, score[j], 1e-3 * Math.max(1, Math.abs(numeric)), "∂/∂x" + j + " log p at " + p[0] + ", " + p[1]);
            }
        }
    }

    @Test
    void toyTargetsLieWhereTheySay() {
        for (Toy2d target : Toy2d.values()) {
            Tensor x = target.sample(1000, new Generator(3));
            assertArrayEquals(new int[] {1000, 2}, x.shape());
            assertTrue(x.abs().max().item() < 5, target + " stays inside [−5, 5]²");
        }
        // checkerboard: every point is in a cell whose column + row is even
        float[] xy = Toy2d.CHECKERBOARD.sample(500, new Generator(4)).toArray();
        for (int i = 0; i < 500; i++) {
            int column = (int) Math.floor((xy[2 * i] + 4) / 2);
            int row = (int) Math.floor((xy[2 * i + 1] + 4) / 2);
            assertEquals(0, (column + row) % 2);
        }
        assertEquals(Toy2d.MOONS, Toy2d.byLabel("moons"));
    }

    @Test
    void pointsBecomeRowsOfXAndYFromAViewToo() {
        Tensor points = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);   // (3, 2), not contiguous
        float[][] rows = PlaneCharts.rows(points);
        assertEquals(3, rows.length);
        assertArrayEquals(new float[] {1, 4}, rows[0]);
        assertArrayEquals(new float[] {2, 5}, rows[1]);
        assertArrayEquals(new float[] {3, 6}, rows[2]);
        assertEquals(0, PlaneCharts.rows(Tensor.zeros(0, 2)).length);
    }
}
