package kindling.nn;

import kindling.tensor.Tensor;

/**
 * Sigmoid linear unit, also called swish (Elfwing, Uchibe &amp; Doya 2017; Ramachandran, Zoph &amp; Le
 * 2017), as PyTorch's {@code nn.SiLU}: the activation of most diffusion and flow-matching U-Nets.
 * <pre>
 *   y = x · σ(x) = x / (1 + e^(−x))
 *   ∂y/∂x = σ(x) · (1 + x · (1 − σ(x)))
 * </pre>
 * Composed from {@link Tensor#sigmoid()} and {@link Tensor#mul(Tensor)}: the product rule of the
 * autograd gives the derivative above, so no backward is written here. Unlike ReLU it is smooth and
 * slightly negative for x &lt; 0 (its minimum is ≈ −0.278 at x ≈ −1.278).
 *
 * <p>Shape: input any, output the same. No parameters.
 */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.mul(input.sigmoid());
    }
}
