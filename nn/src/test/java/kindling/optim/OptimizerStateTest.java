package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Adam's closed-form first step, per-parameter state, skipped parameters and state-dict round trips. */
class OptimizerStateTest {
    @Test
    void adamFirstStepMovesEachWeightByLr() {
        Trajectory problem = new Trajectory();
        float[] before = problem.w.toArray();
        Adam adam = Adam.builder(problem.params()).lr(0.01f).build();
        problem.computeGradients(adam);
        float[] grad = problem.w.grad().toArray();
        adam.step();
        float[] after = problem.w.toArray();
        for (int i = 0; i < before.length; i++) {
            // m̂ = g and √v̂ = |g|, so the step is lr · g / (|g| + ε) = ±lr.
            assertEquals(-0.01f * Math.signum(grad[i]), after[i] - before[i], 1e-6, "weight " + i);
        }
    }

    @Test
    void adamStateUnderTorchNames() {
        Trajectory problem = new Trajectory();
        Adam adam = Adam.builder(problem.params()).lr(0.01f).amsgrad(true).build();
        assertTrue(adam.state(problem.w).isEmpty(), "no state before the first step");
        for (int step = 0; step < 3; step++) {
            problem.computeGradients(adam);
            adam.step();
        }
        Map<String, Tensor> state = adam.state(problem.w);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(state.keySet()));
        assertEquals(3f, state.get("step").item());
        assertEquals(0, state.get("step").dim());
        assertArrayEquals(new int[] {3, 4}, state.get("exp_avg_sq").shape());
        assertThrows(UnsupportedOperationException.class, () -> state.put("step", Tensor.scalar(0)));
        assertThrows(IllegalArgumentException.class, () -> adam.state(Tensor.zeros(3, 4)));
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Trajectory problem = new Trajectory();
        Tensor unused = Tensor.ones(2).requiresGrad_();
        SGD sgd = SGD.builder(List.of(problem.w, problem.b, unused)).lr(0.1f).momentum(0.9f).build();
        problem.computeGradients(sgd);
        sgd.step();
        assertArrayEquals(new float[] {1, 1}, unused.toArray());
        assertTrue(sgd.state(unused).isEmpty());
        assertTrue(sgd.state(problem.w).containsKey("momentum_buffer"));
        sgd.zeroGrad();
        assertNull(problem.w.grad());
    }

    /** Runs 10 steps in one go and 4 + save/load into a fresh optimizer + 6: the parameters must be identical. */
    private static void resumesIdentically(String name, Function<List<Tensor>, Optimizer> build) {
        Trajectory straight = new Trajectory();
        Optimizer a = build.apply(straight.params());
        for (int step = 0; step < 10; step++) {
            straight.computeGradients(a);
            a.step();
        }
        Trajectory resumed = new Trajectory();
        Optimizer first = build.apply(resumed.params());
        for (int step = 0; step < 4; step++) {
            resumed.computeGradients(first);
            first.step();
        }
        Map<String, Tensor> saved = first.stateDict();
        Optimizer second = build.apply(resumed.params());
        second.loadStateDict(saved);
        for (int step = 0; step < 6; step++) {
            resumed.computeGradients(second);
            second.step();
        }
        assertArrayEquals(straight.w.toArray(), resumed.w.toArray(), name + " w");
        assertArrayEquals(straight.b.toArray(), resumed.b.toArray(), name + " b");
    }

    @Test
    void stateDictRoundTripResumesTheSameTrajectory() {
        resumesIdentically("SGD", p -> SGD.builder(p).lr(0.01f).momentum(0.9f).nesterov(true).build());
        resumesIdentically("RMSprop", p -> RMSprop.builder(p).momentum(0.5f).centered(true).build());
        resumesIdentically("Adagrad", p -> Adagrad.builder(p).lr(0.1f).lrDecay(0.05f).build());
        resumesIdentically("Adam", p -> Adam.builder(p).lr(0.05f).amsgrad(true).build());
        resumesIdentically("AdamW", p -> AdamW.builder(p).lr(0.05f).build());
    }

    @Test
    void stateDictKeysAndCopies() {
        Trajectory problem = new Trajectory();
        Adam adam = Adam.builder(problem.params()).lr(0.05f).build();
        problem.computeGradients(adam);
        adam.step();
        Map<String, Tensor> dict = adam.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step",
                "state.1.exp_avg", "state.1.exp_avg_sq", "param_groups.0.lr", "param_groups.0.beta1",
                "param_groups.0.beta2", "param_groups.0.eps", "param_groups.0.weightDecay",
                "param_groups.0.amsgrad", "param_groups.0.params"), List.copyOf(dict.keySet()));
        assertArrayEquals(new float[] {0, 1}, dict.get("param_groups.0.params").toArray());
        assertNotSame(adam.state(problem.w).get("exp_avg").storage(), dict.get("state.0.exp_avg").storage());
        assertEquals(0.05f, dict.get("param_groups.0.lr").item());
    }

    @Test
    void loadingRestoresLr() {
        Trajectory problem = new Trajectory();
        SGD sgd = SGD.builder(problem.params()).lr(0.1f).build();
        Map<String, Tensor> dict = sgd.stateDict();
        dict.put("param_groups.0.lr", Tensor.scalar(0.025f));
        sgd.loadStateDict(dict);
        assertEquals(0.025f, sgd.getLr());
    }

    @Test
    void badStateDictIsRejectedWithEveryProblemAndChangesNothing() {
        Trajectory problem = new Trajectory();
        Adam adam = Adam.builder(problem.params()).lr(0.05f).build();
        problem.computeGradients(adam);
        adam.step();
        Map<String, Tensor> before = adam.stateDict();
        Map<String, Tensor> bad = new LinkedHashMap<>(before);
        bad.put("state.0.exp_avg", Tensor.zeros(4, 3));
        bad.remove("state.1.exp_avg_sq");
        bad.put("state.7.step", Tensor.scalar(1));
        bad.put("param_groups.0.beta1", Tensor.scalar(0.8f));
        bad.put("param_groups.0.lr", Tensor.scalar(0.5f));
        bad.put("momentum", Tensor.scalar(0.5f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(bad));
        String message = e.getMessage();
        assertTrue(message.startsWith("Error(s) in loading state_dict for Adam:"), message);
        assertTrue(message.contains("size mismatch for state.0.exp_avg: copying a tensor of shape (4, 3), "
                + "the shape in the current optimizer is (3, 4)"), message);
        assertTrue(message.contains("state of parameter 1 is incomplete: missing [exp_avg_sq]"), message);
        assertTrue(message.contains("unexpected key state.7.step"), message);
        assertTrue(message.contains("param_groups.0.beta1 is 0.8 but this optimizer has beta1=0.9"), message);
        assertTrue(message.contains("unexpected key momentum"), message);
        Map<String, Tensor> after = adam.stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            assertArrayEquals(before.get(key).toArray(), after.get(key).toArray(), key);
        }
    }

    @Test
    void missingLrIsReported() {
        SGD sgd = SGD.builder(new Trajectory().params()).lr(0.1f).build();
        Map<String, Tensor> dict = sgd.stateDict();
        dict.remove("param_groups.0.lr");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(dict));
        assertTrue(e.getMessage().contains("missing key param_groups.0.lr"), e.getMessage());
    }
}
