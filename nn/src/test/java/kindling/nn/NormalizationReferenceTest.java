package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import kindling.nn.functional.Normalization;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused batch- and layer-norm kernels against the textbook: the same formulas composed from
 * tensor ops (mean, var, sub, div, mul, add), whose gradients autograd derives op by op. The fused
 * kernels must give the same outputs and the same gradients for x, γ and β, over shapes with one
 * and several spatial positions, a batch of one (layer norm) and odd sizes.
 */
class NormalizationReferenceTest {
    private static final double EPS = 1e-5;

    /** y = (x − mean) / √(var + ε) · γ + β, statistics over {@code dims}, biased variance. */
    private static Tensor composed(Tensor x, int[] dims, Tensor gamma, Tensor beta) {
        Tensor mean = x.mean(dims, true);
        Tensor variance = x.var(dims, false, true);
        Tensor normalised = x.sub(mean).div(variance.add((float) EPS).sqrt());
        return normalised.mul(gamma).add(beta);
    }

    private static Tensor leaf(Tensor t) {
        return t.detach().requiresGrad_();
    }

    /** Checks output and all three gradients of {@code fused} against {@code reference} for the same weight w. */
    private static void assertSame(String what, Tensor fused, Tensor reference, Tensor[] fusedLeaves,
                                   Tensor[] referenceLeaves, Tensor w) {
        assertArrayEquals(reference.toArray(), fused.toArray(), 1e-4f, what + ": output");
        fused.mul(w).sum().backward();
        reference.mul(w).sum().backward();
        String[] names = {"x", "gamma", "beta"};
        for (int i = 0; i < names.length; i++) {
            assertArrayEquals(referenceLeaves[i].grad().toArray(), fusedLeaves[i].grad().toArray(), 2e-3f,
                    what + ": gradient of " + names[i]);
        }
    }

    @Test
    void batchNormIsTheComposedFormula() {
        Generator gen = new Generator(5);
        int[][] shapes = {{7, 3}, {4, 2, 5}, {3, 4, 3, 5}, {1, 2, 6, 6}};
        for (int[] shape : shapes) {
            int channels = shape[1];
            Tensor x = Tensor.randn(gen, shape).mul(2f).add(0.5f);
            Tensor gamma = Tensor.randn(gen, channels);
            Tensor beta = Tensor.randn(gen, channels);
            Tensor w = Tensor.randn(gen, shape);
            int[] broadcast = new int[shape.length];
            Arrays.fill(broadcast, 1);
            broadcast[1] = channels;
            int[] dims = new int[shape.length - 1];
            dims[0] = 0;
            for (int d = 2; d < shape.length; d++) {
                dims[d - 1] = d;
            }
            Tensor[] fusedLeaves = {leaf(x), leaf(gamma), leaf(beta)};
            Tensor[] referenceLeaves = {leaf(x), leaf(gamma), leaf(beta)};
            Tensor fused = Normalization.batchNorm(fusedLeaves[0], null, null, fusedLeaves[1], fusedLeaves[2],
                    true, 0.1, EPS);
            Tensor reference = composed(referenceLeaves[0], dims, referenceLeaves[1].reshape(broadcast),
                    referenceLeaves[2].reshape(broadcast));
            assertSame("batchNorm " + Arrays.toString(shape), fused, reference, fusedLeaves, referenceLeaves, w);
        }
    }

    @Test
    void layerNormIsTheComposedFormula() {
        Generator gen = new Generator(6);
        int[][][] cases = {{{5, 4}, {4}}, {{1, 7}, {7}}, {{2, 3, 6}, {6}}, {{3, 2, 3, 5}, {3, 5}}, {{2, 3, 4, 4}, {3, 4, 4}}};
        for (int[][] c : cases) {
            int[] shape = c[0];
            int[] normalizedShape = c[1];
            Tensor x = Tensor.randn(gen, shape).mul(3f).sub(1f);
            Tensor gamma = Tensor.randn(gen, normalizedShape);
            Tensor beta = Tensor.randn(gen, normalizedShape);
            Tensor w = Tensor.randn(gen, shape);
            int[] dims = new int[normalizedShape.length];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = shape.length - normalizedShape.length + d;
            }
            Tensor[] fusedLeaves = {leaf(x), leaf(gamma), leaf(beta)};
            Tensor[] referenceLeaves = {leaf(x), leaf(gamma), leaf(beta)};
            Tensor fused = Normalization.layerNorm(fusedLeaves[0], normalizedShape, fusedLeaves[1], fusedLeaves[2], EPS);
            Tensor reference = composed(referenceLeaves[0], dims, referenceLeaves[1], referenceLeaves[2]);
            assertSame("layerNorm " + Arrays.toString(shape), fused, reference, fusedLeaves, referenceLeaves, w);
        }
    }
}
