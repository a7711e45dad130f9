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
 *
 * <p>{@link #applyInPlace} is {@code relu_}: y is written over x, and since backward needs only y
 * (y > 0 exactly where x > 0), nothing backward needs is lost; the saved y is x's storage at its new
 * version. The op becomes x's new {@code gradFn}, its edge leading to the function that produced x.
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

    /** {@code x ← max(x, 0)} in x's storage, recorded; x requires grad and recording is on. */
    public static Tensor applyInPlace(Tensor input) {
        float[] x = inPlaceStorage("relu_", input);
        Elementwise.map(Elementwise.Unary.RELU, x, x);
        input.bumpVersion();
        ReluOp op = new ReluOp();
        op.output = op.save(input);                        // y, at the version after the write
        return op.recordInPlace(input, input);
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
