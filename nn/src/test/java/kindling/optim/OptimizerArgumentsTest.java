package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Hyper-parameters and parameter lists are checked at construction; messages name the value. */
class OptimizerArgumentsTest {
    private static final List<Tensor> PARAMS = List.of(Tensor.zeros(2).requiresGrad_());

    private static void rejects(String message, Executable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        assertEquals(message, e.getMessage());
    }

    @Test
    void sgd() {
        rejects("SGD: lr is required (PyTorch has no default), e.g. SGD.builder(params).lr(0.1)",
                () -> SGD.builder(PARAMS).build());
        rejects("SGD: invalid lr -0.1, expected lr >= 0", () -> SGD.builder(PARAMS).lr(-0.1f).build());
        rejects("SGD: invalid momentum -0.5, expected momentum >= 0",
                () -> SGD.builder(PARAMS).lr(0.1f).momentum(-0.5f).build());
        rejects("SGD: invalid weightDecay -1.0, expected weightDecay >= 0",
                () -> SGD.builder(PARAMS).lr(0.1f).weightDecay(-1f).build());
        rejects("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum 0.0 and dampening 0.0",
                () -> SGD.builder(PARAMS).lr(0.1f).nesterov(true).build());
        rejects("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum 0.9 and dampening 0.1",
                () -> SGD.builder(PARAMS).lr(0.1f).momentum(0.9f).dampening(0.1f).nesterov(true).build());
    }

    @Test
    void adamAndAdamW() {
        rejects("Adam: invalid beta1 1.5, expected 0 <= beta1 < 1",
                () -> Adam.builder(PARAMS).betas(1.5f, 0.999f).build());
        rejects("Adam: invalid beta2 1.0, expected 0 <= beta2 < 1",
                () -> Adam.builder(PARAMS).betas(0.9f, 1f).build());
        rejects("Adam: invalid eps -1.0E-8, expected eps >= 0", () -> Adam.builder(PARAMS).eps(-1e-8f).build());
        rejects("Adam: invalid lr NaN, expected lr >= 0", () -> Adam.builder(PARAMS).lr(Float.NaN).build());
        rejects("AdamW: invalid beta1 -0.1, expected 0 <= beta1 < 1",
                () -> AdamW.builder(PARAMS).betas(-0.1f, 0.999f).build());
        rejects("AdamW: invalid weightDecay -0.01, expected weightDecay >= 0",
                () -> AdamW.builder(PARAMS).weightDecay(-0.01f).build());
    }

    @Test
    void rmspropAndAdagrad() {
        rejects("RMSprop: invalid alpha -0.9, expected alpha >= 0", () -> RMSprop.builder(PARAMS).alpha(-0.9f).build());
        rejects("RMSprop: invalid momentum -1.0, expected momentum >= 0",
                () -> RMSprop.builder(PARAMS).momentum(-1f).build());
        rejects("Adagrad: invalid lrDecay -0.1, expected lrDecay >= 0",
                () -> Adagrad.builder(PARAMS).lrDecay(-0.1f).build());
        rejects("Adagrad: invalid initialAccumulatorValue -1.0, expected initialAccumulatorValue >= 0",
                () -> Adagrad.builder(PARAMS).initialAccumulatorValue(-1f).build());
    }

    @Test
    void parameterLists() {
        rejects("Adam: optimizer got an empty parameter list", () -> Adam.builder(List.of()).build());
        Tensor w = Tensor.zeros(2).requiresGrad_();
        rejects("Adam: parameter 1 is the same tensor as parameter 0; pass each parameter once",
                () -> Adam.builder(List.of(w, w)).build());
        Tensor computed = w.mul(2f);
        rejects("SGD: parameter 0 is not a leaf (computed by " + computed.gradFn().name()
                + "); an optimizer can only update leaves", () -> SGD.builder(List.of(computed)).lr(0.1f).build());
    }

    @Test
    void defaultsAreTorchs() {
        assertEquals("Adam (lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1.0E-8, weightDecay: 0.0, amsgrad: 0.0, "
                + "1 parameters)", Adam.builder(PARAMS).build().toString());
        assertEquals("AdamW (lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1.0E-8, weightDecay: 0.01, amsgrad: 0.0, "
                + "1 parameters)", AdamW.builder(PARAMS).build().toString());
        assertEquals("RMSprop (lr: 0.01, alpha: 0.99, eps: 1.0E-8, weightDecay: 0.0, momentum: 0.0, centered: 0.0, "
                + "1 parameters)", RMSprop.builder(PARAMS).build().toString());
        assertEquals("Adagrad (lr: 0.01, lrDecay: 0.0, weightDecay: 0.0, initialAccumulatorValue: 0.0, "
                + "eps: 1.0E-10, 1 parameters)", Adagrad.builder(PARAMS).build().toString());
    }
}
