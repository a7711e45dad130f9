package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Log-softmax along one dim, as PyTorch's {@code nn.LogSoftmax}.
 * <pre>
 *   y_i = x_i − m − log Σ_j exp(x_j − m)       m = max_j x_j
 *   ∂L/∂x = ∂L/∂y − softmax(x) · Σ_j ∂L/∂y_j
 * </pre>
 * Computed directly, never as log(softmax(x)), which would give −∞ where softmax underflows.
 * Shape: input any, output the same. No parameters. Pair with {@link NLLLoss}.
 */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
