package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Central differences against backward for every differentiable reduction, on several dims. */
class ReductionGradCheckTest {

    /** Random normal values that require grad. */
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad_();
    }

    /**
     * Distinct values 0.1 apart in a shuffled order: max and min are differentiable only away from
     * ties, and the finite difference steps by h = 0.01.
     */
    private static Tensor distinct(long seed, int... shape) {
        Tensor order = Tensor.rand(new Generator(seed), shape);
        float[] keys = order.toArray();
        float[] values = new float[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int rank = 0;
            for (float other : keys) {
                rank += other < keys[i] ? 1 : 0;
            }
            values[i] = 0.1f * rank - 1f;
        }
        return Tensor.of(values, shape).requiresGrad_();
    }

    private static void assertGradient(Function<Tensor, Tensor> op, Tensor x) {
        GradCheck.Result result = GradCheck.check(in -> op.apply(in[0]), x);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void mean() {
        assertGradient(Tensor::mean, randn(1, 3, 4, 2));
        assertGradient(x -> x.mean(0), randn(2, 5));
        assertGradient(x -> x.mean(1), randn(3, 3, 4, 2));
        assertGradient(x -> x.mean(-1, true), randn(4, 3, 4, 2));
        assertGradient(x -> x.mean(new int[] {0, 2}, false), randn(5, 3, 4, 2));
        assertGradient(x -> x.mul(x).mean(-2, false), randn(6, 3, 4, 2));
    }

    @Test
    void maxAndMinOverEveryElement() {
        assertGradient(Tensor::max, distinct(1, 7));
        assertGradient(Tensor::min, distinct(2, 2, 3, 4));
        assertGradient(x -> x.max().mul(x), distinct(3, 3, 4));
    }

    @Test
    void maxAndMinAlongADim() {
        assertGradient(x -> x.max(0, false).values(), distinct(4, 6));
        assertGradient(x -> x.max(1, false).values(), distinct(5, 2, 3, 4));
        assertGradient(x -> x.min(-1, true).values(), distinct(6, 2, 3, 4));
        assertGradient(x -> x.min(0, false).values(), distinct(7, 2, 3, 4));
        assertGradient(x -> x.max(-2, true).values().mul(x), distinct(8, 2, 3, 4));
    }

    @Test
    void varAndStd() {
        assertGradient(Tensor::var, randn(11, 6));
        assertGradient(x -> x.var(false), randn(12, 2, 3, 2));
        assertGradient(x -> x.var(1, true, false), randn(13, 2, 3, 4));
        assertGradient(x -> x.var(-1, false, true), randn(14, 2, 3, 4));
        assertGradient(x -> x.var(new int[] {0, 2}, true, false), randn(15, 2, 3, 4));
        assertGradient(Tensor::std, randn(16, 6));
        assertGradient(x -> x.std(false), randn(17, 2, 3, 2));
        assertGradient(x -> x.std(0, true, true), randn(18, 3, 4, 2));
        assertGradient(x -> x.std(-2, false, false), randn(19, 2, 3, 4));
        assertGradient(x -> x.std(new int[] {-1, 0}, true, true), randn(20, 2, 3, 4));
        assertGradient(x -> x.std(1, true, false).mul(x.sum(1)), randn(21, 3, 4));
    }

    @Test
    void logsumexp() {
        assertGradient(x -> x.logsumexp(0), randn(31, 5));
        assertGradient(x -> x.logsumexp(1), randn(32, 2, 3, 4));
        assertGradient(x -> x.logsumexp(-1, true), randn(33, 2, 3, 4));
        assertGradient(x -> x.logsumexp(new int[] {0, 2}, false), randn(34, 2, 3, 4));
        assertGradient(x -> x.logsumexp(0, true).mul(x), randn(35, 3, 2));
    }

    @Test
    void softmaxOnEveryDimOfEveryRank() {
        assertGradient(x -> x.softmax(0), randn(41, 5));
        assertGradient(x -> x.softmax(0), randn(42, 2, 3, 4));
        assertGradient(x -> x.softmax(1), randn(43, 2, 3, 4));
        assertGradient(x -> x.softmax(-1), randn(44, 2, 3, 4));
        assertGradient(x -> x.transpose(0, 2).softmax(1), randn(45, 2, 3, 4));
        assertGradient(x -> x.softmax(1).mul(x), randn(46, 3, 4));
    }

    @Test
    void logSoftmaxOnEveryDimOfEveryRank() {
        assertGradient(x -> x.logSoftmax(0), randn(51, 5));
        assertGradient(x -> x.logSoftmax(0), randn(52, 2, 3, 4));
        assertGradient(x -> x.logSoftmax(1), randn(53, 2, 3, 4));
        assertGradient(x -> x.logSoftmax(-1), randn(54, 2, 3, 4));
        assertGradient(x -> x.transpose(0, 2).logSoftmax(1), randn(55, 2, 3, 4));
        assertGradient(x -> x.logSoftmax(1).mul(x), randn(56, 3, 4));
    }
}
