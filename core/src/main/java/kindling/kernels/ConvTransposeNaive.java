package kindling.kernels;

/**
 * The textbook 2-D transposed convolution, one input element at a time: each input pixel scatters
 * a copy of the kernel, scaled by its value, into the output at stride spacing. The reference that
 * {@link ConvTransposeKernels} is tested against. Read this one first.
 * <pre>
 *   y[n][o][i·s_h − p_h + a·d_h][j·s_w − p_w + b·d_w]  +=  x[n][c][i][j] · w[c][o − o₀][a][b]
 *       for every c, i, j, a, b and every o in the group of c (starting at o₀); y starts at bias[o]
 *       and positions outside (H_out, W_out) are dropped.
 * </pre>
 * The backward formulas read the same index relation the other way:
 * <pre>
 *   ∂L/∂x[n][c][i][j]   = Σ_{o, a, b}  w[c][o − o₀][a][b] · ∂L/∂y[n][o][i·s_h − p_h + a·d_h][j·s_w − p_w + b·d_w]
 *   ∂L/∂w[c][o'][a][b]  = Σ_{n, i, j}  x[n][c][i][j] · ∂L/∂y[n][o₀ + o'][i·s_h − p_h + a·d_h][j·s_w − p_w + b·d_w]
 *   ∂L/∂bias[o]         = Σ_{n, h, w}  ∂L/∂y[n][o][h][w]
 * </pre>
 * Arrays are row-major: x (N, C_in, H, W), w (C_in, C_out/groups, k_h, k_w), y (N, C_out, H_out, W_out).
 */
public final class ConvTransposeNaive {
    private ConvTransposeNaive() {
    }

    /** y = conv_transpose(x, w) + bias; {@code bias} may be null. */
    public static float[] forward(float[] x, float[] w, float[] bias, ConvTransposeGeometry g) {
        double[] y = new double[g.batch() * g.outChannels() * g.outPlane()];
        for (int n = 0; n < g.batch(); n++) {                                     // every image
            for (int o = 0; o < g.outChannels(); o++) {                           // starts at its bias
                for (int p = 0; p < g.outPlane(); p++) {
                    y[(n * g.outChannels() + o) * g.outPlane() + p] = bias == null ? 0 : bias[o];
                }
            }
            for (int c = 0; c < g.inChannels(); c++) {                            // every input pixel ...
                int firstOut = (c / g.inPerGroup()) * g.outPerGroup();
                for (int i = 0; i < g.height(); i++) {
                    for (int j = 0; j < g.width(); j++) {
                        float value = x[((n * g.inChannels() + c) * g.height() + i) * g.width() + j];
                        for (int o = 0; o < g.outPerGroup(); o++) {               // ... scatters its scaled kernel
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int index = outputIndex(g, n, firstOut + o, i, j, a, b);
                                    if (index >= 0) {
                                        y[index] += value * w[weightIndex(g, c, o, a, b)];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return toFloat(y);
    }

    /** ∂L/∂x from ∂L/∂y: each input pixel gathers the gradient of every output it was scattered to. */
    public static float[] backwardInput(float[] gradY, float[] w, ConvTransposeGeometry g) {
        float[] gradX = new float[g.batch() * g.inChannels() * g.inPlane()];
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int firstOut = (c / g.inPerGroup()) * g.outPerGroup();
                for (int i = 0; i < g.height(); i++) {
                    for (int j = 0; j < g.width(); j++) {
                        double sum = 0;
                        for (int o = 0; o < g.outPerGroup(); o++) {
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int index = outputIndex(g, n, firstOut + o, i, j, a, b);
                                    if (index >= 0) {
                                        sum += w[weightIndex(g, c, o, a, b)] * gradY[index];
                                    }
                                }
                            }
                        }
                        gradX[((n * g.inChannels() + c) * g.height() + i) * g.width() + j] = (float) sum;
                    }
                }
            }
        }
        return gradX;
    }

    /** ∂L/∂w from the input and ∂L/∂y. */
    public static float[] backwardWeight(float[] x, float[] gradY, ConvTransposeGeometry g) {
        double[] gradW = new double[g.inChannels() * g.outPerGroup() * g.kernelH() * g.kernelW()];
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int firstOut = (c / g.inPerGroup()) * g.outPerGroup();
                for (int i = 0; i < g.height(); i++) {
                    for (int j = 0; j < g.width(); j++) {
                        float value = x[((n * g.inChannels() + c) * g.height() + i) * g.width() + j];
                        for (int o = 0; o < g.outPerGroup(); o++) {
                            for (int a = 0; a < g.kernelH(); a++) {
                                for (int b = 0; b < g.kernelW(); b++) {
                                    int index = outputIndex(g, n, firstOut + o, i, j, a, b);
                                    if (index >= 0) {
                                        gradW[weightIndex(g, c, o, a, b)] += value * gradY[index];
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

    /** The flat index of y[n][o][i·s − p + a·d][j·s − p + b·d], or −1 when that lies outside the output. */
    private static int outputIndex(ConvTransposeGeometry g, int n, int o, int i, int j, int a, int b) {
        int h = i * g.strideH() - g.padH() + a * g.dilationH();
        int wy = j * g.strideW() - g.padW() + b * g.dilationW();
        if (h < 0 || h >= g.outHeight() || wy < 0 || wy >= g.outWidth()) {
            return -1;
        }
        return ((n * g.outChannels() + o) * g.outHeight() + h) * g.outWidth() + wy;
    }

    private static int weightIndex(ConvTransposeGeometry g, int c, int o, int a, int b) {
        return ((c * g.outPerGroup() + o) * g.kernelH() + a) * g.kernelW() + b;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
