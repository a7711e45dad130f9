package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules over 30 epochs against torch.optim.lr_scheduler (tools/golden/gen_optim.py). */
class SchedulerTest {
    /** An SGD with lr 0.1 on one parameter, the scheduler, and the lr sequence compared with sched_{@code name}. */
    private static void check(String name, Function<Optimizer, LRScheduler> make) {
        Tensor p = Tensor.zeros(1).requiresGrad_();
        SGD sgd = SGD.builder(List.of(p)).lr(0.1f).build();
        LRScheduler scheduler = make.apply(sgd);
        float[] expected = Trajectory.GOLDEN.get("sched_" + name).toArray();
        float[] actual = new float[expected.length];
        actual[0] = sgd.getLr();
        for (int epoch = 1; epoch < expected.length; epoch++) {
            p.setGrad(Tensor.ones(1));
            sgd.step();
            scheduler.step();
            actual[epoch] = scheduler.getLastLr();
            assertEquals(actual[epoch], sgd.getLr(), name + ": the optimizer uses the scheduler's lr");
        }
        Trajectory.assertClose(Tensor.of(expected), Tensor.of(actual), "schedule " + name);
        assertEquals(30, scheduler.lastEpoch());
    }

    @Test
    void stepLR() {
        check("step", o -> new StepLR(o, 7));
        check("step_gamma", o -> new StepLR(o, 3, 0.5f));
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        check("multistep", o -> new MultiStepLR(o, new int[] {5, 12, 12, 20}, 0.3f));
    }

    @Test
    void exponentialLR() {
        check("exponential", o -> new ExponentialLR(o, 0.9f));
    }

    @Test
    void cosineAnnealingLRGoesDownAndBackUp() {
        check("cosine", o -> new CosineAnnealingLR(o, 10));
        check("cosine_eta_min", o -> new CosineAnnealingLR(o, 12, 0.01f));
    }

    @Test
    void linearLRWarmsUpFromConstruction() {
        check("linear", LinearLR::new);
        check("linear_decay", o -> new LinearLR(o, 1f, 0.1f, 20));
    }

    @Test
    void cosineFollowsItsClosedFormWhenAlone() {
        Tensor p = Tensor.zeros(1).requiresGrad_();
        SGD sgd = SGD.builder(List.of(p)).lr(0.5f).build();
        CosineAnnealingLR cosine = new CosineAnnealingLR(sgd, 8, 0.1f);
        for (int e = 1; e <= 8; e++) {
            cosine.step();
            double closed = 0.1 + (0.5 - 0.1) * (1 + Math.cos(Math.PI * e / 8)) / 2;
            assertEquals(closed, cosine.getLastLr(), 1e-6, "epoch " + e);
        }
    }

    @Test
    void schedulersChainOnOneOptimizer() {
        Tensor p = Tensor.zeros(1).requiresGrad_();
        SGD sgd = SGD.builder(List.of(p)).lr(1f).build();
        LinearLR warmUp = new LinearLR(sgd, 0.5f, 1f, 2);
        ExponentialLR decay = new ExponentialLR(sgd, 0.5f);
        assertEquals(0.5f, sgd.getLr(), 1e-7);
        warmUp.step();
        decay.step();
        assertEquals(0.75f * 0.5f, sgd.getLr(), 1e-7);   // warm-up factor 0.75 times one decay
        warmUp.step();
        decay.step();
        assertEquals(1f * 0.25f, sgd.getLr(), 1e-7);
    }

    @Test
    void badArgumentsAreNamed() {
        SGD sgd = SGD.builder(List.of(Tensor.zeros(1).requiresGrad_())).lr(0.1f).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd, 0));
        assertEquals("StepLR: invalid stepSize 0, expected stepSize >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd, 0f, 1f, 5));
        assertEquals("LinearLR: invalid startFactor 0.0, expected 0 < startFactor <= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(sgd, new int[] {3, -1}));
        assertTrue(e.getMessage().startsWith("MultiStepLR: invalid milestone -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd, 0));
        assertEquals("CosineAnnealingLR: invalid tMax 0, expected tMax >= 1", e.getMessage());
        assertEquals(0.1f, sgd.getLr(), "a rejected scheduler leaves the lr alone");
    }
}
