package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel 2016), as PyTorch's {@code nn.GELU}.
 * <pre>
 *   "none":  y = x · Φ(x) = x/2 · (1 + erf(x/√2))                               (PyTorch's default)
 *   "tanh":  y = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))                 (the approximation)
 * </pre>
 * Shape: input any, output the same. No parameters.
 */
public class GELU extends Module {
    private final String approximate;

    /** The exact form, {@code approximate="none"}. */
    public GELU() {
        this("none");
    }

    /** {@code approximate} is "none" (exact, erf) or "tanh". */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got " + approximate);
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu("tanh".equals(approximate));
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
