package kindling.examples.triplet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PcaTest {
    private static float sign(int i) {
        return i % 4 == 0 || i % 4 == 3 ? 1f : -1f;
    }

    @Test
    void pointsAlongAKnownDirectionGiveThatDirectionFirst() {
        // x_i = c + t_i·u + s_i·w with u = (0.6, 0.8, 0), w = (0, 0, 1): t spreads far more than s,
        // and s = +, −, −, + repeated is uncorrelated with t, so u and w are exactly the eigenvectors
        int n = 40;
        float[] x = new float[n * 3];
        double sumT = 0;
        for (int i = 0; i < n; i++) {
            float t = i - 20f;
            float s = sign(i) * 0.5f;
            x[3 * i] = 2f + 0.6f * t;
            x[3 * i + 1] = -1f + 0.8f * t;
            x[3 * i + 2] = 3f + s;
            sumT += t;
        }
        Tensor points = Tensor.of(x, n, 3);
        Pca pca = Pca.fit(points, 2);
        float[] v = pca.components().toArray();
        float[] expected = {0.6f, 0.8f, 0f, 0f, 0f, 1f};      // signs fixed: largest coordinate positive
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], v[i], 1e-4, "component " + (i / 3) + ", coordinate " + (i % 3));
        }
        // variance of t = 0..39 − 20 (unbiased): n(n+1)/12 = 136.67; of ±0.5: 0.25·n/(n − 1)
        assertEquals(n * (n + 1) / 12.0, pca.variances()[0], 1e-2);
        assertEquals(0.25 * n / (n - 1), pca.variances()[1], 1e-3);
        float[] y = pca.project(points).toArray();
        double meanT = sumT / n;
        for (int i = 0; i < n; i++) {
            assertEquals(i - 20 - meanT, y[2 * i], 1e-3, "first coordinate of point " + i);
            assertEquals(sign(i) * 0.5, y[2 * i + 1], 1e-3, "second coordinate of point " + i);
        }
    }
}
