package kindling.ops;

import java.util.function.Function;
import kindling.tensor.Tensor;
import kindling.tensor.ValuesAndIndices;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** Reductions and softmax against PyTorch 1.13 (tools/golden/gen_reductions.py). */
class ReductionGoldenTest {
    private static final Golden GOLDEN = Golden.load("reductions.txt");

    /** Runs {@code op} on {@code <name>_x}, backpropagates Σ out · w, compares output and gradient. */
    private static void check(String name, Function<Tensor, Tensor> op, double atol, double rtol) {
        Tensor x = GOLDEN.input(name + "_x");
        Tensor y = op.apply(x);
        y.mul(GOLDEN.get(name + "_w")).sum().backward();
        GOLDEN.assertClose(name + "_out", y, atol, rtol);
        GOLDEN.assertClose(name + "_grad", x.grad(), atol, rtol);
    }

    private static void check(String name, Function<Tensor, Tensor> op) {
        check(name, op, 1e-6, 1e-5);
    }

    /** As {@link #check} for max/min along a dim, also comparing the indices. */
    private static void checkWithIndices(String name, Function<Tensor, ValuesAndIndices> op) {
        Tensor x = GOLDEN.input(name + "_x");
        ValuesAndIndices result = op.apply(x);
        result.values().mul(GOLDEN.get(name + "_w")).sum().backward();
        GOLDEN.assertClose(name + "_out", result.values(), 0, 0);
        GOLDEN.assertClose(name + "_idx", result.indices(), 0, 0);
        GOLDEN.assertClose(name + "_grad", x.grad(), 0, 0);
    }

    @Test
    void meanMatchesPyTorch() {
        check("mean_all", Tensor::mean);
        check("mean_dim1", x -> x.mean(1));
        check("mean_neg_keep", x -> x.mean(-1, true));
        check("mean_dims02", x -> x.mean(new int[] {0, 2}, false));
    }

    @Test
    void fullMaxAndMinShareTheGradientAmongTies() {
        check("max_all_ties", Tensor::max);
        check("min_all_ties", Tensor::min);
    }

    @Test
    void maxAndMinAlongADimPickTheFirstTieAsPyTorch() {
        checkWithIndices("max_dim1_ties", x -> x.max(1, false));
        checkWithIndices("min_dim0_ties_keep", x -> x.min(0, true));
        checkWithIndices("max_dimneg1_3d", x -> x.max(-1, false));
        checkWithIndices("min_dim1_3d_keep", x -> x.min(1, true));
    }

    @Test
    void argmaxAndArgminMatchPyTorch() {
        Tensor ties = GOLDEN.get("max_dim1_ties_x");
        GOLDEN.assertClose("argmax_all_ties", ties.argmax(), 0, 0);
        GOLDEN.assertClose("argmin_all_ties", ties.argmin(), 0, 0);
        GOLDEN.assertClose("argmax_dim1_ties", ties.argmax(1, false), 0, 0);
        GOLDEN.assertClose("argmin_dim0_ties_keep", ties.argmin(0, true), 0, 0);
    }

    @Test
    void varAndStdMatchPyTorch() {
        check("var_all", Tensor::var);
        check("std_all_biased", x -> x.std(false));
        check("var_dim1", x -> x.var(1, true, false));
        check("std_neg_keep_biased", x -> x.std(-1, false, true));
        check("var_dims02_biased", x -> x.var(new int[] {0, 2}, false, false));
        check("std_dims12", x -> x.std(new int[] {1, 2}, true, false));
    }

    @Test
    void varianceOfALargeMeanKeepsItsDigits() {
        // Values near 10000 with spread ~1: float32 spacing there is 1e-3, so allow that much.
        check("var_offset", x -> x.var(1, true, false), 1e-3, 1e-3);
    }

    @Test
    void stdOfAConstantRowHasZeroGradientAsPyTorch() {
        check("std_constant_row", x -> x.std(1, true, false));
    }

    @Test
    void logsumexpMatchesPyTorch() {
        check("lse_dim1", x -> x.logsumexp(1));
        check("lse_neg_keep", x -> x.logsumexp(-1, true));
        check("lse_dims02", x -> x.logsumexp(new int[] {0, 2}, false));
        check("lse_large", x -> x.logsumexp(1));
    }

    @Test
    void softmaxMatchesPyTorchOnEveryDim() {
        check("softmax_dim1", x -> x.softmax(1));
        check("softmax_neg1", x -> x.softmax(-1));
        check("softmax_dim0", x -> x.softmax(0));
        check("softmax_1d", x -> x.softmax(0));
        check("softmax_transposed", x -> x.transpose(0, 2).softmax(1));
    }

    @Test
    void softmaxOfValuesNearPlusMinusAThousandDoesNotOverflow() {
        check("softmax_large", x -> x.softmax(1));
        check("logsoftmax_large", x -> x.logSoftmax(1));
    }

    @Test
    void logSoftmaxMatchesPyTorchOnEveryDim() {
        check("logsoftmax_dim1", x -> x.logSoftmax(1));
        check("logsoftmax_neg1", x -> x.logSoftmax(-1));
        check("logsoftmax_1d", x -> x.logSoftmax(0));
        check("logsoftmax_transposed", x -> x.transpose(0, 2).logSoftmax(1));
    }
}
