package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Hyperbolic tangent, as PyTorch's {@code nn.Tanh}.
 * <pre>
 *   y = tanh x = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)          ∂y/∂x = 1 − y²
 * </pre>
 * Shape: input any, output the same. No parameters.
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
