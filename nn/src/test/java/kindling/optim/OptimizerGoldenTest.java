package kindling.optim;

import static kindling.optim.Trajectory.runAgainstTorch;

import org.junit.jupiter.api.Test;

/** 25-step trajectories of every optimizer and option against torch.optim (tools/golden/gen_optim.py). */
class OptimizerGoldenTest {
    @Test
    void sgd() {
        runAgainstTorch("sgd", p -> SGD.builder(p).lr(0.01f).build());
        runAgainstTorch("sgd_momentum", p -> SGD.builder(p).lr(0.01f).momentum(0.9f).build());
        runAgainstTorch("sgd_dampening", p -> SGD.builder(p).lr(0.01f).momentum(0.9f).dampening(0.5f).build());
        runAgainstTorch("sgd_nesterov", p -> SGD.builder(p).lr(0.01f).momentum(0.9f).nesterov(true).build());
        runAgainstTorch("sgd_weight_decay", p -> SGD.builder(p).lr(0.01f).momentum(0.5f).weightDecay(0.1f).build());
    }

    @Test
    void rmsprop() {
        runAgainstTorch("rmsprop", p -> RMSprop.builder(p).lr(0.01f).build());
        runAgainstTorch("rmsprop_centered", p -> RMSprop.builder(p).lr(0.01f).centered(true).build());
        runAgainstTorch("rmsprop_momentum", p -> RMSprop.builder(p).lr(0.01f).momentum(0.9f).weightDecay(0.1f)
                .build());
        runAgainstTorch("rmsprop_all", p -> RMSprop.builder(p).lr(0.01f).alpha(0.9f).momentum(0.5f).centered(true)
                .build());
    }

    @Test
    void adagrad() {
        runAgainstTorch("adagrad", p -> Adagrad.builder(p).lr(0.1f).build());
        runAgainstTorch("adagrad_decay", p -> Adagrad.builder(p).lr(0.1f).lrDecay(0.05f).weightDecay(0.1f)
                .initialAccumulatorValue(0.5f).build());
    }

    @Test
    void adam() {
        runAgainstTorch("adam", p -> Adam.builder(p).lr(0.05f).build());
        runAgainstTorch("adam_weight_decay", p -> Adam.builder(p).lr(0.05f).weightDecay(0.1f).build());
        runAgainstTorch("adam_amsgrad", p -> Adam.builder(p).lr(0.05f).betas(0.8f, 0.9f).amsgrad(true).build());
    }

    @Test
    void adamW() {
        runAgainstTorch("adamw", p -> AdamW.builder(p).lr(0.05f).build());
        runAgainstTorch("adamw_amsgrad", p -> AdamW.builder(p).lr(0.05f).weightDecay(0.1f).amsgrad(true).build());
    }
}
