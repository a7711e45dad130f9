package kindling.ops;

import kindling.autograd.Function;
import kindling.tensor.Tensor;

/**
 * A contiguous copy with its own storage ({@code clone}, and {@code contiguous} of a strided view).
 * <pre>
 *   forward:   y = x            (laid out row-major)
 *   backward:  ∂L/∂x = ∂L/∂y
 * </pre>
 */
public final class CloneOp extends Function {

    public static Tensor apply(Tensor input) {
        Tensor result = Tensor.wrap(input.toArray(), input.shape());
        return needsGrad(input) ? new CloneOp().record(result, input) : result;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput};
    }
}
