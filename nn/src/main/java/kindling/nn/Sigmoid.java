package kindling.nn;

import kindling.tensor.Tensor;

/**
 * The logistic function, as PyTorch's {@code nn.Sigmoid}.
 * <pre>
 *   y = σ(x) = 1 / (1 + e⁻ˣ)          ∂y/∂x = y · (1 − y)
 * </pre>
 * Shape: input any, output the same. No parameters. For a loss on probabilities prefer
 * {@link BCEWithLogitsLoss} on the logits: it never computes log 0.
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
