package kindling.ops.conv;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.Convolutions;
import kindling.kernels.ConvGeometry;
import kindling.ops.MacCounter;
import kindling.tensor.Tensor;

/**
 * 2-D convolution as one fused op (PyTorch's {@code F.conv2d}, a cross-correlation).
 * <pre>
 *   forward:   y[n, o, i, j] = b[o] + Σ_c Σ_a Σ_b' w[o, c, a, b'] · x[n, c₀ + c, i·s_h − p_t + a·d_h, j·s_w − p_l + b'·d_w]
 *   backward:  ∂L/∂x = col2im(Wᵀ · ∂L/∂Y)      ∂L/∂w = ∂L/∂Y · im2col(x)ᵀ      ∂L/∂b[o] = Σ_{n,i,j} ∂L/∂y[n, o, i, j]
 * </pre>
 * Shape: x (N, C_in, H, W), w (C_out, C_in/groups, k_h, k_w), b (C_out) or null,
 * y (N, C_out, H_out, W_out) with the sizes of {@link ConvGeometry}.
 *
 * <p>The arithmetic is in {@link Convolutions}: {@code Conv2dKernels} (im2col + GEMM) or its textbook twin
 * {@code ConvNaive}. Backward recomputes im2col(x) rather than keeping it from forward: the column
 * matrix is k_h·k_w times larger than x, and recomputing it costs far less than the GEMMs.
 */
public final class Conv2dOp extends Function {
    private Saved input;
    private Saved weight;
    private ConvGeometry geometry;

    /** The convolution of {@code input} by {@code weight} (+ {@code bias}); shapes checked by the caller. */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, ConvGeometry g) {
        MacCounter.add((long) g.batch() * g.outChannels() * g.outPlane() * g.patchSize());
        float[] y = Convolutions.forward(input.data(), weight.data(), bias == null ? null : bias.data(), g);
        Tensor result = Tensor.wrap(y, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        Conv2dOp op = new Conv2dOp();
        op.input = op.save(input);
        op.weight = op.save(weight);
        op.geometry = g;
        return op.record(result, input, weight, bias);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gradY = gradOutput.data();
        Tensor x = input.get();
        Tensor w = weight.get();
        Tensor gradInput = needsInputGrad(0)
                ? Tensor.wrap(Convolutions.backwardInput(gradY, w.data(), geometry), x.shape()) : null;
        Tensor gradWeight = needsInputGrad(1)
                ? Tensor.wrap(Convolutions.backwardWeight(x.data(), gradY, geometry), w.shape()) : null;
        Tensor gradBias = needsInputGrad(2)
                ? Tensor.wrap(Convolutions.backwardBias(gradY, geometry), geometry.outChannels()) : null;
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
