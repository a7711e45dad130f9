package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * The elementwise ops against PyTorch 1.13 (tools/golden/gen_elementwise.py): outputs and the
 * gradients of L = Σ y·w, at random points and at the edge points where PyTorch picks a convention
 * (relu'(0), abs'(0), clamp at its bounds, ties of maximum/minimum, sqrt'(0), pow(x, 0), 0ᵇ, x/0).
 */
class ElementwiseGoldenTest {
    private static final Golden GOLDEN = Golden.load("elementwise.txt");
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;

    /** Runs case {@code name}: inputs {@code name_<input>}, upstream gradient {@code name_w}. */
    private static void check(String name, Function<Tensor[], Tensor> f, String... inputNames) {
        Tensor[] inputs = new Tensor[inputNames.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = GOLDEN.input(name + "_" + inputNames[i]);
        }
        Tensor y = f.apply(inputs);
        y.backward(GOLDEN.get(name + "_w"));
        assertMatches(name + "_out", y);
        for (int i = 0; i < inputs.length; i++) {
            assertMatches(name + "_grad_" + inputNames[i], inputs[i].grad());
        }
    }

    private static void checkUnary(String name, Function<Tensor, Tensor> f) {
        check(name, in -> f.apply(in[0]), "x");
    }

    /**
     * As {@link Golden#assertClose}, but first requires ∞ and NaN to sit at the same places with the
     * same sign (|∞ − ∞| is NaN, so a tolerance cannot compare them), then compares the rest.
     */
    private static void assertMatches(String name, Tensor actual) {
        Tensor expected = GOLDEN.get(name);
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), name);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (!Float.isFinite(e[i]) || !Float.isFinite(a[i])) {
                assertEquals(e[i], a[i], name + ": element " + i);
                e[i] = 0;
                a[i] = 0;
            }
        }
        Golden.assertClose("elementwise.txt:" + name, Tensor.wrap(e, expected.shape()),
                Tensor.wrap(a, actual.shape()), ATOL, RTOL);
    }

    @Test
    void binaryOpsBroadcastLikePyTorch() {
        for (String layout : new String[] {"_row", "_col"}) {
            check("sub" + layout, in -> in[0].sub(in[1]), "a", "b");
            check("div" + layout, in -> in[0].div(in[1]), "a", "b");
            check("pow" + layout, in -> in[0].pow(in[1]), "a", "b");
            check("maximum" + layout, in -> in[0].maximum(in[1]), "a", "b");
            check("minimum" + layout, in -> in[0].minimum(in[1]), "a", "b");
        }
    }

    @Test
    void divisionByZeroFollowsIeee() {
        check("div_edge", in -> in[0].div(in[1]), "a", "b");
    }

    @Test
    void maximumAndMinimumSplitTheGradientOnTies() {
        check("maximum_edge", in -> in[0].maximum(in[1]), "a", "b");
        check("minimum_edge", in -> in[0].minimum(in[1]), "a", "b");
    }

    @Test
    void powMasksZeroExponentAndZeroBaseAsPyTorch() {
        check("pow_edge", in -> in[0].pow(in[1]), "a", "b");
    }

    @Test
    void scalarOverloadsMatchPyTorch() {
        check("adds", in -> in[0].add(1.5f), "a");
        check("subs", in -> in[0].sub(1.5f), "a");
        check("muls", in -> in[0].mul(-2.5f), "a");
        check("divs", in -> in[0].div(4f), "a");
        check("pows", in -> in[0].pow(3f), "a");
        check("pows_zero", in -> in[0].pow(0f), "a");
        check("pows_half", in -> in[0].pow(0.5f), "a");
    }

    @Test
    void comparisonsGiveMasksThatNeverRequireGrad() {
        Tensor a = GOLDEN.input("cmp_a");
        Tensor b = GOLDEN.input("cmp_b");
        Tensor[][] results = {
            {a.eq(b), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b)},
            {a.eq(2), a.ne(2), a.lt(2), a.le(2), a.gt(2), a.ge(2)},
        };
        String[] names = {"eq", "ne", "lt", "le", "gt", "ge"};
        for (int k = 0; k < names.length; k++) {
            assertMatches("cmp_" + names[k] + "_out", results[0][k]);
            assertMatches("cmp_" + names[k] + "_scalar_out", results[1][k]);
            assertFalse(results[0][k].requiresGrad(), names[k]);
            assertFalse(results[1][k].requiresGrad(), names[k]);
        }
    }

    @Test
    void whereMasksTheGradientAndGivesTheConditionNone() {
        Tensor condition = GOLDEN.input("where_cond");
        check("where", in -> Tensor.where(condition, in[0], in[1]), "x", "y");
        assertNull(condition.grad());
    }

    @Test
    void unaryOpsMatchPyTorchIncludingTheirEdges() {
        checkUnary("neg", Tensor::neg);
        checkUnary("exp", Tensor::exp);
        checkUnary("log", Tensor::log);
        checkUnary("sqrt", Tensor::sqrt);
        checkUnary("abs", Tensor::abs);
        checkUnary("relu", Tensor::relu);
        checkUnary("sigmoid", Tensor::sigmoid);
        checkUnary("tanh", Tensor::tanh);
        checkUnary("sin", Tensor::sin);
        checkUnary("cos", Tensor::cos);
    }

    @Test
    void geluMatchesPyTorchInBothForms() {
        checkUnary("gelu", Tensor::gelu);
        checkUnary("gelu_tanh", x -> x.gelu(true));
    }

    @Test
    void clampPassesTheGradientAtItsBounds() {
        checkUnary("clamp", x -> x.clamp(-1, 1));
        checkUnary("clamp_min", x -> x.clampMin(-1));
        checkUnary("clamp_max", x -> x.clampMax(1));
        checkUnary("clamp_inf", x -> x.clamp(Float.NEGATIVE_INFINITY, 0.5f));
        checkUnary("clamp_crossed", x -> x.clamp(1, -1));
    }

    @Test
    void erfcHasTheStatedRelativeAccuracy() {
        // The grid steps by 1/16, exact in float; the reference is float-rounded (≤ 6e-8 relative),
        // so the bound is the approximation's 1.2e-7 plus that rounding.
        float[] x = GOLDEN.get("erfc_x").toArray();
        float[] expected = GOLDEN.get("erfc_out").toArray();
        for (int i = 0; i < x.length; i++) {
            double relative = Math.abs(GeluOp.erfc(x[i]) - expected[i]) / expected[i];
            assertTrue(relative < 1.8e-7, "erfc(" + x[i] + ") = " + GeluOp.erfc(x[i]) + " but torch gives "
                    + expected[i] + ": relative error " + relative);
        }
    }
}
