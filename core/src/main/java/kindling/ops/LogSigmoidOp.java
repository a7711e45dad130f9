package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * log σ(x), computed without overflow: the building block of {@code kindling.nn.functional.Losses.binaryCrossEntropyWithLogits}.
 * <pre>
 *   forward:   y = log σ(x) = −(max(−x, 0) + log(1 + e^(−|x|)))
 *   backward:  ∂L/∂x = ∂L/∂y · (1 − σ(x)) = ∂L/∂y · σ(−x)
 * </pre>
 * The naive log(1 / (1 + e⁻ˣ)) overflows e⁻ˣ for x below about −88 and returns −∞; the form above
 * only ever exponentiates a non-positive number. A dedicated op (rather than a composition with abs
 * and max) also gives the right gradient at x = 0, where |x| and max have kinks that cancel.
 * Shape: any; y has the shape of x.
 */
public final class LogSigmoidOp extends Function {
    private Saved input;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.LOG_SIGMOID, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        LogSigmoidOp op = new LogSigmoidOp();
        op.input = op.save(input);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] gradInput = new float[g.length];
        Elementwise.derivative(Elementwise.Derivative.LOG_SIGMOID, g, x, gradInput);
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }
}
