package kindling.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * col2im for strided convolutions in kernel mode simd: the input gradient's last step
 * ({@link Conv2dKernels#backwardInput}: ∂L/∂x = col2im(Wᵀ · ∂L/∂Y) when the stride is above 1), the
 * same sum as {@link Im2Col#col2im}, its plain twin, to which the tests hold it.
 */
final class Col2ImSimd {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Col2ImSimd() {
    }

    /**
     * The same sum as {@link Im2Col#col2im}, for a strided convolution, with contiguous adds instead of
     * strided ones. With a stride s, the pixels of one input row that a row of col reaches are s
     * apart, so col2im's inner loop is a gather-add-scatter at stride s that the JIT cannot turn into
     * vector instructions. But split the image by phase: row h belongs to phase r_h = (h + pad_top)
     * mod s_h, row u = ⌊(h + pad_top)/s_h⌋ of it, and likewise the columns. Tap (a, b) with
     * a·d_h = r_h + s_h·α and b·d_w = r_w + s_w·β then sends column entry (i, j) to row i + α,
     * column j + β of phase (r_h, r_w): a whole row of col lands on W_out consecutive floats, an
     * add of whole vectors. Then each pixel of the image receives its one value from its phase
     * plane. The phase planes (s_h·s_w of them, (H_out + ⌊(k_h − 1)·d_h/s_h⌋) × (W_out + ⌊(k_w − 1)·d_w/s_w⌋)
     * each, rows for the padding too) are one per-thread buffer, reused channel after channel.
     * Each pixel receives its contributions in col2im's order, so on a zeroed x the result is
     * col2im's to the bit.
     */
    public static void col2imByPhase(float[] col, int slot, int columns, ConvGeometry g, int n, float[] x) {
        int sh = g.strideH();
        int sw = g.strideW();
        int rows = g.outHeight() + (g.kernelH() - 1) * g.dilationH() / sh;
        int cols = g.outWidth() + (g.kernelW() - 1) * g.dilationW() / sw;
        int phasePlane = rows * cols;
        float[] phases = PHASES.get();
        if (phases.length < sh * sw * phasePlane) {
            phases = new float[sh * sw * phasePlane];
            PHASES.set(phases);
        }
        int outWidth = g.outWidth();
        int plane = g.height() * g.width();
        // Column v of phase r_w is image column v·s_w + r_w − pad_left: the range of v inside the
        // image is the same for every row, so it is worked out once per phase.
        int[] firstColumn = new int[sw];
        int[] endColumn = new int[sw];
        for (int rw = 0; rw < sw; rw++) {
            int shift = rw - g.padLeft();
            firstColumn[rw] = Im2Col.firstInside(shift, sw, cols);
            endColumn[rw] = Im2Col.endInside(shift, sw, g.width(), firstColumn[rw], cols);
        }
        for (int c = 0; c < g.inChannels(); c++) {
            java.util.Arrays.fill(phases, 0, sh * sw * phasePlane, 0f);
            for (int a = 0; a < g.kernelH(); a++) {
                int rh = a * g.dilationH() % sh;
                int alpha = a * g.dilationH() / sh;
                for (int b = 0; b < g.kernelW(); b++) {
                    int rw = b * g.dilationW() % sw;
                    int beta = b * g.dilationW() / sw;
                    int from = ((c * g.kernelH() + a) * g.kernelW() + b) * columns + slot * g.outPlane();
                    int to = (rh * sw + rw) * phasePlane + alpha * cols + beta;
                    for (int i = 0; i < g.outHeight(); i++) {
                        addRow(col, from + i * outWidth, phases, to + i * cols, outWidth);
                    }
                }
            }
            // Back to the image: pixel (h, w) is row u, column v of phase (r_h, r_w); pixels that no
            // output reaches (u or v past the planes) receive nothing.
            int xBase = (n * g.inChannels() + c) * plane;
            for (int h = 0; h < g.height(); h++) {
                int u = (h + g.padTop()) / sh;
                if (u >= rows) {
                    break;
                }
                int rh = (h + g.padTop()) % sh;
                for (int rw = 0; rw < sw; rw++) {
                    int phaseRow = (rh * sw + rw) * phasePlane + u * cols;
                    int pixel = xBase + h * g.width() + rw - g.padLeft();  // + v·s_w: column v of the phase
                    for (int v = firstColumn[rw]; v < endColumn[rw]; v++) {
                        x[pixel + v * sw] += phases[phaseRow + v];
                    }
                }
            }
        }
    }

    /**
     * to[toIndex + j] += from[fromIndex + j] for j &lt; length, in whole vectors and a scalar tail.
     * (Written as a plain loop, the JIT vectorises it with a main loop of four vectors at a time;
     * a row of AlexNet's conv1 is 54 floats, shorter than that, and ran entirely in the scalar loop
     * the JIT puts around it.)
     */
    private static void addRow(float[] from, int fromIndex, float[] to, int toIndex, int length) {
        int j = 0;
        for (int bound = SPECIES.loopBound(length); j < bound; j += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, to, toIndex + j)
                    .add(FloatVector.fromArray(SPECIES, from, fromIndex + j))
                    .intoArray(to, toIndex + j);
        }
        for (; j < length; j++) {
            to[toIndex + j] += from[fromIndex + j];
        }
    }

    /** Per-thread phase planes of {@link #col2imByPhase}, kept for the next call. */
    private static final ThreadLocal<float[]> PHASES = ThreadLocal.withInitial(() -> new float[0]);
}
