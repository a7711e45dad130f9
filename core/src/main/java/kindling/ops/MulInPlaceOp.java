package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * {@code a *= b} (or {@code a *= c} for a number c) written over a, recorded by autograd:
 * {@link Tensor#mul_(Tensor)} and {@link Tensor#mul_(float)} while recording.
 * <pre>
 *   forward:   a ← a · b                (b broadcast to a's shape; a keeps its shape)
 *   backward:  ∂L/∂a_old = ∂L/∂a_new · b,   ∂L/∂b = ∂L/∂a_new · a_old   (summed back over b's broadcast dims)
 * </pre>
 * ∂L/∂b needs a's values from before the write, which the write destroys: when b requires grad, a copy
 * of them is saved first (as PyTorch saves {@code original_self}), so mul_ then allocates as much as mul.
 * b is saved as is; changing it before backward fails there. When b is a itself ({@code a.mul_(a)}) or
 * shares its storage, b is copied first (a recorded copy), so the op never saves the values it overwrites.
 */
public final class MulInPlaceOp extends Function {
    private Saved other;
    private Saved selfBefore;
    private float factor;
    private int[] otherShape;

    public static Tensor apply(Tensor self, Tensor other) {
        float[] values = inPlaceStorage("mul_", self, other);
        if (other.storage() == self.storage()) {
            other = CloneOp.apply(other);                                // recorded: its gradient reaches other
        }
        float[] factors = other.broadcastData("mul_", self.shape());  // a shape error leaves self as it was
        MulInPlaceOp op = new MulInPlaceOp();
        if (other.requiresGrad()) {
            op.selfBefore = op.save(Tensor.of(values, self.shape()));    // a copy of a_old
        }
        if (self.requiresGrad()) {
            op.other = op.save(other);
        }
        Elementwise.zip(Elementwise.Binary.MUL, values, factors, values);
        self.bumpVersion();
        op.otherShape = other.shape();
        return op.recordInPlace(self, self, other);
    }

    public static Tensor apply(Tensor self, float factor) {
        float[] values = inPlaceStorage("mul_", self);
        Elementwise.scale(values, factor);
        self.bumpVersion();
        MulInPlaceOp op = new MulInPlaceOp();
        op.factor = factor;
        return op.recordInPlace(self, self);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        if (otherShape == null) {                                   // a *= c
            return new Tensor[] {gradOutput.mul(factor)};
        }
        Tensor gradSelf = needsInputGrad(0) ? gradOutput.mul(other.get()) : null;
        Tensor gradOther = needsInputGrad(1) ? Broadcast.sumTo(gradOutput.mul(selfBefore.get()), otherShape) : null;
        return new Tensor[] {gradSelf, gradOther};
    }
}
