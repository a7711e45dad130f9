package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Matrix product with {@code torch.matmul}'s rules for vectors and batches.
 * <pre>
 *   forward:   C = A · B        C[i][j] = Σ_k A[i][k] · B[k][j]
 *   backward:  dA = dC · Bᵀ     dB = Aᵀ · dC
 * </pre>
 * Shape, by the ranks of A and B:
 * <ul>
 *   <li>(K) · (K) → () — the dot product;</li>
 *   <li>(M, K) · (K, N) → (M, N);</li>
 *   <li>(K) · (K, N) → (N): A is read as (1, K), and the 1 removed from the result;</li>
 *   <li>(M, K) · (K) → (M): B is read as (K, 1), and the 1 removed from the result;</li>
 *   <li>(*a, M, K) · (*b, K, N) → (*, M, N): the batch dims * broadcast; each batch is one matrix
 *       product, e.g. (2, 1, 3, 4) · (5, 4, 6) → (2, 5, 3, 6).</li>
 * </ul>
 * A batch dim along which A or B was broadcast gets the sum of the gradients of every batch that
 * reused it ({@link Broadcast#sumTo}), just as for elementwise ops.
 */
public final class MatMulOp extends Function {
    private Saved a;
    private Saved b;

    /** {@code a · b}; {@code op} ("matmul" or "mm") names the operation in error messages. */
    public static Tensor apply(String op, Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeException(op + ": both arguments need at least 1 dim, got " + Shape.format(a.shape())
                    + " and " + Shape.format(b.shape()));
        }
        Tensor matrixA = asMatrices(a, true);
        Tensor matrixB = asMatrices(b, false);
        int k = matrixA.size(-1);
        if (matrixB.size(-2) != k) {
            throw new ShapeException(op + ": cannot multiply " + Shape.format(a.shape()) + " by "
                    + Shape.format(b.shape()) + ": " + k + " != " + matrixB.size(-2));
        }
        int[] batch = Shape.broadcast(op, batchShape(matrixA), batchShape(matrixB));
        Tensor product = MatMulBatches.multiply(matrixA, matrixB, batch);
        MacCounter.add((long) Shape.numel(batch) * matrixA.size(-2) * k * matrixB.size(-1));
        // The product is fresh and never handed out, so the result takes its array with another shape
        // rather than being a view of it (PyTorch's _unsafe_view): a view would make in-place ops such as
        // relu_ refuse every matmul and Linear(bias=false) output.
        Tensor result = Tensor.wrap(product.storage(), resultShape(a, b, batch));
        if (!needsGrad(a, b)) {
            return result;
        }
        MatMulOp fn = new MatMulOp();
        fn.a = fn.save(a);
        fn.b = fn.save(b);
        return fn.record(result, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = this.a.get();
        Tensor b = this.b.get();
        Tensor matrixA = asMatrices(a, true);
        Tensor matrixB = asMatrices(b, false);
        int[] batch = Shape.broadcast("matmul", batchShape(matrixA), batchShape(matrixB));
        int[] outShape = append(batch, matrixA.size(-2), matrixB.size(-1));
        Tensor gradC = gradOutput.reshape(outShape);
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsInputGrad(0)) {
            // dA = dC · Bᵀ, summed over the batch dims A was broadcast along.
            Tensor full = gradC.matmul(matrixB.transpose(-1, -2));
            gradA = Broadcast.sumTo(full, matrixA.shape()).reshape(a.shape());
        }
        if (needsInputGrad(1)) {
            // dB = Aᵀ · dC. When B is one matrix shared by every batch of A, the sum over batches is
            // itself one product: fold A's batch dims into its rows, (K, *·M) · (*·M, N) → (K, N).
            Tensor full = matrixB.dim() == 2 && matrixA.dim() > 2
                    ? matrixA.reshape(-1, matrixA.size(-1)).t().matmul(gradC.reshape(-1, matrixB.size(-1)))
                    : matrixA.transpose(-1, -2).matmul(gradC);
            gradB = Broadcast.sumTo(full, matrixB.shape()).reshape(b.shape());
        }
        return new Tensor[] {gradA, gradB};
    }

    /** The operand, detached, as matrices: a vector is a row (1, K) on the left, a column (K, 1) on the right. */
    private static Tensor asMatrices(Tensor t, boolean left) {
        Tensor detached = t.detach();
        if (t.dim() >= 2) {
            return detached;
        }
        return left ? detached.view(1, t.size(0)) : detached.view(t.size(0), 1);
    }

    /** The dims before the last two. */
    private static int[] batchShape(Tensor matrices) {
        int[] shape = matrices.shape();
        return java.util.Arrays.copyOf(shape, shape.length - 2);
    }

    /** batch + (M, N), without M when A was a vector and without N when B was. */
    private static int[] resultShape(Tensor a, Tensor b, int[] batch) {
        int[] shape = batch;
        if (a.dim() >= 2) {
            shape = append(shape, a.size(-2));
        }
        if (b.dim() >= 2) {
            shape = append(shape, b.size(-1));
        }
        return shape;
    }

    private static int[] append(int[] shape, int... sizes) {
        int[] out = java.util.Arrays.copyOf(shape, shape.length + sizes.length);
        System.arraycopy(sizes, 0, out, shape.length, sizes.length);
        return out;
    }
}
