package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Elementwise product with broadcasting.
 * <pre>
 *   forward:   c = a · b
 *   backward:  ∂L/∂a = ∂L/∂c · b,   ∂L/∂b = ∂L/∂c · a    (each summed back over its broadcast dims)
 * </pre>
 * Without broadcasting, when both inputs need a gradient, both come from one pass
 * ({@link Elementwise#mulBackward}) that reads ∂L/∂c once; with or without ∂L/∂a, ∂L/∂b is written over
 * ∂L/∂c itself when the backward walk says no one else can see it. Shape: a and b broadcast to c.
 *
 * <p>Each operand is saved only when the other operand's gradient needs it (a for ∂L/∂b, b for ∂L/∂a),
 * as PyTorch does: in {@code u = t · c} with a constant c, t is not saved, so changing t in place
 * afterwards ({@code t.relu_()}) leaves u's backward intact.
 */
public final class MulOp extends Function {
    private Saved a;
    private Saved b;
    private int[] aShape;
    private int[] bShape;

    public static Tensor apply(Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("mul", a.shape(), b.shape());
        float[] out = Broadcast.zip("mul", Elementwise.Binary.MUL, a, b, shape);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(a, b)) {
            return result;
        }
        MulOp op = new MulOp();
        op.aShape = a.shape();
        op.bShape = b.shape();
        if (b.requiresGrad()) {
            op.a = op.save(a);                          // ∂L/∂b = ∂L/∂c · a
        }
        if (a.requiresGrad()) {
            op.b = op.save(b);                          // ∂L/∂a = ∂L/∂c · b
        }
        return op.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = this.a == null ? null : this.a.get();     // saved only where a gradient uses it
        Tensor b = this.b == null ? null : this.b.get();
        boolean noBroadcast = Shape.same(aShape, gradOutput.shape()) && Shape.same(bShape, gradOutput.shape());
        if (noBroadcast && needsInputGrad(0) && needsInputGrad(1)) {
            float[] gradA = new float[gradOutput.numel()];
            float[] gradB = gradInputArray(gradOutput);       // ∂L/∂c's own array when no one else sees it
            Elementwise.mulBackward(gradOutput.data(), a.data(), b.data(), gradA, gradB);
            return new Tensor[] {Tensor.wrap(gradA, aShape), gradInputTensor(gradB, gradOutput)};
        }
        Tensor gradA = needsInputGrad(0) ? Broadcast.sumTo(gradOutput.mul(b), aShape) : null;
        Tensor gradB = null;
        if (needsInputGrad(1)) {
            if (noBroadcast && mayOverwriteGradOutput()) {   // only b needs a gradient, and no one else sees g
                float[] g = gradOutput.data();
                Elementwise.zip(Elementwise.Binary.MUL, g, a.data(), g);
                gradB = gradOutput;
            } else {
                gradB = Broadcast.sumTo(gradOutput.mul(a), bShape);
            }
        }
        return new Tensor[] {gradA, gradB};
    }
}
