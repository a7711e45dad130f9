package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Leaky rectified linear unit, as PyTorch's {@code nn.LeakyReLU}.
 * <pre>
 *   y = x           if x > 0          ∂y/∂x = 1       if x > 0
 *     = s · x       otherwise                 = s       otherwise (also at x = 0, as PyTorch)
 * </pre>
 * with s = {@code negativeSlope}, PyTorch's default 0.01. Built from {@code where}, so its gradient is
 * the two branches' gradients routed by the mask.
 * Shape: input any, output the same. No parameters.
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Slope 0.01, PyTorch's default. */
    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negativeSlope must be finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Tensor.where(input.gt(0f), input, input.mul((float) negativeSlope));
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + PyRepr.floatRepr(negativeSlope);
    }
}
