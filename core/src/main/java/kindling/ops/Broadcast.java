package kindling.ops;

import kindling.kernels.DimReductions;
import kindling.kernels.Elementwise;
import kindling.kernels.StridedLoops;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Broadcasting for the elementwise ops, both halves. The backward half: when {@code x} of shape (3,)
 * was broadcast to (4, 3) in the forward pass, each x[j] was used four times, so its gradient is the
 * sum of the four gradients:
 * <pre>
 *   forward:   y[i][j] = x[j]           (x broadcast over i)
 *   backward:  ∂L/∂x[j] = Σ_i ∂L/∂y[i][j]
 * </pre>
 * Used inside backward, where recording is off.
 *
 * <p>The common case in a network is a bias: one operand has the full shape and the other varies along
 * one run of dims only, (N, C, H, W) + (C, 1, 1) or (N, F) + (F). Viewed as (outer, mid, inner) with the
 * small operand holding the {@code mid} values, both halves have a kernel that reads the small operand
 * in place ({@link Elementwise#zipChannels}, {@link DimReductions#sumChannels}); every other
 * broadcast copies the operands out to the full shape, or sums through the strided loops.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /**
     * f(a, b) elementwise, both broadcast to {@code shape}, as a new row-major array: through
     * {@link Elementwise#zipChannels} when one operand has the full shape and the other fits the bias
     * pattern and f is ADD, SUB, MUL or DIV; otherwise both copied out to the full shape and zipped.
     */
    static float[] zip(String op, Elementwise.Binary f, Tensor a, Tensor b, int[] shape) {
        float[] out = new float[Shape.numel(shape)];
        boolean arithmetic = f == Elementwise.Binary.ADD || f == Elementwise.Binary.SUB
                || f == Elementwise.Binary.MUL || f == Elementwise.Binary.DIV;
        if (arithmetic && out.length > 0) {
            boolean aFull = Shape.same(a.shape(), shape);
            boolean bFull = Shape.same(b.shape(), shape);
            int[] view = aFull && !bFull ? channelView(shape, b.shape()) : !aFull && bFull ? channelView(shape, a.shape()) : null;
            if (view != null) {
                Tensor full = aFull ? a : b;
                Tensor small = aFull ? b : a;
                Elementwise.zipChannels(f, !aFull, full.data(), small.data(), out, view[0], view[1], view[2]);
                return out;
            }
        }
        Elementwise.zip(f, a.broadcastData(op, shape), b.broadcastData(op, shape), out);
        return out;
    }

    /** Sums {@code grad} over the dims along which {@code shape} was broadcast to reach grad's shape. */
    public static Tensor sumTo(Tensor grad, int[] shape) {
        int[] gradShape = grad.shape();
        if (Shape.same(gradShape, shape)) {
            return grad;
        }
        float[] out = new float[Shape.numel(shape)];
        int[] view = grad.isContiguous() && out.length > 0 ? channelView(gradShape, shape) : null;
        if (view != null) {
            DimReductions.sumChannels(grad.data(), view[0], view[1], view[2], out);
            return Tensor.wrap(out, shape);
        }
        // Writing through zero strides along the broadcast dims adds every copy into one element.
        int[] outStrides = Shape.broadcastStrides("sumTo", shape, Shape.contiguousStrides(shape), gradShape);
        StridedLoops.accumulate(gradShape, grad.storage(), grad.storageOffset(), grad.stride(),
                out, 0, outStrides);
        return Tensor.wrap(out, shape);
    }

    /**
     * {outer, mid, inner} when {@code small}, broadcast to {@code full}, varies along one run of dims
     * [lo, hi) only and matches full there: full viewed as (outer, mid, inner) = (Π full[..lo),
     * Π full[lo..hi), Π full[hi..)) then uses small[m] at every (o, m, k). Null for any other broadcast
     * (and when small is not smaller).
     */
    static int[] channelView(int[] full, int[] small) {
        if (small.length > full.length) {
            return null;
        }
        int shift = full.length - small.length;          // small's dims line up with full's last ones
        int lo = -1;
        int hi = -1;
        for (int d = 0; d < full.length; d++) {
            int size = d < shift ? 1 : small[d - shift];
            if (size != 1) {
                if (lo < 0) {
                    lo = d;
                }
                hi = d + 1;
            }
        }
        if (lo < 0) {
            lo = 0;                                      // every size is 1: one value, used everywhere,
            hi = 0;                                      // so one run of inner = numel
        }
        long outer = 1;
        long mid = 1;
        long inner = 1;
        for (int d = 0; d < full.length; d++) {
            int size = d < shift ? 1 : small[d - shift];
            if (d < lo) {
                outer *= full[d];
            } else if (d < hi) {
                if (size != full[d]) {
                    return null;                         // broadcast inside the run: not one bias
                }
                mid *= full[d];
            } else {
                inner *= full[d];
            }
        }
        if (outer * inner == 1) {
            return null;                                 // nothing is broadcast
        }
        return new int[] {(int) outer, (int) mid, (int) inner};
    }
}
