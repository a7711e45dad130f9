package kindling.nn.functional;

import kindling.kernels.PoolKernels;
import kindling.ops.pool.AvgPool2dOp;
import kindling.ops.pool.MaxPool2dOp;
import kindling.tensor.Tensor;

/**
 * Pooling over the last two dims (H, W) of a (N, C, H, W) or (C, H, W) tensor, as PyTorch's
 * {@code F.max_pool2d}, {@code F.avg_pool2d} and {@code F.adaptive_avg_pool2d}. The modules
 * {@code MaxPool2d}, {@code AvgPool2d} and {@code AdaptiveAvgPool2d} check shapes and call these.
 * Square kernels, dilation 1 and floor mode only.
 */
public final class Pooling {
    private Pooling() {
    }

    /** The output length of a window of {@code kernelSize} sliding by {@code stride}: ⌊(in + 2·pad − k) / s⌋ + 1. */
    public static int outputSize(int in, int kernelSize, int stride, int padding) {
        return PoolKernels.outputSize(in, kernelSize, stride, padding);
    }

    /** Max pooling; see {@link MaxPool2dOp}. Output sizes must be ≥ 1 (the caller checks). */
    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return MaxPool2dOp.apply(input, kernelSize, stride, padding);
    }

    /**
     * Average pooling: window i covers [i·s − pad, i·s − pad + k), clipped to [0, H) for the sum.
     * The divisor is k per dim, k² in all ({@code countIncludePad}, PyTorch's default), or the number
     * of real input elements in the window.
     */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding, boolean countIncludePad) {
        int dims = input.dim();
        int[][] rows = slidingWindows(input.size(dims - 2), kernelSize, stride, padding, countIncludePad);
        int[][] cols = slidingWindows(input.size(dims - 1), kernelSize, stride, padding, countIncludePad);
        return AvgPool2dOp.apply(input, rows[0], rows[1], divisors(rows[2]), cols[0], cols[1], divisors(cols[2]));
    }

    /**
     * Adaptive average pooling to (outHeight, outWidth): output row i averages input rows
     * [⌊i·H / H_out⌋, ⌈(i + 1)·H / H_out⌉), PyTorch's bins; when H is not a multiple of H_out
     * neighbouring bins overlap or differ in size (7 → 3: rows 0–2, 2–4, 4–6).
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outHeight, int outWidth) {
        int dims = input.dim();
        int[][] rows = adaptiveWindows(input.size(dims - 2), outHeight);
        int[][] cols = adaptiveWindows(input.size(dims - 1), outWidth);
        return AvgPool2dOp.apply(input, rows[0], rows[1], divisors(rows[2]), cols[0], cols[1], divisors(cols[2]));
    }

    /** {start[], end[], divisor[]} of each sliding window along one dim of length {@code in}. */
    private static int[][] slidingWindows(int in, int kernelSize, int stride, int padding, boolean countIncludePad) {
        int out = Math.max(outputSize(in, kernelSize, stride, padding), 0);
        int[][] windows = new int[3][out];
        for (int i = 0; i < out; i++) {
            // In floor mode the last window ends at (out − 1)·s − pad + k ≤ in + pad: it may cover
            // padding but never goes past it, so counting the padding gives k elements.
            int start = Math.max(i * stride - padding, 0);
            int end = Math.min(i * stride - padding + kernelSize, in);
            windows[0][i] = start;
            windows[1][i] = end;
            windows[2][i] = countIncludePad ? kernelSize : end - start;
        }
        return windows;
    }

    /** {start[], end[], size[]} of PyTorch's adaptive bins along one dim. */
    private static int[][] adaptiveWindows(int in, int out) {
        int[][] windows = new int[3][out];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out);                          // ⌊i·in / out⌋
            int end = (int) (((long) (i + 1) * in + out - 1) / out);          // ⌈(i + 1)·in / out⌉
            windows[0][i] = start;
            windows[1][i] = end;
            windows[2][i] = end - start;
        }
        return windows;
    }

    private static float[] divisors(int[] sizes) {
        float[] out = new float[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = sizes[i];
        }
        return out;
    }
}
