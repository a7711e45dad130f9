package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every differentiable elementwise op: shapes broadcast (4, 3) with
 * (3,) and with (4, 1), and one input used twice. Inputs stay more than 1e-2 (the step) away from
 * kinks and poles, where a central difference is meaningless; the kinks are tested against
 * PyTorch in ElementwiseGoldenTest.
 */
class ElementwiseGradCheckTest {

    private static void assertGradCheck(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.check(f, inputs);
        assertTrue(result.passed(), what + ": " + result);
    }

    private static Tensor leaf(float[] values, int... shape) {
        return Tensor.of(values, shape).requiresGrad_();
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad_();
    }

    /** −2.9, −2.4, …, 2.6: every value ends in .1 or .6, so it stays clear of the values below. */
    private static Tensor grid43() {
        return Tensor.arange(12).reshape(4, 3).mul(0.5f).sub(2.9f).detach().requiresGrad_();
    }

    private static Tensor row3() {
        return leaf(new float[] {-1.23f, 0.37f, 1.83f}, 3);
    }

    private static Tensor column41() {
        return leaf(new float[] {-2.2f, -0.3f, 0.85f, 2.35f}, 4, 1);
    }

    /** Positive values from 0.5 to about 2.7, for log, sqrt, pow bases and divisors. */
    private static Tensor positive(long seed, int... shape) {
        return Tensor.rand(new Generator(seed), shape).mul(2.2f).add(0.5f).detach().requiresGrad_();
    }

    @Test
    void subAndDivBroadcast() {
        assertGradCheck("sub row", in -> in[0].sub(in[1]), grid43(), row3());
        assertGradCheck("sub column", in -> in[0].sub(in[1]), grid43(), column41());
        assertGradCheck("div row", in -> in[0].div(in[1]), grid43(), row3());
        assertGradCheck("div column", in -> in[0].div(in[1]), grid43(), column41());
    }

    @Test
    void powBroadcastsInBaseAndExponent() {
        assertGradCheck("pow row", in -> in[0].pow(in[1]), positive(1, 4, 3), row3());
        assertGradCheck("pow column", in -> in[0].pow(in[1]), positive(2, 4, 3), column41());
        assertGradCheck("pow base row", in -> in[0].pow(in[1]), positive(3, 3), randn(4, 4, 3));
    }

    @Test
    void maximumAndMinimumBroadcast() {
        assertGradCheck("maximum row", in -> in[0].maximum(in[1]), grid43(), row3());
        assertGradCheck("maximum column", in -> in[0].maximum(in[1]), grid43(), column41());
        assertGradCheck("minimum row", in -> in[0].minimum(in[1]), grid43(), row3());
        assertGradCheck("minimum column", in -> in[0].minimum(in[1]), grid43(), column41());
    }

    @Test
    void inputUsedTwiceInABinaryOp() {
        assertGradCheck("x - x", in -> in[0].sub(in[0]), randn(5, 4, 3));
        assertGradCheck("x / x", in -> in[0].div(in[0]), positive(6, 4, 3));
        assertGradCheck("x ^ x", in -> in[0].pow(in[0]), positive(7, 4, 3));
        // every element ties with itself: the halves add up to the whole gradient
        assertGradCheck("maximum(x, x)", in -> in[0].maximum(in[0]), randn(8, 4, 3));
        assertGradCheck("minimum(x, x)", in -> in[0].minimum(in[0]), randn(9, 4, 3));
        assertGradCheck("where(c, x, x)", in -> Tensor.where(in[0].gt(0), in[0], in[0]), grid43());
    }

    @Test
    void scalarOverloads() {
        assertGradCheck("add", in -> in[0].add(1.5f), randn(10, 4, 3));
        assertGradCheck("sub", in -> in[0].sub(1.5f), randn(11, 4, 3));
        assertGradCheck("mul", in -> in[0].mul(-2.5f), randn(12, 4, 3));
        assertGradCheck("div", in -> in[0].div(4f), randn(13, 4, 3));
        assertGradCheck("pow 3", in -> in[0].pow(3f), randn(14, 4, 3));
        assertGradCheck("pow -0.5", in -> in[0].pow(-0.5f), positive(15, 4, 3));
    }

    @Test
    void whereBroadcastsConditionAndBothBranches() {
        Tensor condition = Tensor.of(new float[] {1, 0, 0, 1}, 4, 1);
        assertGradCheck("where", in -> Tensor.where(condition, in[0], in[1]), row3(), grid43());
        assertGradCheck("where swapped", in -> Tensor.where(condition, in[0], in[1]), grid43(), column41());
    }

    @Test
    void smoothUnaryOps() {
        assertGradCheck("neg", in -> in[0].neg(), randn(20, 4, 3));
        assertGradCheck("exp", in -> in[0].exp(), randn(21, 4, 3));
        assertGradCheck("log", in -> in[0].log(), positive(22, 4, 3));
        assertGradCheck("sqrt", in -> in[0].sqrt(), positive(23, 4, 3));
        assertGradCheck("sigmoid", in -> in[0].sigmoid(), randn(24, 4, 3).mul(3).detach().requiresGrad_());
        assertGradCheck("tanh", in -> in[0].tanh(), randn(25, 4, 3));
        assertGradCheck("gelu", in -> in[0].gelu(), randn(26, 4, 3).mul(2).detach().requiresGrad_());
        assertGradCheck("gelu tanh", in -> in[0].gelu(true), randn(27, 4, 3).mul(2).detach().requiresGrad_());
        assertGradCheck("sin", in -> in[0].sin(), randn(28, 4, 3).mul(3).detach().requiresGrad_());
        assertGradCheck("cos", in -> in[0].cos(), randn(29, 4, 3).mul(3).detach().requiresGrad_());
    }

    @Test
    void unaryOpsWithAKinkAwayFromIt() {
        float[] aroundZero = {-2.1f, -0.7f, -0.05f, 0.04f, 0.3f, 1.9f};
        assertGradCheck("abs", in -> in[0].abs(), leaf(aroundZero, 6));
        assertGradCheck("relu", in -> in[0].relu(), leaf(aroundZero, 6));
        float[] aroundBounds = {-2.1f, -1.05f, -0.95f, 0.2f, 0.96f, 1.04f, 3f};
        assertGradCheck("clamp", in -> in[0].clamp(-1, 1), leaf(aroundBounds, 7));
        assertGradCheck("clampMin", in -> in[0].clampMin(-1), leaf(aroundBounds, 7));
        assertGradCheck("clampMax", in -> in[0].clampMax(1), leaf(aroundBounds, 7));
        assertGradCheck("clamp to infinity", in -> in[0].clamp(Float.NEGATIVE_INFINITY, 1), leaf(aroundBounds, 7));
    }

    @Test
    void unaryOpsOnAnInputUsedTwice() {
        assertGradCheck("x · sigmoid(x)", in -> in[0].mul(in[0].sigmoid()), randn(30, 4, 3));
        assertGradCheck("exp(x) - tanh(x)", in -> in[0].exp().sub(in[0].tanh()), randn(31, 4, 3));
    }
}
