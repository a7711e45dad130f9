package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Gradient clipping against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (tools/golden/gen_optim.py). */
class GradClipTest {
    private static final Map<String, Tensor> GOLDEN = Trajectory.GOLDEN;

    private static List<Tensor> paramsWithGrads() {
        Tensor p0 = Tensor.zeros(3, 4).requiresGrad_();
        Tensor p1 = Tensor.zeros(5).requiresGrad_();
        p0.setGrad(Optimizer.copyOf(GOLDEN.get("clip_g0")));
        p1.setGrad(Optimizer.copyOf(GOLDEN.get("clip_g1")));
        return List.of(p0, p1);
    }

    private static void checkNorm(String name, float maxNorm, float normType) {
        List<Tensor> params = paramsWithGrads();
        float total = GradClip.clipGradNorm(params, maxNorm, normType);
        assertEquals(GOLDEN.get("clip_" + name + "_total").item(), total, 1e-5 * total, name + " total norm");
        Trajectory.assertClose(GOLDEN.get("clip_" + name + "_g0"), params.get(0).grad(), name + " g0");
        Trajectory.assertClose(GOLDEN.get("clip_" + name + "_g1"), params.get(1).grad(), name + " g1");
    }

    @Test
    void clipGradNormMatchesTorch() {
        checkNorm("norm2", 1f, 2f);
        checkNorm("norm_inf", 0.5f, Float.POSITIVE_INFINITY);
        checkNorm("norm1", 2f, 1f);
        checkNorm("norm3", 1f, 3f);
    }

    @Test
    void aNormBelowTheMaximumLeavesGradientsAlone() {
        checkNorm("norm2_large", 100f, 2f);
        List<Tensor> params = paramsWithGrads();
        GradClip.clipGradNorm(params, 100f);
        Trajectory.assertClose(GOLDEN.get("clip_g0"), params.get(0).grad(), "unclipped g0");
    }

    @Test
    void clippedNormEqualsMaxNorm() {
        List<Tensor> params = paramsWithGrads();
        GradClip.clipGradNorm(params, 1f);
        assertEquals(1f, (float) GradClip.totalNorm(params, 2f), 1e-5);
    }

    @Test
    void clipGradValueMatchesTorch() {
        List<Tensor> params = paramsWithGrads();
        GradClip.clipGradValue(params, 0.5f);
        Trajectory.assertClose(GOLDEN.get("clip_value_g0"), params.get(0).grad(), "value g0");
        Trajectory.assertClose(GOLDEN.get("clip_value_g1"), params.get(1).grad(), "value g1");
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor withGrad = Tensor.zeros(2).requiresGrad_();
        withGrad.setGrad(Tensor.of(new float[] {3, 4}));
        Tensor without = Tensor.zeros(2).requiresGrad_();
        assertEquals(5f, GradClip.clipGradNorm(List.of(withGrad, without), 1f), 1e-6);
        assertNull(without.grad());
        assertEquals(0.6f, withGrad.grad().get(0), 1e-6);
    }

    @Test
    void frozenParametersAreSkippedEvenWithAStaleGradient() {
        Tensor trained = Tensor.zeros(2).requiresGrad_();
        trained.setGrad(Tensor.of(new float[] {3, 4}));
        Tensor frozen = Tensor.zeros(2).requiresGrad_();
        frozen.setGrad(Tensor.of(new float[] {100, 100}));      // left from before it was frozen
        frozen.requiresGrad_(false);
        assertEquals(5f, GradClip.clipGradNorm(List.of(trained, frozen), 1f), 1e-6);
        assertArrayEquals(new float[] {100, 100}, frozen.grad().toArray());
        GradClip.clipGradValue(List.of(trained, frozen), 0.1f);
        assertArrayEquals(new float[] {100, 100}, frozen.grad().toArray());
        assertEquals(0.1f, trained.grad().get(0), 1e-6);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradClip.clipGradNorm(paramsWithGrads(), -1f));
        assertEquals("clipGradNorm: invalid maxNorm -1.0, expected maxNorm >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(paramsWithGrads(), 1f, 0f));
        assertEquals("clipGradNorm: invalid normType 0.0, expected normType > 0", e.getMessage());
    }
}
