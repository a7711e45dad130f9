package kindling.ops;

import kindling.autograd.Function;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * {@code a += α·b} written over a, recorded by autograd: {@link Tensor#add_(Tensor, float)} (and
 * {@code sub_}, α = −1) while recording. A residual block's {@code Y += X} without a new array.
 * <pre>
 *   forward:   a ← a + α·b              (b broadcast to a's shape; a keeps its shape)
 *   backward:  ∂L/∂a_old = ∂L/∂a_new,   ∂L/∂b = α · ∂L/∂a_new    (summed back over b's broadcast dims)
 * </pre>
 * Nothing is saved: the sum's gradient needs no values, so overwriting a loses nothing backward needs.
 * The op becomes a's new {@code gradFn}; its edge for a leads to the function that produced a's old
 * values, where the ops that read a before this write also send their gradients.
 */
public final class AddInPlaceOp extends Function {
    private int[] otherShape;
    private float alpha;

    public static Tensor apply(Tensor self, Tensor other, float alpha) {
        String name = alpha == -1f ? "sub_" : "add_";
        float[] values = inPlaceStorage(name, self, other);
        float[] addend = other.broadcastData(name, self.shape());   // a shape error here leaves self as it was
        Elementwise.addScaled(values, alpha, addend);
        self.bumpVersion();
        AddInPlaceOp op = new AddInPlaceOp();
        op.otherShape = other.shape();
        op.alpha = alpha;
        return op.recordInPlace(self, self, other);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradOther = null;
        if (needsInputGrad(1)) {
            gradOther = Broadcast.sumTo(alpha == 1f ? gradOutput : gradOutput.mul(alpha), otherShape);
        }
        return new Tensor[] {needsInputGrad(0) ? gradOutput : null, gradOther};
    }
}
