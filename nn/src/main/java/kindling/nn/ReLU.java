package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Rectified linear unit, as PyTorch's {@code nn.ReLU}.
 * <pre>
 *   y = max(x, 0)          ∂y/∂x = [x > 0]   (0 at x = 0)
 * </pre>
 * Shape: input any, output the same. No parameters.
 */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
