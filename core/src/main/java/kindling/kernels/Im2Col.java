package kindling.kernels;

/**
 * im2col and col2im: the rearrangement that turns a convolution into one matrix product.
 * <pre>
 *   col[(c·k_h + a)·k_w + b][i·W_out + j] = x[c][i·s_h − pad_top + a·d_h][j·s_w − pad_left + b·d_w]
 *                                           (0 where that position is outside the image)
 *
 *   one image (C, H, W)                 col: (C·k_h·k_w) rows × (H_out·W_out) columns
 *   ┌─────────┐                         each column is the patch under one output position,
 *   │ ┌──┐    │   ──im2col──▶            each row one (channel, kernel tap) pair
 *   │ └──┘    │                         then  y = weight (C_out × C·k_h·k_w) · col
 *   └─────────┘
 * </pre>
 * col2im is the adjoint: it adds each column entry back to the pixel it came from (pixels covered by
 * several patches receive several contributions), which is how the input gradient and the
 * transposed convolution are computed.
 *
 * <p>The columns of several images sit side by side, so one GEMM covers them all: col has
 * {@code columns} columns and the image written into {@code slot} owns columns
 * {@code slot·H_out·W_out} up to {@code (slot + 1)·H_out·W_out}.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /**
     * Writes image {@code n}'s patches into column block {@code slot} of {@code col}, for every input channel.
     *
     * @param x   the input (N, C_in, H, W), row-major
     * @param col (C_in·k_h·k_w) × columns, row-major
     */
    public static void im2col(float[] x, ConvGeometry g, int n, float[] col, int slot, int columns) {
        if (g.outPlane() <= SMALL_PLANE) {
            im2colSmall(x, g, n, col, slot, columns);
            return;
        }
        int plane = g.height() * g.width();
        int outWidth = g.outWidth();
        int strideW = g.strideW();
        for (int c = 0; c < g.inChannels(); c++) {
            int xBase = (n * g.inChannels() + c) * plane;
            for (int a = 0; a < g.kernelH(); a++) {
                for (int b = 0; b < g.kernelW(); b++) {
                    int rowBase = ((c * g.kernelH() + a) * g.kernelW() + b) * columns + slot * g.outPlane();
                    // Input column of output column j: w = j·s_w + shift; inside the image for j in [first, end).
                    int shift = b * g.dilationW() - g.padLeft();
                    int first = firstInside(shift, strideW, outWidth);
                    int end = endInside(shift, strideW, g.width(), first, outWidth);
                    for (int i = 0; i < g.outHeight(); i++) {
                        int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                        int colBase = rowBase + i * outWidth;
                        if (h < 0 || h >= g.height()) {
                            zero(col, colBase, colBase + outWidth);
                            continue;
                        }
                        // Zeros where the patch hangs over the left and right edges, the image in between:
                        // no test per element. (arraycopy beats a plain loop here even on rows of 10, as on
                        // LeNet's conv2; figures in docs/performance.md.)
                        zero(col, colBase, colBase + first);
                        int xRow = xBase + h * g.width() + shift;
                        if (strideW == 1 && end > first) {        // (arraycopy checks its positions even for 0 floats)
                            System.arraycopy(x, xRow + first, col, colBase + first, end - first);
                        } else {
                            for (int j = first; j < end; j++) {
                                col[colBase + j] = x[xRow + j * strideW];
                            }
                        }
                        zero(col, colBase + end, colBase + outWidth);
                    }
                }
            }
        }
    }

    /** Output planes up to this many positions go through {@link #im2colSmall}. */
    static final int SMALL_PLANE = 64;

    /**
     * im2col for small output planes (ResNet's last layers: 6×6 and 3×3), where the rows of the
     * row-by-row version are 3 to 8 values long and its per-row work costs more than the copying
     * (several times more per value than on long rows). Instead, one table says for every
     * (tap, output position) which pixel of a channel it reads, with the padding mapped to one extra
     * zero after the plane; then each channel is copied next to that zero and gathered through the
     * table, with no test at all.
     */
    static void im2colSmall(float[] x, ConvGeometry g, int n, float[] col, int slot, int columns) {
        int taps = g.kernelH() * g.kernelW();
        int positions = g.outPlane();
        int plane = g.height() * g.width();
        int[] source = sourceTable(g);
        float[] padded = new float[plane + 1];             // one channel, then a zero
        for (int c = 0; c < g.inChannels(); c++) {
            System.arraycopy(x, (n * g.inChannels() + c) * plane, padded, 0, plane);
            for (int t = 0; t < taps; t++) {
                int out = (c * taps + t) * columns + slot * positions;
                int table = t * positions;
                for (int q = 0; q < positions; q++) {
                    col[out + q] = padded[source[table + q]];
                }
            }
        }
    }

    /**
     * im2col with rows and columns exchanged: writes image {@code n}'s patches as rows
     * {@code slot·H_out·W_out .. (slot + 1)·H_out·W_out − 1} of colᵀ, one row per output position,
     * each the patch under it (C_in·k_h·k_w values, in col's row order):
     * <pre>
     *   colT[(slot·H_out·W_out + q)·(C_in·k_h·k_w) + c·k_h·k_w + t] = col[c·k_h·k_w + t][slot·H_out·W_out + q]
     * </pre>
     * The scalar twin of {@code Im2ColSimd.im2colTransposed}, whose colᵀ the weight gradient of a small
     * plane reads in mode simd ({@code Conv2dKernels}); the tests hold the two to each other.
     */
    static void im2colTransposed(float[] x, ConvGeometry g, int n, float[] colT, int slot) {
        int taps = g.kernelH() * g.kernelW();
        int positions = g.outPlane();
        int plane = g.height() * g.width();
        int rowLength = g.inChannels() * taps;
        int[] source = sourceTable(g);
        for (int q = 0; q < positions; q++) {
            int row = (slot * positions + q) * rowLength;
            for (int c = 0; c < g.inChannels(); c++) {
                int channel = (n * g.inChannels() + c) * plane;
                for (int t = 0; t < taps; t++) {
                    int pixel = source[t * positions + q];
                    colT[row + c * taps + t] = pixel < plane ? x[channel + pixel] : 0f;
                }
            }
        }
    }

    /**
     * For every tap t = (a, b) and output position q = (i, j), the pixel of a channel that patch q
     * reads at tap t, h·W + w, or H·W (one past the plane) where it lies in the padding:
     * {@code source[t · H_out·W_out + q]}. It depends only on the shapes.
     */
    static int[] sourceTable(ConvGeometry g) {
        int positions = g.outPlane();
        int plane = g.height() * g.width();
        int[] source = new int[g.kernelH() * g.kernelW() * positions];
        for (int a = 0; a < g.kernelH(); a++) {
            for (int b = 0; b < g.kernelW(); b++) {
                int t = a * g.kernelW() + b;
                for (int i = 0; i < g.outHeight(); i++) {
                    int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                    for (int j = 0; j < g.outWidth(); j++) {
                        int w = j * g.strideW() - g.padLeft() + b * g.dilationW();
                        boolean inside = h >= 0 && h < g.height() && w >= 0 && w < g.width();
                        source[t * positions + i * g.outWidth() + j] = inside ? h * g.width() + w : plane;
                    }
                }
            }
        }
        return source;
    }

    /**
     * Adds column block {@code slot} of {@code col} back into image {@code n} of {@code x} (the adjoint of im2col).
     *
     * @param col (C_in·k_h·k_w) × columns, row-major
     * @param x   (N, C_in, H, W), row-major; image n is accumulated into, the others untouched
     */
    public static void col2im(float[] col, int slot, int columns, ConvGeometry g, int n, float[] x) {
        int plane = g.height() * g.width();
        int outWidth = g.outWidth();
        int strideW = g.strideW();
        for (int c = 0; c < g.inChannels(); c++) {
            int xBase = (n * g.inChannels() + c) * plane;
            for (int a = 0; a < g.kernelH(); a++) {
                for (int b = 0; b < g.kernelW(); b++) {
                    int rowBase = ((c * g.kernelH() + a) * g.kernelW() + b) * columns + slot * g.outPlane();
                    int shift = b * g.dilationW() - g.padLeft();
                    int first = firstInside(shift, strideW, outWidth);
                    int end = endInside(shift, strideW, g.width(), first, outWidth);
                    for (int i = 0; i < g.outHeight(); i++) {
                        int h = i * g.strideH() - g.padTop() + a * g.dilationH();
                        if (h < 0 || h >= g.height()) {
                            continue;
                        }
                        int colBase = rowBase + i * outWidth;
                        int xRow = xBase + h * g.width() + shift;
                        if (strideW == 1) {
                            for (int j = first; j < end; j++) {
                                x[xRow + j] += col[colBase + j];
                            }
                        } else {
                            for (int j = first; j < end; j++) {
                                x[xRow + j * strideW] += col[colBase + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col[from..to) = 0 with a plain loop: the edges are 0 to 2 values wide, and for so few a call to
     * Arrays.fill (with its range checks) was a sixth of ResNet-18's im2col time.
     */
    private static void zero(float[] col, int from, int to) {
        for (int j = from; j < to; j++) {
            col[j] = 0f;
        }
    }

    /** The first j ≥ 0 with j·stride + shift ≥ 0 (at most {@code outWidth}). */
    static int firstInside(int shift, int stride, int outWidth) {
        return shift >= 0 ? 0 : Math.min(outWidth, (-shift + stride - 1) / stride);
    }

    /** One past the last j with j·stride + shift &lt; width, and at least {@code first} (at most {@code outWidth}). */
    static int endInside(int shift, int stride, int width, int first, int outWidth) {
        int end = width - shift <= 0 ? 0 : (width - shift + stride - 1) / stride;
        return Math.max(first, Math.min(outWidth, end));
    }
}
