package kindling.autograd;

import java.util.Locale;
import java.util.function.Function;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Checks a backward pass against finite differences — the test every op, layer and loss in
 * Kindling passes, and the one to run on your own.
 *
 * <p>For f built from tensors, compare the analytic gradient backward computes with the central
 * difference of a scalar projection of f, element by element:
 * <pre>
 *   L(x)          = Σ f(x) · w                 (w fixed random weights: every output counts)
 *   ∂L/∂x[i]  ≈  (L(x + h·e_i) − L(x − h·e_i)) / 2h
 *   pass when  |analytic − numeric| ≤ atol + rtol · |numeric|   for every i of every input
 * </pre>
 * Float32 limits the accuracy: with h = 1e-2 (default) the truncation error is O(h²) and the
 * rounding error O(ε/h), so tolerances of a few 1e-3 are right; the differences are accumulated in
 * double precision.
 *
 * <p>In a test (coursework included), one line checks and fails with the worst element:
 * <pre>
 *   GradCheck.assertPasses(in -&gt; in[0].mul(in[1]).add(in[0]), a, b);
 * </pre>
 * or, to look at the result first:
 * <pre>
 *   GradCheck.Result r = GradCheck.check(in -&gt; in[0].mul(in[1]).add(in[0]), a, b);
 *   assertTrue(r.passed(), r.toString());
 * </pre>
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** The outcome: whether every element passed, and the worst one found. */
    public record Result(boolean passed, int input, int[] index, double analytic, double numeric,
                         double error) {
        @Override
        public String toString() {
            if (input < 0) {
                return "gradcheck passed (no elements to check)";
            }
            return String.format(Locale.ROOT, "gradcheck %s: worst element is input %d at index %s: analytic %.6g, "
                    + "numeric %.6g (error %.3g)", passed ? "passed" : "FAILED", input, Shape.format(index),
                    analytic, numeric, error);
        }
    }

    /**
     * Checks as {@link #check(Function, Tensor...)} and throws an {@link AssertionError} naming the
     * worst element (input, index, analytic and numeric value) when it fails: JUnit and every other
     * test framework report it as a failed test.
     *
     * @return the result, for tests that look further
     */
    public static Result assertPasses(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return assertPasses(f, 1e-2, 1e-2, 1e-2, inputs);
    }

    /** As {@link #assertPasses(Function, Tensor...)} with the step and tolerances of {@link #check(Function, double, double, double, Tensor...)}. */
    public static Result assertPasses(Function<Tensor[], Tensor> f, double h, double atol, double rtol,
                                      Tensor... inputs) {
        Result result = check(f, h, atol, rtol, inputs);
        if (!result.passed()) {
            throw new AssertionError(result.toString());
        }
        return result;
    }

    /** Checks with h = 1e-2, atol = 1e-2, rtol = 1e-2: loose enough for float32, tight enough to catch a bug. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-2, 1e-2, 1e-2, inputs);
    }

    /**
     * Compares analytic and numeric gradients for every element of every input that requires grad.
     * The inputs are changed during the check and restored after.
     */
    public static Result check(Function<Tensor[], Tensor> f, double h, double atol, double rtol,
                               Tensor... inputs) {
        Tensor output = f.apply(inputs);
        Tensor weights = Tensor.randn(new kindling.tensor.Generator(1234), output.shape());
        for (Tensor input : inputs) {
            input.setGrad(null);
        }
        output.mul(weights).sum().backward();

        boolean passed = true;
        Result worst = new Result(true, -1, new int[0], 0, 0, 0);
        double worstExcess = Double.NEGATIVE_INFINITY;      // error minus what is allowed: > 0 fails
        for (int which = 0; which < inputs.length; which++) {
            Tensor input = inputs[which];
            if (!input.requiresGrad()) {
                continue;
            }
            float[] analytic = input.grad() == null ? new float[input.numel()] : input.grad().toArray();
            float[] original = input.toArray();
            for (int i = 0; i < original.length; i++) {
                double plus = perturbed(f, inputs, which, original, i, original[i] + h, weights);
                double minus = perturbed(f, inputs, which, original, i, original[i] - h, weights);
                double numeric = (plus - minus) / (2 * h);
                double error = Math.abs(analytic[i] - numeric);
                double excess = error - (atol + rtol * Math.abs(numeric));
                passed &= excess <= 0;
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = new Result(true, which, unravel(i, input.shape()), analytic[i], numeric, error);
                }
            }
            setValues(input, original);
        }
        return new Result(passed, worst.input, worst.index, worst.analytic, worst.numeric, worst.error);
    }

    private static double perturbed(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, float[] original,
                                    int element, double value, Tensor weights) {
        float[] values = original.clone();
        values[element] = (float) value;
        setValues(inputs[which], values);
        try (NoGrad scope = NoGrad.enter()) {
            float[] out = f.apply(inputs).toArray();
            float[] w = weights.toArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += (double) out[i] * w[i];
            }
            return sum;
        }
    }

    private static void setValues(Tensor input, float[] values) {
        try (NoGrad scope = NoGrad.enter()) {
            input.copy_(Tensor.wrap(values, input.shape()));
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
