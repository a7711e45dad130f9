package kindling.nn;

/**
 * Batch normalisation of image channels, as PyTorch's {@code nn.BatchNorm2d}; the formula, the
 * running statistics and the momentum are explained in {@link BatchNorm}.
 * <pre>
 *   y[n, c, h, w] = (x[n, c, h, w] − E_c[x]) / √(Var_c[x] + ε) · γ[c] + β[c]
 * </pre>
 * The statistics of channel c are taken over every sample and every pixel: M = N · H · W values.
 * <b>Shape</b>: input (N, C, H, W), output the same.
 * <b>Parameters</b>: weight γ (C) ones, bias β (C) zeros. Defaults: eps = 1e-5, momentum = 0.1.
 */
public class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    String expectedShape() {
        return "(N, C, H, W)";
    }

    @Override
    boolean acceptsDims(int dims) {
        return dims == 4;
    }
}
