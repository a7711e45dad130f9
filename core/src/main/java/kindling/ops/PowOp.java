package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise power with broadcasting: a base raised to an exponent.
 * <pre>
 *   forward:   c = aᵇ
 *   backward:  ∂L/∂a = ∂L/∂c · b · aᵇ⁻¹     (0 wherever b = 0, even at a = 0)
 *              ∂L/∂b = ∂L/∂c · c · ln a     (0 wherever a = 0 and b ≥ 0)
 * </pre>
 * The two masks are PyTorch's ({@code pow_backward_self}, {@code pow_backward_exponent}): without
 * them x⁰ would give 0 · 0⁻¹ = NaN at x = 0, and 0ᵇ would give 0 · ln 0 = NaN for b > 0, although
 * both functions are flat there. A negative base with a fractional exponent gives NaN, as in PyTorch.
 * Shape: a and b broadcast to c.
 */
public final class PowOp extends Function {
    private Saved base;
    private Saved exponent;
    private Saved output;

    public static Tensor apply(Tensor base, Tensor exponent) {
        int[] shape = Shape.broadcast("pow", base.shape(), exponent.shape());
        float[] a = base.broadcastData("pow", shape);
        float[] b = exponent.broadcastData("pow", shape);
        float[] out = new float[a.length];
        Elementwise.zip(Elementwise.Binary.POW, a, b, out);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(base, exponent)) {
            return result;
        }
        PowOp op = new PowOp();
        op.base = op.save(base);
        op.exponent = op.save(exponent);
        op.output = op.save(result);
        return op.record(result, base, exponent);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor base = this.base.get();
        Tensor exponent = this.exponent.get();
        int[] shape = gradOutput.shape();
        float[] g = gradOutput.data();
        float[] a = base.broadcastData("pow", shape);
        float[] b = exponent.broadcastData("pow", shape);
        Tensor gradBase = null;
        Tensor gradExponent = null;
        if (needsInputGrad(0)) {
            float[] grad = new float[g.length];
            Elementwise.zip3(Elementwise.Ternary.POW_GRAD_BASE, g, a, b, grad);
            gradBase = Broadcast.sumTo(Tensor.wrap(grad, shape), base.shape());
        }
        if (needsInputGrad(1)) {
            float[] c = output.get().data();
            float[] grad = new float[g.length];
            Elementwise.powExponentGrad(g, a, b, c, grad);
            gradExponent = Broadcast.sumTo(Tensor.wrap(grad, shape), exponent.shape());
        }
        return new Tensor[] {gradBase, gradExponent};
    }
}
