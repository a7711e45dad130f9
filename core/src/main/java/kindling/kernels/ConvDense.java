package kindling.kernels;

import java.util.Arrays;

/**
 * A convolution on a tiny plane (ResNet's last stage: a 3×3 kernel on 2×2 planes) as one dense
 * matrix product per call, for {@link Conv2dKernels} in mode simd; {@link ConvNaive} is the textbook
 * sum the tests hold it to.
 *
 * <p>A convolution is a linear map from one image's C_in·H·W inputs to its C_out·H_out·W_out outputs.
 * Written as a matrix M, its entry for output (o, q) and input (c, p) is the filter weight that links
 * output position q to input pixel p, or 0 when no tap does (at most one tap does: for a fixed q each
 * tap reads a different pixel):
 * <pre>
 *   M[o·P_out + q][c·P_in + p] = W[o][c][a][b]   if tap t = (a, b) of position q reads pixel p
 *                               = 0              otherwise         (P_in = H·W, P_out = H_out·W_out)
 *   forward:  Y = X · Mᵀ            X (N, C_in·P_in) is x as stored, Y (N, C_out·P_out) is y as stored
 *   backward: ∂L/∂X = ∂L/∂Y · M
 *             ∂L/∂M = ∂L/∂Yᵀ · X,   ∂L/∂W[o][c][a][b] = Σ over (q, p) linked by tap (a, b) of ∂L/∂M[o·P_out + q][c·P_in + p]
 * </pre>
 * Why this pays on a tiny plane: im2col's product does C_in·k_h·k_w multiply-adds per output, one per
 * tap, even for taps that fall in the padding (a 3×3 kernel on a 2×2 plane: 9 taps, of which only 4
 * ever land on a pixel); the dense product does C_in·H·W, one per pixel. When H·W ≤ k_h·k_w it does
 * no more work than im2col (on 2×2 planes 4/9 of it), and it needs no im2col, no col2im, no copy of the
 * output back to (N, C, H, W): x, y and their gradients are the matrices as they are stored, the batch
 * being one side of every product. M itself is
 * C_out·P_out × C_in·P_in floats, built per call from W (512 × 512 on ResNet's 128-channel 2×2 layer);
 * {@link #suits} keeps it small. The weight gradient folds ∂L/∂M back onto the taps, in a fixed order,
 * so results do not depend on the thread count.
 */
final class ConvDense {
    /** M holds at most this many floats (4 MiB). */
    static final int MAX_ENTRIES = 1 << 20;

    /**
     * The calling thread's buffer for M or ∂L/∂M, reused from call to call (a training step of
     * ResNet.small() would otherwise drop nine of these 1 MiB arrays for the garbage collector).
     */
    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[0]);

    private ConvDense() {
    }

    /**
     * Whether layer g runs here: one group, a plane of at most k_h·k_w pixels (so the dense product
     * does no more multiply-adds than im2col's), and M within {@link #MAX_ENTRIES}.
     */
    static boolean suits(ConvGeometry g) {
        long inPlane = (long) g.height() * g.width();
        long entries = (long) g.outChannels() * g.outPlane() * g.inChannels() * inPlane;
        return g.groups() == 1 && g.batch() > 0 && g.outPlane() > 0 && inPlane > 0 && g.inChannels() > 0
                && g.outChannels() > 0 && inPlane <= (long) g.kernelH() * g.kernelW() && entries <= MAX_ENTRIES;
    }

    /** y = x · Mᵀ (+ bias), written straight into (N, C_out, H_out, W_out). */
    static float[] forward(float[] x, float[] w, float[] bias, ConvGeometry g) {
        int inputs = g.inChannels() * g.height() * g.width();
        int outputs = g.outChannels() * g.outPlane();
        float[] y = new float[g.batch() * outputs];
        Gemm.gemm(g.batch(), outputs, inputs, Operand.of(x, 0, inputs),
                Operand.of(matrixTransposed(w, g), 0, outputs), 0f, Operand.of(y, 0, outputs));
        if (bias != null) {
            for (int n = 0; n < g.batch(); n++) {
                for (int o = 0; o < g.outChannels(); o++) {
                    int base = (n * g.outChannels() + o) * g.outPlane();
                    for (int q = 0; q < g.outPlane(); q++) {
                        y[base + q] += bias[o];
                    }
                }
            }
        }
        return y;
    }

    /** ∂L/∂x = ∂L/∂y · M, written straight into (N, C_in, H, W). */
    static float[] backwardInput(float[] gradY, float[] w, ConvGeometry g) {
        int inputs = g.inChannels() * g.height() * g.width();
        int outputs = g.outChannels() * g.outPlane();
        float[] gradX = new float[g.batch() * inputs];
        Gemm.gemm(g.batch(), inputs, outputs, Operand.of(gradY, 0, outputs),
                Operand.of(matrix(w, g), 0, inputs), 0f, Operand.of(gradX, 0, inputs));
        return gradX;
    }

    /**
     * ∂L/∂W: ∂L/∂M = ∂L/∂Yᵀ · X (one product over the batch), then each tap's entries summed, for
     * every (o, c) in the order q = 0, 1, ... and within it p = 0, 1, ...
     */
    static float[] backwardWeight(float[] x, float[] gradY, ConvGeometry g) {
        int inPlane = g.height() * g.width();
        int inputs = g.inChannels() * inPlane;
        int outputs = g.outChannels() * g.outPlane();
        int taps = g.kernelH() * g.kernelW();
        float[] gradM = buffer(outputs * inputs);          // β = 0 below: written, never read first
        Gemm.gemm(outputs, inputs, g.batch(), Operand.ofTransposed(gradY, 0, outputs),
                Operand.of(x, 0, inputs), 0f, Operand.of(gradM, 0, inputs));
        int[] tap = tapTable(g);
        float[] gradW = new float[g.outChannels() * g.inChannels() * taps];
        forEachRowBlock(g.outChannels(), outputs * inputs, o -> {       // filter o's sums: its own rows of ∂L/∂M
            for (int c = 0; c < g.inChannels(); c++) {
                int filter = (o * g.inChannels() + c) * taps;
                for (int q = 0; q < g.outPlane(); q++) {
                    int row = (o * g.outPlane() + q) * inputs + c * inPlane;
                    for (int p = 0; p < inPlane; p++) {
                        int t = tap[q * inPlane + p];
                        if (t >= 0) {
                            gradW[filter + t] += gradM[row + p];
                        }
                    }
                }
            }
        });
        return gradW;
    }

    /**
     * M (C_out·P_out × C_in·P_in), the layout in which ∂L/∂X = ∂L/∂Y · M reads it as its B without a
     * transposition. It is written into this thread's buffer, which may be longer than M: valid
     * until this thread's next ConvDense call.
     */
    private static float[] matrix(float[] w, ConvGeometry g) {
        int inPlane = g.height() * g.width();
        int inputs = g.inChannels() * inPlane;
        int outputs = g.outChannels() * g.outPlane();
        int taps = g.kernelH() * g.kernelW();
        int[] tap = tapTable(g);
        float[] m = buffer(outputs * inputs);
        // Walk M in the order of its own layout, so that it is written front to back (W, read across,
        // is the smaller array and stays in the cache); filter o's rows are one task.
        forEachRowBlock(g.outChannels(), outputs * inputs, o -> {
            int rows = o * g.outPlane() * inputs;
            Arrays.fill(m, rows, rows + g.outPlane() * inputs, 0f);     // the entries no tap reaches
            for (int q = 0; q < g.outPlane(); q++) {
                int row = (o * g.outPlane() + q) * inputs;
                for (int c = 0; c < g.inChannels(); c++) {
                    int filter = (o * g.inChannels() + c) * taps;
                    for (int p = 0; p < inPlane; p++) {
                        int t = tap[q * inPlane + p];
                        if (t >= 0) {
                            m[row + c * inPlane + p] = w[filter + t];
                        }
                    }
                }
            }
        });
        return m;
    }

    /** Mᵀ (C_in·P_in × C_out·P_out), the layout in which Y = X · Mᵀ reads it as its B; as {@link #matrix}. */
    private static float[] matrixTransposed(float[] w, ConvGeometry g) {
        int inPlane = g.height() * g.width();
        int inputs = g.inChannels() * inPlane;
        int outputs = g.outChannels() * g.outPlane();
        int taps = g.kernelH() * g.kernelW();
        int[] tap = tapTable(g);
        float[] m = buffer(outputs * inputs);
        // Walk M in the order of its own layout, so that it is written front to back (W, read across,
        // is the smaller array and stays in the cache); input channel c's rows are one task.
        forEachRowBlock(g.inChannels(), outputs * inputs, c -> {
            int rows = c * inPlane * outputs;
            Arrays.fill(m, rows, rows + inPlane * outputs, 0f);         // the entries no tap reaches
            for (int p = 0; p < inPlane; p++) {
                int row = (c * inPlane + p) * outputs;
                for (int o = 0; o < g.outChannels(); o++) {
                    int filter = (o * g.inChannels() + c) * taps;
                    for (int q = 0; q < g.outPlane(); q++) {
                        int t = tap[q * inPlane + p];
                        if (t >= 0) {
                            m[row + o * g.outPlane() + q] = w[filter + t];
                        }
                    }
                }
            }
        });
        return m;
    }

    /**
     * Runs {@code task} for blocks 0..count−1 of M's rows (or of ∂L/∂W's filters): on the threads when M
     * has at least {@link Threads#ELEMENTWISE_BLOCK} entries, otherwise in order on the calling thread.
     * Each block writes only its own entries, so who runs it changes nothing. Building M and folding
     * ∂L/∂M are passes over M's 262,144 floats on ResNet.small()'s 2×2 layer, W read across (a new cache
     * line per read): on one thread they took longer than the product itself at two threads.
     */
    private static void forEachRowBlock(int count, int entries, Threads.Task task) {
        if (entries >= Threads.ELEMENTWISE_BLOCK) {
            Threads.parallelFor(count, task);
        } else {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
        }
    }

    /** This thread's buffer of at least {@code size} floats, its contents left from the last call. */
    private static float[] buffer(int size) {
        float[] buffer = BUFFER.get();
        if (buffer.length < size) {
            buffer = new float[size];
            BUFFER.set(buffer);
        }
        return buffer;
    }

    /**
     * tap[q·H·W + p]: the tap t = a·k_w + b through which output position q reads input pixel p, or −1
     * when none does. The inverse of {@link Im2Col#sourceTable}, which gives the pixel for each (t, q).
     */
    static int[] tapTable(ConvGeometry g) {
        int inPlane = g.height() * g.width();
        int positions = g.outPlane();
        int taps = g.kernelH() * g.kernelW();
        int[] source = Im2Col.sourceTable(g);
        int[] tap = new int[positions * inPlane];
        Arrays.fill(tap, -1);
        for (int t = 0; t < taps; t++) {
            for (int q = 0; q < positions; q++) {
                int pixel = source[t * positions + q];
                if (pixel < inPlane) {
                    tap[q * inPlane + pixel] = t;
                }
            }
        }
        return tap;
    }
}
