package kindling.nn;

/**
 * Batch normalisation of features, or of channels of sequences, as PyTorch's {@code nn.BatchNorm1d};
 * the formula, the running statistics and the momentum are explained in {@link BatchNorm}.
 * <pre>
 *   y[n, c, l] = (x[n, c, l] − E_c[x]) / √(Var_c[x] + ε) · γ[c] + β[c]
 * </pre>
 * <b>Shape</b>: input (N, C) — statistics over N — or (N, C, L) — over N and L; output the same.
 * <b>Parameters</b>: weight γ (C) ones, bias β (C) zeros. Defaults: eps = 1e-5, momentum = 0.1.
 */
public class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    String expectedShape() {
        return "(N, C) or (N, C, L)";
    }

    @Override
    boolean acceptsDims(int dims) {
        return dims == 2 || dims == 3;
    }
}
