package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.autograd.NoGrad;
import kindling.io.GoldenText;
import kindling.io.SafeTensors;
import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Parameter groups against {@code tools/golden/gen_param_groups.py}: two groups with their own
 * hyper-parameters and a frozen parameter, a scheduler on both groups, a group added later; and
 * state dicts with several groups, including files written before groups existed.
 */
class ParamGroupTest {
    private static final Map<String, Tensor> GOLDEN = load();

    private static Map<String, Tensor> load() {
        try {
            return GoldenText.read("param_groups.txt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trajectory's problem with a frozen third parameter c: r = x·w + b + c − y. */
    private static final class Problem {
        final Trajectory base = new Trajectory();
        final Tensor c = Optimizer.copyOf(GOLDEN.get("c0"));          // requiresGrad false: frozen

        void computeGradients(Optimizer optimizer) {
            optimizer.zeroGrad();
            Tensor residual = Trajectory.GOLDEN.get("traj_x").matmul(base.w).add(base.b).add(c)
                    .sub(Trajectory.GOLDEN.get("traj_y"));
            residual.mul(residual).sum().backward();
        }
    }

    private static void runAgainstTorch(String name, Function<Problem, Optimizer> build,
            Function<Optimizer, LRScheduler> makeScheduler) {
        Problem problem = new Problem();
        Optimizer optimizer = build.apply(problem);
        LRScheduler sched = makeScheduler == null ? null : makeScheduler.apply(optimizer);
        float[] lr0 = new float[25];
        float[] lr1 = new float[25];
        for (int step = 1; step <= 25; step++) {
            problem.computeGradients(optimizer);
            optimizer.step();
            if (sched != null) {
                sched.step();
                lr0[step - 1] = optimizer.paramGroups().get(0).lr();
                lr1[step - 1] = optimizer.paramGroups().get(1).lr();
            }
            if (step == 1 || step == 5 || step == 25) {
                Trajectory.assertClose(GOLDEN.get(name + "_w_" + step), problem.base.w, name + " w after " + step);
                Trajectory.assertClose(GOLDEN.get(name + "_b_" + step), problem.base.b, name + " b after " + step);
            }
        }
        assertArrayEquals(GOLDEN.get("c0").toArray(), problem.c.toArray(), "the frozen parameter never moves");
        assertTrue(optimizer.state(problem.c).isEmpty(), "the frozen parameter gets no state");
        if (sched != null) {
            assertArrayEquals(GOLDEN.get(name + "_lr0").toArray(), lr0, 1e-9f, "group 0 lr");
            assertArrayEquals(GOLDEN.get(name + "_lr1").toArray(), lr1, 1e-9f, "group 1 lr");
        }
    }

    private static SGD twoGroupSgd(Problem p) {
        return SGD.builder(ParamGroup.of(List.of(p.base.w)),
                        ParamGroup.of(List.of(p.base.b, p.c)).lr(0.1).momentum(0.5).weightDecay(0.1))
                .lr(0.01).momentum(0.9).build();
    }

    @Test
    void sgdWithTwoGroupsAndAFrozenParameterMatchesTorch() {
        runAgainstTorch("sgd_groups", ParamGroupTest::twoGroupSgd, null);
    }

    @Test
    void adamWithTwoGroupsAndAFrozenParameterMatchesTorch() {
        runAgainstTorch("adam_groups", p -> Adam.builder(ParamGroup.of(List.of(p.base.w)),
                        ParamGroup.of(List.of(p.base.b, p.c)).lr(0.01).betas(0.8, 0.9).weightDecay(0.1))
                .lr(0.05).build(), null);
    }

    @Test
    void aSchedulerScalesEveryGroupFromItsOwnInitialLr() {
        runAgainstTorch("sgd_groups_sched", ParamGroupTest::twoGroupSgd, o -> new StepLR(o, 2, 0.5));
    }

    @Test
    void aGroupAddedLaterMatchesTorchsAddParamGroup() {
        Trajectory problem = new Trajectory();
        SGD sgd = SGD.builder(List.of(problem.w)).lr(0.01).momentum(0.9).build();
        Tensor c = Optimizer.copyOf(GOLDEN.get("c0"));
        for (int step = 1; step <= 25; step++) {
            sgd.zeroGrad();
            problem.b.setGrad(null);
            Tensor residual = Trajectory.GOLDEN.get("traj_x").matmul(problem.w).add(problem.b).add(c)
                    .sub(Trajectory.GOLDEN.get("traj_y"));
            residual.mul(residual).sum().backward();
            sgd.step();
            if (step == 5) {
                sgd.addParamGroup(ParamGroup.of(List.of(problem.b)).lr(0.1).momentum(0.5));
            }
            if (step == 1 || step == 5 || step == 25) {
                Trajectory.assertClose(GOLDEN.get("sgd_added_w_" + step), problem.w, "w after " + step);
                Trajectory.assertClose(GOLDEN.get("sgd_added_b_" + step), problem.b, "b after " + step);
            }
        }
        assertEquals(2, sgd.paramGroups().size());
        assertEquals(0.5f, sgd.paramGroups().get(1).get("momentum"));
        assertEquals(0f, sgd.paramGroups().get(1).get("nesterov"), "unset options take the builder's");
    }

    @Test
    void groupsAreCheckedWhenAdded() {
        Tensor w = Tensor.zeros(2).requiresGrad_();
        Tensor b = Tensor.zeros(2).requiresGrad_();
        SGD sgd = SGD.builder(List.of(w)).lr(0.1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.addParamGroup(ParamGroup.of(List.of(b, w))));
        assertEquals("SGD: parameter 2 is the same tensor as parameter 0; pass each parameter once (it is already in "
                + "a parameter group)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sgd.addParamGroup(ParamGroup.of(List.of(b)).momentum(-1)));
        assertEquals("SGD param group 1: invalid momentum -1.0, expected momentum >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sgd.addParamGroup(ParamGroup.of(List.of(b)).betas(0.9, 0.99)));
        assertEquals("SGD param group 1: unknown option 'beta1'; SGD has [lr, momentum, dampening, weightDecay, "
                + "nesterov]", e.getMessage());
        assertEquals(1, sgd.paramGroups().size(), "a rejected group is not added");
        assertEquals(1, sgd.params().size());
    }

    @Test
    void lrComesFirstInTheStateDictAndThePrintoutWhereverTheGroupSetIt() {
        // No builder lr: each group's own lr comes after the builder's options in its map.
        Tensor w = Tensor.zeros(2).requiresGrad_();
        Tensor b = Tensor.zeros(2).requiresGrad_();
        SGD sgd = SGD.builder(ParamGroup.of(List.of(w)).momentum(0.5).lr(0.1), ParamGroup.of(List.of(b)).lr(0.2))
                .build();
        assertEquals(List.of("momentum", "dampening", "weightDecay", "nesterov", "lr"),
                List.copyOf(sgd.paramGroups().get(0).options().keySet()));
        assertEquals(List.of("param_groups.0.lr", "param_groups.0.momentum", "param_groups.0.dampening",
                "param_groups.0.weightDecay", "param_groups.0.nesterov", "param_groups.0.params",
                "param_groups.1.lr", "param_groups.1.momentum", "param_groups.1.dampening",
                "param_groups.1.weightDecay", "param_groups.1.nesterov", "param_groups.1.params"),
                List.copyOf(sgd.stateDict().keySet()));
        assertEquals("SGD (group 0: lr: 0.1, momentum: 0.5, dampening: 0.0, weightDecay: 0.0, nesterov: 0.0, "
                + "1 parameters; group 1: lr: 0.2, momentum: 0.0, dampening: 0.0, weightDecay: 0.0, nesterov: 0.0, "
                + "1 parameters)", sgd.toString());
    }

    @Test
    void doubleLearningRatesCompile() {
        Tensor w = Tensor.zeros(2).requiresGrad_();
        assertEquals(0.001f, Adam.builder(List.of(w)).lr(0.001).build().getLr());
        assertEquals(0.001f, SGD.builder(List.of(w)).lr(0.001).momentum(0.9).build().getLr());
        assertEquals(0.001f, AdamW.builder(List.of(w)).lr(1e-3).weightDecay(0.05).build().getLr());
    }

    @Test
    void stateDictWithSeveralGroupsRoundTrips() {
        Problem first = new Problem();
        Adam adam = Adam.builder(ParamGroup.of(List.of(first.base.w)),
                ParamGroup.of(List.of(first.base.b, first.c)).lr(0.01).betas(0.8, 0.9)).lr(0.05).build();
        for (int step = 0; step < 4; step++) {
            first.computeGradients(adam);
            adam.step();
        }
        adam.paramGroups().get(1).setLr(0.004);
        Map<String, Tensor> saved = adam.stateDict();
        assertArrayEquals(new float[] {0}, saved.get("param_groups.0.params").toArray());
        assertArrayEquals(new float[] {1, 2}, saved.get("param_groups.1.params").toArray());
        assertEquals(0.8f, saved.get("param_groups.1.beta1").item());
        assertNull(saved.get("state.2.step"), "the frozen parameter has no state");

        Problem second = new Problem();
        try (NoGrad scope = NoGrad.enter()) {
            second.base.w.copy_(first.base.w.detach());
            second.base.b.copy_(first.base.b.detach());
        }
        Adam resumed = Adam.builder(ParamGroup.of(List.of(second.base.w)),
                ParamGroup.of(List.of(second.base.b, second.c)).lr(0.01).betas(0.8, 0.9)).lr(0.05).build();
        resumed.loadStateDict(saved);
        assertEquals(0.004f, resumed.paramGroups().get(1).lr());
        for (int step = 0; step < 3; step++) {
            first.computeGradients(adam);
            adam.step();
            second.computeGradients(resumed);
            resumed.step();
        }
        assertArrayEquals(first.base.w.toArray(), second.base.w.toArray());
        assertArrayEquals(first.base.b.toArray(), second.base.b.toArray());
    }

    @Test
    void aStateDictOfOtherGroupsIsRejectedAndChangesNothing() {
        Problem p = new Problem();
        Adam oneGroup = Adam.builder(List.of(p.base.w, p.base.b)).build();
        Adam twoGroups = Adam.builder(ParamGroup.of(List.of(p.base.w)), ParamGroup.of(List.of(p.base.b)).lr(0.1))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twoGroups.loadStateDict(oneGroup.stateDict()));
        assertTrue(e.getMessage().contains("param_groups.0.params is [0.0, 1.0] but this optimizer's group 0 holds "
                + "parameters [0.0]"), e.getMessage());
        assertTrue(e.getMessage().contains("missing key param_groups.1.lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> oneGroup.loadStateDict(twoGroups.stateDict()));
        assertTrue(e.getMessage().contains("unexpected key param_groups.1.lr (this optimizer has 1 parameter group)"),
                e.getMessage());
        assertEquals(0.1f, twoGroups.paramGroups().get(1).lr());
    }

    /** State dicts written by the one-group optimizer (before groups existed) still load and resume. */
    @Test
    void filesWrittenBeforeGroupsExistedStillLoad() throws IOException {
        resumeOldFile("adam", p -> Adam.builder(p).lr(0.01).build());
        resumeOldFile("sgd", p -> SGD.builder(p).lr(0.05).momentum(0.9).build());
    }

    private static void resumeOldFile(String name, Function<List<Tensor>, Optimizer> build) throws IOException {
        Path dir = Path.of("src/test/resources/optim");
        Map<String, Tensor> state = SafeTensors.load(dir.resolve(name + "_one_group_v1.safetensors"));
        Map<String, Tensor> params = SafeTensors.load(dir.resolve(name + "_one_group_v1_params.safetensors"));
        assertTrue(!state.containsKey("param_groups.0.params"), "the old format has no params key");
        // The same 3 steps the file's writer took, then 2 more, straight through.
        Trajectory straight = new Trajectory();
        Optimizer a = build.apply(straight.params());
        for (int step = 0; step < 5; step++) {
            straight.computeGradients(a);
            a.step();
        }
        Trajectory resumed = new Trajectory();
        try (NoGrad scope = NoGrad.enter()) {
            resumed.w.copy_(params.get("w"));
            resumed.b.copy_(params.get("b"));
        }
        Optimizer b = build.apply(resumed.params());
        b.loadStateDict(state);
        for (int step = 0; step < 2; step++) {
            resumed.computeGradients(b);
            b.step();
        }
        // The file's first three steps ran in the default kernel mode; in mode naive or plain this run's
        // straight line rounds them differently in the last float digit, so the two trajectories agree
        // to the library's tolerance, not bit for bit. A state that failed to load (a lost moment or
        // step count) moves the weights by far more than that.
        Golden.assertClose(name + " w", straight.w, resumed.w);
        Golden.assertClose(name + " b", straight.b, resumed.b);
    }
}
