package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.nn.init.Init;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {

    private static double[] meanAndVariance(Tensor t) {
        double sum = 0;
        double sumSquares = 0;
        for (float v : t.toArray()) {
            sum += v;
            sumSquares += (double) v * v;
        }
        double mean = sum / t.numel();
        return new double[] {mean, sumSquares / t.numel() - mean * mean};
    }

    @Test
    void fansAsPyTorchComputesThem() {
        assertArrayEquals(new int[] {4, 3}, Init.fanInAndFanOut(Tensor.zeros(3, 4)));
        // Conv2d(3, 16, 5): (16, 3, 5, 5) → fan_in 3·25, fan_out 16·25
        assertArrayEquals(new int[] {75, 400}, Init.fanInAndFanOut(Tensor.zeros(16, 3, 5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.fanInAndFanOut(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("(5,)"), e.getMessage());
    }

    @Test
    void gainsAsPyTorch() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(1.0 / 3), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void distributionsHaveTheirMomentsAndBounds() {
        Generator gen = new Generator(9);
        Tensor u = Init.uniform_(Tensor.zeros(200, 100), -2, 3, gen);
        double[] m = meanAndVariance(u);
        assertEquals(0.5, m[0], 0.03);
        assertEquals(25.0 / 12, m[1], 0.05);
        for (float v : u.toArray()) {
            assertTrue(v >= -2 && v < 3, "U(-2, 3) gave " + v);
        }
        m = meanAndVariance(Init.normal_(Tensor.zeros(200, 100), 1, 2, gen));
        assertEquals(1.0, m[0], 0.05);
        assertEquals(4.0, m[1], 0.15);

        // Xavier: Var = gain² · 2/(fan_in + fan_out) for both forms
        m = meanAndVariance(Init.xavierUniform_(Tensor.zeros(300, 100), 1.0, gen));
        assertEquals(2.0 / 400, m[1], 2.0 / 400 * 0.05);
        m = meanAndVariance(Init.xavierNormal_(Tensor.zeros(300, 100), 2.0, gen));
        assertEquals(4 * 2.0 / 400, m[1], 8.0 / 400 * 0.05);

        // Kaiming for ReLU: Var = 2/fan; fan_out picks dim 0 times the receptive field
        m = meanAndVariance(Init.kaimingNormal_(Tensor.zeros(200, 50, 3), 0, "fan_in", "relu", gen));
        assertEquals(2.0 / 150, m[1], 2.0 / 150 * 0.05);
        m = meanAndVariance(Init.kaimingUniform_(Tensor.zeros(200, 50, 3), 0, "fan_out", "relu", gen));
        assertEquals(2.0 / 600, m[1], 2.0 / 600 * 0.05);
        assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingUniform_(Tensor.zeros(3, 3), 0, "fan_avg", "relu"));
    }

    @Test
    void constantsAndInPlaceOnParameters() {
        Tensor p = Tensor.zeros(2, 3).requiresGrad_();
        assertEquals(p, Init.ones_(p));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, p.toArray());
        Init.constant_(p, 0.5);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, p.toArray());
        Init.zeros_(p);
        assertArrayEquals(new float[6], p.toArray());
        Init.uniform_(p, -1, 1);
        assertTrue(p.isLeaf() && p.requiresGrad(), "initialisation must leave a parameter a leaf");
    }

    @Test
    void sameSeedSameWeights() {
        Tensor a = Init.kaimingUniform_(Tensor.zeros(4, 4), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(3));
        Tensor b = Init.kaimingUniform_(Tensor.zeros(4, 4), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(3));
        assertArrayEquals(a.toArray(), b.toArray());
        for (float v : a.toArray()) {
            assertTrue(Math.abs(v) <= 0.5f, "a = √5 gives U(−1/√fan_in, 1/√fan_in) = U(−0.5, 0.5), got " + v);
        }
    }
}
