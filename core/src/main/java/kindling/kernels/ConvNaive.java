package kindling.kernels;

/**
 * The textbook 2-D convolution (PyTorch's cross-correlation), one output element at a time: the
 * reference that {@link Conv2dKernels} is tested against. Read this one first.
 * <pre>
 *   y[n][o][i][j] = bias[o] + Σ_{c ∈ group(o)} Σ_a Σ_b  w[o][c − c₀][a][b] · x[n][c][i·s_h − p_t + a·d_h][j·s_w − p_l + b·d_w]
 * </pre>
 * where group(o) is the block of C_in/groups input channels that filter o sees, starting at c₀, and
 * x is 0 outside the image. The backward formulas follow from the same sum:
 * <pre>
 *   ∂L/∂x[n][c][h][w]   = Σ over (o, i, j, a, b) that read x[n][c][h][w] of  w[o][c − c₀][a][b] · ∂L/∂y[n][o][i][j]
 *   ∂L/∂w[o][c'][a][b]  = Σ_n Σ_i Σ_j  x[n][c₀ + c'][i·s_h − p_t + a·d_h][j·s_w − p_l + b·d_w] · ∂L/∂y[n][o][i][j]
 *   ∂L/∂bias[o]         = Σ_n Σ_i Σ_j  ∂L/∂y[n][o][i][j]
 * </pre>
 * Arrays are row-major: x (N, C_in, H, W), w (C_out, C_in/groups, k_h, k_w), y (N, C_out, H_out, W_out).
 */
public final class ConvNaive {
    private ConvNaive() {
    }

    /** y = conv(x, w) + bias; {@code bias} may be null. */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        float[] y = new float[g.batch() * g.outChannels() * g.outPlane()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int firstChannel = (o / g.outPerGroup()) * g.inPerGroup();
                for (int i = 0; i < g.outHeight(); i++) {
                    for (int j = 0; j < g.outWidth(); j++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int c = 0; c < g.inPerGroup(); c++) {
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                                    int wx = j * g.strideW() - g.padLeft() + b * g.dilationW();
                                    if (h >= 0 && h < g.height() && wx >= 0 && wx < g.width()) {
                                        sum += w[weightIndex(g, o, c, a, b)] * x[inputIndex(g, n, firstChannel + c, h, wx)];
                                    }
                                }
                            }
                        }
                        y[((n * g.outChannels() + o) * g.outHeight() + i) * g.outWidth() + j] = (float) sum;
                    }
                }
            }
        }
        return y;
    }

    /** ∂L/∂x from ∂L/∂y: every output element hands its gradient back to the inputs it read. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvGeometry g) {
        double[] gradX = new double[g.batch() * g.inChannels() * g.height() * g.width()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int firstChannel = (o / g.outPerGroup()) * g.inPerGroup();
                for (int i = 0; i < g.outHeight(); i++) {
                    for (int j = 0; j < g.outWidth(); j++) {
                        float dy = gradY[((n * g.outChannels() + o) * g.outHeight() + i) * g.outWidth() + j];
                        for (int c = 0; c < g.inPerGroup(); c++) {
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                                    int wx = j * g.strideW() - g.padLeft() + b * g.dilationW();
                                    if (h >= 0 && h < g.height() && wx >= 0 && wx < g.width()) {
                                        gradX[inputIndex(g, n, firstChannel + c, h, wx)] += w[weightIndex(g, o, c, a, b)] * dy;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return toFloat(gradX);
    }

    /** ∂L/∂w from the input and ∂L/∂y. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        double[] gradW = new double[g.outChannels() * g.patchSize()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int firstChannel = (o / g.outPerGroup()) * g.inPerGroup();
                for (int i = 0; i < g.outHeight(); i++) {
                    for (int j = 0; j < g.outWidth(); j++) {
                        float dy = gradY[((n * g.outChannels() + o) * g.outHeight() + i) * g.outWidth() + j];
                        for (int c = 0; c < g.inPerGroup(); c++) {
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                                    int wx = j * g.strideW() - g.padLeft() + b * g.dilationW();
                                    if (h >= 0 && h < g.height() && wx >= 0 && wx < g.width()) {
                                        gradW[weightIndex(g, o, c, a, b)] += x[inputIndex(g, n, firstChannel + c, h, wx)] * dy;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return toFloat(gradW);
    }

    /** ∂L/∂bias[o] = Σ_n Σ_(i,j) ∂L/∂y[n][o][i][j]. */
    public static float[] backwardBias(float[] gradY, ConvGeometry g) {
        double[] gradB = new double[g.outChannels()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                for (int p = 0; p < g.outPlane(); p++) {
                    gradB[o] += gradY[(n * g.outChannels() + o) * g.outPlane() + p];
                }
            }
        }
        return toFloat(gradB);
    }

    private static int weightIndex(ConvGeometry g, int o, int c, int a, int b) {
        return ((o * g.inPerGroup() + c) * g.kernelH() + a) * g.kernelW() + b;
    }

    private static int inputIndex(ConvGeometry g, int n, int c, int h, int w) {
        return ((n * g.inChannels() + c) * g.height() + h) * g.width() + w;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
