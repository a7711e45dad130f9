package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Elementwise;
import kindling.tensor.Tensor;

/**
 * Logistic sigmoid.
 * <pre>
 *   forward:   y = σ(x) = 1 / (1 + e⁻ˣ)
 *   backward:  ∂L/∂x = ∂L/∂y · y · (1 − y)
 * </pre>
 * Computed without overflow by {@link Elementwise#sigmoid(float[], float[])} (how, and its SIMD path, are in
 * its javadoc), which cuts large tensors into blocks that run in parallel; the backward is
 * {@link Elementwise#derivative} with {@link Elementwise.Derivative#SIGMOID}, written over ∂L/∂y itself
 * when the backward walk says no one else can see it.
 * Shape: any; y has the shape of x.
 */
public final class SigmoidOp extends Function {
    private Saved output;

    public static Tensor apply(Tensor input) {
        float[] x = input.data();
        float[] out = new float[x.length];
        Elementwise.sigmoid(x, out);
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        SigmoidOp op = new SigmoidOp();
        op.output = op.save(result);
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] y = output.get().data();
        float[] gradInput = gradInputArray(gradOutput);   // g itself if no one else sees it
        Elementwise.derivative(Elementwise.Derivative.SIGMOID, g, y, gradInput);
        return new Tensor[] {gradInputTensor(gradInput, gradOutput)};
    }
}
