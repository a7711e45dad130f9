package kindling.kernels;

/**
 * The convolution family's entry point: the ops call these, and each call runs the loops of the
 * current {@link Kernels#mode() kernel mode}.
 * <ul>
 *   <li>{@code naive}: {@link ConvNaive} and {@link ConvTransposeNaive}, the sums as the formulas write them;</li>
 *   <li>{@code plain}: {@link Conv2dKernels} and {@link ConvTransposeKernels} (im2col and
 *       {@link Gemm}, whose own kernel follows the mode);</li>
 *   <li>{@code simd}: the same classes, whose 2-D convolution then runs {@code ConvSimd}, a direct
 *       convolution with the Vector API (no im2col matrix).</li>
 * </ul>
 * Arrays are row-major; the geometry records carry every size, stride, padding and dilation.
 */
public final class Convolutions {
    private Convolutions() {
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. x (N, C_in, H, W), w (C_out, C_in/groups, k_h, k_w). */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        return Kernels.naive() ? ConvNaive.forward(x, w, bias, g) : Conv2dKernels.forward(x, w, bias, g);
    }

    /** ∂L/∂x of the convolution. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvGeometry g) {
        return Kernels.naive() ? ConvNaive.backwardInput(gradY, w, g) : Conv2dKernels.backwardInput(gradY, w, g);
    }

    /** ∂L/∂w of the convolution. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        return Kernels.naive() ? ConvNaive.backwardWeight(x, gradY, g) : Conv2dKernels.backwardWeight(x, gradY, g);
    }

    /** ∂L/∂bias[o] = Σ_n Σ_p ∂L/∂y[n][o][p] (the textbook loop, or in simd mode a vectorised, parallel sum in a fixed order). */
    public static float[] backwardBias(float[] gradY, ConvGeometry g) {
        return Conv2dKernels.backwardBias(gradY, g);
    }

    /** y = conv_transpose(x, w) + bias; {@code bias} may be null. x (N, C_in, H, W), w (C_in, C_out/groups, k_h, k_w). */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvTransposeGeometry g) {
        return Kernels.naive() ? ConvTransposeNaive.forward(x, w, bias, g) : ConvTransposeKernels.forward(x, w, bias, g);
    }

    /** ∂L/∂x of the transposed convolution. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvTransposeGeometry g) {
        return Kernels.naive() ? ConvTransposeNaive.backwardInput(gradY, w, g)
                : ConvTransposeKernels.backwardInput(gradY, w, g);
    }

    /** ∂L/∂w of the transposed convolution. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvTransposeGeometry g) {
        return Kernels.naive() ? ConvTransposeNaive.backwardWeight(x, gradY, g)
                : ConvTransposeKernels.backwardWeight(x, gradY, g);
    }

    /** ∂L/∂bias[o] = Σ_n Σ_p ∂L/∂y[n][o][p]. */
    public static float[] backwardBias(float[] gradY, ConvTransposeGeometry g) {
        return ConvTransposeKernels.backwardBias(gradY, g);
    }
}
