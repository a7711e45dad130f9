package kindling.kernels;

/**
 * The textbook pooling loops, the naive twins of {@link PoolKernels}: every output element visits
 * all k × k window positions and tests each against the border, one plane after another on the
 * calling thread. Read these first; {@link PoolKernels} is tested against them.
 * <pre>
 *   max:  y[p][i][j] = max_{0 ≤ a, b &lt; k} x[p][i·s − pad + a][j·s − pad + b]     (outside the input: −∞)
 *   avg:  y[p][i][j] = (1 / (d_row[i] · d_col[j])) · Σ_{h ∈ rows[i]} Σ_{w ∈ cols[j]} x[p][h][w]
 * </pre>
 * Arrays are row-major (P, H, W) planes, P being the product of the leading dims.
 */
public final class PoolNaive {
    private PoolNaive() {
    }

    /**
     * Max pooling of {@code planes} planes (H, W) of {@code x} into {@code out} (P, H_out, W_out), with
     * the flat in-plane index h·W + w of each window's winner in {@code argmax}. The first maximum in
     * row-major order wins, and a NaN always wins (PyTorch's CPU rule). {@code argmax} may be null
     * when only the values are wanted (no gradient will flow back through the pooling).
     */
    public static void maxPool2dForward(float[] x, int planes, int height, int width,
                                        int kernelSize, int stride, int padding,
                                        float[] out, int[] argmax, int outHeight, int outWidth) {
        for (int p = 0; p < planes; p++) {                                   // each plane
            for (int i = 0; i < outHeight; i++) {                            // each output row
                for (int j = 0; j < outWidth; j++) {                         // each output column
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int a = 0; a < kernelSize; a++) {                   // every window position
                        for (int b = 0; b < kernelSize; b++) {
                            int h = i * stride - padding + a;
                            int w = j * stride - padding + b;
                            if (h < 0 || h >= height || w < 0 || w >= width) {
                                continue;                                    // padding: −∞ never wins
                            }
                            float value = x[(p * height + h) * width + w];
                            if (at < 0 || value > best || Float.isNaN(value)) {
                                best = value;
                                at = h * width + w;
                            }
                        }
                    }
                    int o = (p * outHeight + i) * outWidth + j;
                    out[o] = best;
                    if (argmax != null) {
                        argmax[o] = at;
                    }
                }
            }
        }
    }

    /** ∂L/∂x of max pooling: each output element's gradient goes to its window's winner. */
    public static float[] maxPool2dBackward(float[] gradY, int[] argmax, int planes, int planeIn, int planeOut) {
        float[] gradX = new float[planes * planeIn];
        for (int p = 0; p < planes; p++) {                                   // each plane
            for (int o = 0; o < planeOut; o++) {                             // each output element
                gradX[p * planeIn + argmax[p * planeOut + o]] += gradY[p * planeOut + o];   // += : shared winners
            }
        }
        return gradX;
    }

    /**
     * Average pooling with explicit windows: output row i covers input rows [rowStart[i], rowEnd[i])
     * and divides by rowDivisor[i] (likewise for columns), so that sliding and adaptive pooling share it.
     */
    public static float[] avgPool2dForward(float[] x, int planes, int height, int width,
                                           int[] rowStart, int[] rowEnd, float[] rowDivisor,
                                           int[] colStart, int[] colEnd, float[] colDivisor) {
        float[] out = new float[planes * rowStart.length * colStart.length];
        for (int p = 0; p < planes; p++) {                                   // each plane
            avgPoolPlane(x, p, height, width, rowStart, rowEnd, rowDivisor, colStart, colEnd, colDivisor, out);
        }
        return out;
    }

    /** Average pooling of plane {@code p}: every output element, the sum of its window in double, divided. */
    static void avgPoolPlane(float[] x, int p, int height, int width, int[] rowStart, int[] rowEnd, float[] rowDivisor,
                             int[] colStart, int[] colEnd, float[] colDivisor, float[] out) {
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        for (int i = 0; i < outHeight; i++) {                                // each output row
            for (int j = 0; j < outWidth; j++) {                             // each output column
                double sum = 0;
                for (int h = rowStart[i]; h < rowEnd[i]; h++) {              // the window's rows
                    for (int w = colStart[j]; w < colEnd[j]; w++) {          // and columns
                        sum += x[(p * height + h) * width + w];
                    }
                }
                out[(p * outHeight + i) * outWidth + j] = (float) (sum / (rowDivisor[i] * colDivisor[j]));
            }
        }
    }

    /** ∂L/∂x of average pooling: each output element's gradient, divided, to every element of its window. */
    public static float[] avgPool2dBackward(float[] gradY, int planes, int height, int width,
                                            int[] rowStart, int[] rowEnd, float[] rowDivisor,
                                            int[] colStart, int[] colEnd, float[] colDivisor) {
        float[] gradX = new float[planes * height * width];
        for (int p = 0; p < planes; p++) {                                   // each plane
            avgPoolBackwardPlane(gradY, p, height, width, rowStart, rowEnd, rowDivisor, colStart, colEnd, colDivisor,
                    gradX);
        }
        return gradX;
    }

    /** ∂L/∂x of average pooling for plane {@code p}: each output's share added to its whole window. */
    static void avgPoolBackwardPlane(float[] gradY, int p, int height, int width, int[] rowStart, int[] rowEnd,
                                     float[] rowDivisor, int[] colStart, int[] colEnd, float[] colDivisor,
                                     float[] gradX) {
        int outHeight = rowStart.length;
        int outWidth = colStart.length;
        for (int i = 0; i < outHeight; i++) {                                // each output element spreads
            for (int j = 0; j < outWidth; j++) {                             // its gradient evenly over its window
                float share = (float) (gradY[(p * outHeight + i) * outWidth + j] / (rowDivisor[i] * colDivisor[j]));
                for (int h = rowStart[i]; h < rowEnd[i]; h++) {
                    for (int w = colStart[j]; w < colEnd[j]; w++) {
                        gradX[(p * height + h) * width + w] += share;        // += : windows may overlap
                    }
                }
            }
        }
    }
}
