package kindling.ops.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GroupNormOp: its backward against finite differences, and its forward against the formula by hand. */
class GroupNormOpTest {

    @Test
    void gradientsPassTheCheck() {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 2, 6, 3, 5).requiresGrad_();
        Tensor weight = Tensor.randn(g, 6).requiresGrad_();
        Tensor bias = Tensor.randn(g, 6).requiresGrad_();
        for (int groups : new int[] {1, 2, 3, 6}) {
            GradCheck.assertPasses(in -> GroupNormOp.apply(in[0], groups, in[1], in[2], 1e-5), x, weight, bias);
        }
        Tensor plain = Tensor.randn(g, 1, 4, 7).requiresGrad_();           // no affine, the input used twice
        GradCheck.assertPasses(in -> GroupNormOp.apply(in[0], 2, null, null, 1e-5).mul(in[0]), plain);
        Tensor flat = Tensor.randn(g, 3, 4).requiresGrad_();               // (N, C): one position per channel
        GradCheck.assertPasses(in -> GroupNormOp.apply(in[0], 2, in[1], null, 1e-5),
                flat, Tensor.randn(g, 4).requiresGrad_());
    }

    @Test
    void forwardByHand() {
        // one sample, two groups of one channel with two positions: [1, 3] → μ 2, σ² 1; [0, 4] → μ 2, σ² 4
        Tensor x = Tensor.of(new float[] {1, 3, 0, 4}, 1, 2, 2);
        Tensor y = GroupNormOp.apply(x, 2, Tensor.of(new float[] {2, 1}, 2), Tensor.of(new float[] {0, 10}, 2), 0);
        assertArrayEquals(new int[] {1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {-2, 2, 9, 11}, y.toArray(), 1e-6f);
        Tensor one = GroupNormOp.apply(x, 1, null, null, 0);               // μ 2, σ² 2.5
        float s = (float) Math.sqrt(2.5);
        assertArrayEquals(new float[] {-1 / s, 1 / s, -2 / s, 2 / s}, one.toArray(), 1e-6f);
        assertEquals(0, GroupNormOp.apply(Tensor.zeros(0, 4, 3), 2, null, null, 1e-5).numel());
    }
}
