package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Rectified linear unit.
 * <pre>
 *   forward:   y = max(x, 0)             (NaN stays NaN)
 *   backward:  ∂L/∂x = ∂L/∂y · [y > 0]    (0 at x = 0, as PyTorch)
 * </pre>
 * The mask is written {@code y <= 0 ? 0 : g}, PyTorch's {@code threshold_backward}, so a NaN input
 * passes its gradient through as PyTorch does.
 * Large tensors run in parallel blocks; the mask is {@link Elementwise#reluBackward} (a blend, not a
 * branch, when the Vector API is in use), written over ∂L/∂y itself when the backward walk says no one
 * else can see it (saving a new array as large as the activation). Shape: any; y has the shape of x.
 */
public final class ReluOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.map(Elementwise.Unary.RELU, x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        ReluOp op = new ReluOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = gradInputArray(gradOutput);   // g itself if no one else sees it
        Elementwise.reluBackward(y, g, gradInput);
        return new Tensor[] {gradInputTensor(gradInput, gradOutput)};
    }
}
