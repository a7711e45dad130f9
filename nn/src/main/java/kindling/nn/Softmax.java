package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Softmax along one dim, as PyTorch's {@code nn.Softmax}: each slice along {@code dim} becomes a
 * probability distribution.
 * <pre>
 *   y_i = exp(x_i − m) / Σ_j exp(x_j − m)      m = max_j x_j (subtracted for stability; y is unchanged)
 *   ∂L/∂x = y ⊙ (∂L/∂y − Σ_j ∂L/∂y_j · y_j)
 * </pre>
 * Shape: input any, output the same. No parameters. Feeding its output to a log is unstable: for a
 * classifier use {@link CrossEntropyLoss} on the logits, or {@link LogSoftmax} with {@link NLLLoss}.
 */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
