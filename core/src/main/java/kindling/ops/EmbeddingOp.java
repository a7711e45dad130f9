package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.NoGrad;
import kindling.kernels.Indexing;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * A table lookup: each index picks one row of the weight, as {@code torch.nn.functional.embedding}.
 * <pre>
 *   forward:   out[..., :] = W[index[...], :]
 *   backward:  ∂L/∂W[v, :] = Σ_{positions p : index[p] = v} ∂L/∂out[p, :]      (0 for v = paddingIdx)
 * </pre>
 * A token that occurs twice gets the sum of both gradients, so backward adds. The padding row gets no
 * gradient at all, as in PyTorch: it stays at whatever it holds (zeros, unless you change it).
 * Shape: index (*) of whole numbers in [0, V), weight (V, D) → out (*, D). The indices carry no gradient.
 */
public final class EmbeddingOp extends Function {
    private int[] rows;
    private int vocabulary;
    private int width;
    private int paddingIdx;

    /**
     * Rows of {@code weight} picked by {@code index}; {@code paddingIdx} is the row that gets no
     * gradient, or −1 for none. {@code who} names the caller in errors.
     */
    public static Tensor apply(String who, Tensor index, Tensor weight, int paddingIdx) {
        checkTable(who, weight);
        int vocabulary = weight.size(0);
        int width = weight.size(1);
        int[] rows = readIndices(who, index, vocabulary);
        float[] w = weight.data();
        float[] out = new float[rows.length * width];
        Indexing.selectBlocks(w, 1, vocabulary, width, rows, out);     // each position copies its row
        int[] outShape = java.util.Arrays.copyOf(index.shape(), index.dim() + 1);
        outShape[index.dim()] = width;
        Tensor result = Tensor.wrap(out, outShape);
        if (!needsGrad(weight)) {
            return result;
        }
        EmbeddingOp op = new EmbeddingOp();
        op.rows = rows;
        op.vocabulary = vocabulary;
        op.width = width;          // kept, not recovered from the gradient: an empty index has none to give
        op.paddingIdx = paddingIdx;
        return op.record(result, weight);
    }

    /**
     * Scales down, in place, each row of {@code weight} that {@code index} picks whose p-norm is above
     * {@code maxNorm}, as PyTorch's {@code embedding_renorm_}, which {@code F.embedding} runs before
     * the lookup when given {@code max_norm}:
     * <pre>
     *   for each distinct v in index:   n = ‖W[v, :]‖_p;   if n &gt; maxNorm:   W[v, :] *= maxNorm / (n + 1e−7)
     * </pre>
     * It is not recorded (the gradient flows through the lookup that follows, as if the scaled rows
     * had always been there), and it changes the weight's values and version as any in-place write,
     * so a graph that saved this weight for its backward (a tied output projection) refuses to run
     * afterwards, as in PyTorch. The indices are checked before any row changes.
     *
     * @throws IndexOutOfBoundsException if an index is not a row of the table (nothing is changed)
     */
    public static void renorm_(String who, Tensor index, Tensor weight, double maxNorm, double normType) {
        checkTable(who, weight);
        int[] rows = java.util.Arrays.stream(readIndices(who, index, weight.size(0))).sorted().distinct().toArray();
        float[] norms = Indexing.rowNorms(weight.data(), weight.size(1), rows, normType);
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < rows.length; i++) {
                if (norms[i] > maxNorm) {
                    weight.select(0, rows[i]).mul_((float) (maxNorm / (norms[i] + 1e-7)));
                }
            }
        }
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradWeight = new float[vocabulary * width];
        Indexing.accumulateBlocks(g, 1, vocabulary, width, rows, paddingIdx, gradWeight);   // each position adds into its row
        return new Tensor[] {Tensor.wrap(gradWeight, vocabulary, width)};
    }

    /** The table is a matrix (V, D): the lookup and the renormalisation both read it by rows. */
    private static void checkTable(String who, Tensor weight) {
        if (weight.dim() != 2) {
            throw new ShapeException(who + ": weight must be (V, D), got " + Shape.format(weight.shape()));
        }
    }

    /** The indices as ints, each checked to be a whole number in [0, vocabulary). */
    private static int[] readIndices(String who, Tensor index, int vocabulary) {
        float[] values = index.data();
        int[] rows = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v) || v < 0 || v >= vocabulary) {
                throw new IndexOutOfBoundsException(who + ": index " + v + " at flat position " + i
                        + " of input " + Shape.format(index.shape()) + " is not a row of the table (0 to "
                        + (vocabulary - 1) + ")");
            }
            rows[i] = (int) v;
        }
        return rows;
    }
}
