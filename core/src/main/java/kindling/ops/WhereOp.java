package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Picks from {@code x} where the condition holds and from {@code y} elsewhere, as {@code torch.where}.
 * <pre>
 *   forward:   out = x  where condition ≠ 0     (NaN counts as true, as bool(NaN) does)
 *                    y  where condition = 0
 *   backward:  ∂L/∂x = ∂L/∂out · [condition ≠ 0],   ∂L/∂y = ∂L/∂out · [condition = 0]
 * </pre>
 * The condition only selects, so it gets no gradient. Shape: condition, x and y broadcast together to out.
 */
public final class WhereOp extends Function {
    private Saved condition;
    private int[] xShape;
    private int[] yShape;

    public static Tensor apply(Tensor condition, Tensor x, Tensor y) {
        int[] shape = broadcast(condition.shape(), x.shape(), y.shape());
        float[] c = condition.broadcastData("where", shape);
        float[] a = x.broadcastData("where", shape);
        float[] b = y.broadcastData("where", shape);
        float[] out = new float[c.length];
        Elementwise.zip3(Elementwise.Ternary.WHERE, c, a, b, out);
        Tensor result = Tensor.wrap(out, shape);
        if (!needsGrad(x, y)) {
            return result;
        }
        WhereOp op = new WhereOp();
        op.condition = op.save(condition);
        op.xShape = x.shape();
        op.yShape = y.shape();
        return op.record(result, x, y);
    }

    /** The shape all three broadcast to; the error names each of them, as a pairwise message could not. */
    private static int[] broadcast(int[] condition, int[] x, int[] y) {
        try {
            return Shape.broadcast("where", Shape.broadcast("where", condition, x), y);
        } catch (ShapeException e) {
            for (int d = 1; ; d++) {
                int c = size(condition, d);
                int a = size(x, d);
                int b = size(y, d);
                int target = Math.max(c, Math.max(a, b));
                if ((c != 1 && c != target) || (a != 1 && a != target) || (b != 1 && b != target)) {
                    throw new ShapeException("where: condition " + Shape.format(condition) + ", x "
                            + Shape.format(x) + " and y " + Shape.format(y) + " are not broadcastable at dim "
                            + (-d) + " (" + c + " vs " + a + " vs " + b + ")");
                }
            }
        }
    }

    /** The size of dim −d counted from the right, 1 where the shape has no such dim. */
    private static int size(int[] shape, int d) {
        return d <= shape.length ? shape[shape.length - d] : 1;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        int[] shape = gradOutput.shape();
        float[] g = gradOutput.data();
        float[] c = condition.get().broadcastData("where", shape);
        Tensor gradX = null;
        Tensor gradY = null;
        if (needsInputGrad(0)) {
            float[] grad = new float[g.length];
            Elementwise.derivative(Elementwise.Derivative.WHERE_NONZERO, g, c, grad);
            gradX = Broadcast.sumTo(Tensor.wrap(grad, shape), xShape);
        }
        if (needsInputGrad(1)) {
            float[] grad = new float[g.length];
            Elementwise.derivative(Elementwise.Derivative.WHERE_ZERO, g, c, grad);
            gradY = Broadcast.sumTo(Tensor.wrap(grad, shape), yShape);
        }
        return new Tensor[] {gradX, gradY};
    }
}
