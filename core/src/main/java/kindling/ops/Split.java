package kindling.ops;

import java.util.ArrayList;
import java.util.List;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * {@code split} and {@code chunk}: cut a tensor along one dim into consecutive pieces. Each piece
 * is a {@code narrow} view (no copy), so gradients flow back through {@link SliceOp}.
 */
public final class Split {
    private Split() {
    }

    /** Pieces of {@code splitSize} along {@code dim}; the last is smaller when the size does not divide. */
    public static List<Tensor> bySize(Tensor input, int splitSize, int dim) {
        int d = dimToCut("split", input, dim);
        int size = input.size(d);
        if (splitSize < 0 || (splitSize == 0 && size != 0)) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
        }
        // An empty dim still gives one (empty) piece, as in PyTorch.
        int count = size == 0 ? 1 : (size + splitSize - 1) / splitSize;
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = Math.min(splitSize, size - i * splitSize);
        }
        return pieces(input, sizes, d);
    }

    /** Pieces of the given sizes along {@code dim}; they must add up to the dim's size. */
    public static List<Tensor> bySizes(Tensor input, int[] sizes, int dim) {
        int d = dimToCut("split", input, dim);
        long sum = 0;
        for (int size : sizes) {
            if (size < 0) {
                throw new IllegalArgumentException("split: sizes must be non-negative, got " + Shape.format(sizes));
            }
            sum += size;
        }
        if (sum != input.size(d)) {
            throw new IllegalArgumentException("split: sizes " + Shape.format(sizes) + " add up to " + sum
                    + " but dim " + dim + " of " + Shape.format(input.shape()) + " has size " + input.size(d));
        }
        return pieces(input, sizes, d);
    }

    /**
     * At most {@code chunks} pieces of ⌈size / chunks⌉ along {@code dim}, as {@code torch.chunk}: the
     * last may be smaller, and there may be fewer pieces (size 5 in 4 chunks gives 2, 2, 1).
     */
    public static List<Tensor> chunk(Tensor input, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int d = dimToCut("chunk", input, dim);
        int size = input.size(d);
        if (size == 0) {
            return pieces(input, new int[chunks], d);       // PyTorch gives `chunks` empty pieces
        }
        return bySize(input, (size + chunks - 1) / chunks, d);
    }

    private static int dimToCut(String op, Tensor input, int dim) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException(op + ": a 0-dim tensor has no dim to cut");
        }
        return Shape.normalizeDim(op, dim, input.dim());
    }

    private static List<Tensor> pieces(Tensor input, int[] sizes, int dim) {
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int size : sizes) {
            // Every piece of an empty tensor is empty; start at 0 for them, as SliceOp refuses an
            // empty view at start > 0.
            out.add(input.narrow(dim, input.numel() == 0 ? 0 : start, size));
            start += size;
        }
        return out;
    }
}
