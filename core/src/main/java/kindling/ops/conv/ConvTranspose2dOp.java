package kindling.ops.conv;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.kernels.ConvTransposeGeometry;
import kindling.kernels.Convolutions;
import kindling.ops.MacCounter;
import kindling.tensor.Tensor;

/**
 * 2-D transposed convolution as one fused op (PyTorch's {@code F.conv_transpose2d}): every input
 * pixel scatters its kernel, scaled by its value, into the output at stride spacing.
 * <pre>
 *   forward:   y[n, o, i·s_h − p_h + a·d_h, j·s_w − p_w + b·d_w] += x[n, c, i, j] · w[c, o − o₀, a, b]   (+ b[o])
 *              = col2im(Wᵀ · x): the input gradient of the convolution it transposes
 *   backward:  ∂L/∂x = conv2d(∂L/∂y, w)           ∂L/∂w = x · im2col(∂L/∂y)ᵀ         ∂L/∂b[o] = Σ_{n,h,w} ∂L/∂y[n, o, h, w]
 * </pre>
 * Shape: x (N, C_in, H, W), w (C_in, C_out/groups, k_h, k_w), b (C_out) or null,
 * y (N, C_out, H_out, W_out) with the sizes of {@link ConvTransposeGeometry}.
 * The arithmetic is in {@link Convolutions}: {@code ConvTransposeKernels} or its textbook twin {@code ConvTransposeNaive}.
 * MACs: N·C_in·H·W·(C_out/groups)·k_h·k_w, the products the scatter does (including those that
 * land in the cropped padding).
 */
public final class ConvTranspose2dOp extends Function {
    private Saved input;
    private Saved weight;
    private ConvTransposeGeometry geometry;

    /** The transposed convolution of {@code input} by {@code weight} (+ {@code bias}); shapes checked by the caller. */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, ConvTransposeGeometry g) {
        MacCounter.add((long) g.batch() * g.inChannels() * g.inPlane() * g.outPerGroup() * g.kernelH() * g.kernelW());
        float[] y = Convolutions.forward(input.data(), weight.data(), bias == null ? null : bias.data(), g);
        Tensor result = Tensor.wrap(y, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
        if (!needsGrad(input, weight, bias)) {
            return result;
        }
        ConvTranspose2dOp op = new ConvTranspose2dOp();
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
