package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Elementwise negation.
 * <pre>
 *   forward:   y = −x
 *   backward:  ∂L/∂x = −∂L/∂y
 * </pre>
 * Shape: any; y has the shape of x.
 */
public final class NegOp extends Function {
    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.NEG, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        return new NegOp().record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.neg()};
    }
}
