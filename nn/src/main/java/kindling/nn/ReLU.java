package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Rectified linear unit, as PyTorch's {@code nn.ReLU}.
 * <pre>
 *   y = max(x, 0)          ∂y/∂x = [x > 0]   (0 at x = 0)
 * </pre>
 * With {@code inplace} ({@code new ReLU(true)}, PyTorch's {@code nn.ReLU(inplace=True)}), y is written
 * over x with {@link Tensor#relu_()} and x itself is returned: no new array per call. Safe where x is a
 * fresh result nothing else holds, such as a convolution's or batch norm's output; the gradient is the
 * same, to the bit, as without it. Recording refuses a leaf that requires grad and a tensor that shares
 * storage with a view; an op that saved x for its backward fails there if x is then changed.
 * Shape: input any, output the same. No parameters.
 */
public class ReLU extends Module {
    private final boolean inplace;

    /** Out of place, PyTorch's default. */
    public ReLU() {
        this(false);
    }

    /** {@code inplace}: write the result over the input, as PyTorch's {@code nn.ReLU(inplace=True)}. */
    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!inplace) {
            return input.relu();
        }
        try {
            return input.relu_();
        } catch (IllegalStateException refused) {             // refused before writing: input is as it was
            throw new IllegalStateException(describe() + ": " + refused.getMessage()
                    + " Here, ReLU() (not in place) computes the same values and gradient.", refused);
        }
    }

    /** {@code inplace=True} when set, nothing otherwise, as PyTorch prints it. */
    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
