package kindling.nn;

import java.util.Arrays;
import kindling.nn.functional.Normalization;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Layer normalisation (Ba, Kiros &amp; Hinton 2016), as PyTorch's {@code nn.LayerNorm}: each sample is
 * normalised over its last dims — the {@code normalizedShape} — with its own mean and variance.
 * <pre>
 *   y = (x − E[x]) / √(Var[x] + ε) · γ + β        E, Var over the last len(normalizedShape) dims
 * </pre>
 * Var is the biased variance (divided by the number of normalised elements D). Unlike
 * {@link BatchNorm} the statistics never mix samples, so training and evaluation compute the same
 * thing and there are no running statistics; γ and β are per element of the normalised shape, not
 * per channel.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (*, normalizedShape): any leading dims, e.g. (N, T, E) with normalizedShape = (E);
 *   <li>output the same shape.
 * </ul>
 * <b>Parameters</b> (when {@code elementwiseAffine}, the default): {@code weight} γ (normalizedShape)
 * initialised to ones, {@code bias} β (normalizedShape) zeros. Default eps = 1e-5.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    /** γ (normalizedShape), or null. */
    public final Tensor weight;
    /** β (normalizedShape), or null. */
    public final Tensor bias;

    /** Normalises over the last {@code normalizedShape.length} dims, eps = 1e-5, with γ and β. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dim, got ()");
        }
        for (int size : normalizedShape) {
            if (size <= 0) {
                throw new IllegalArgumentException("LayerNorm: normalizedShape sizes must be > 0, got "
                        + Shape.format(normalizedShape));
            }
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
    }

    /** γ to ones, β to zeros. */
    public void resetParameters() {
        if (weight != null) {
            weight.detach().fill_(1f);
            bias.detach().fill_(0f);
        }
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = input.shape();
        int k = normalizedShape.length;
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            String dims = Shape.format(normalizedShape);
            throw new ShapeException(describe() + ": expected input (*, " + dims.substring(1, dims.length() - 1)
                    + ") but got " + Shape.format(shape));
        }
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /** As PyTorch: {@code (4,), eps=1e-05, elementwise_affine=True}. */
    @Override
    public String extraRepr() {
        return pythonTuple() + ", eps=" + PyRepr.floatRepr(eps) + ", elementwise_affine=" + PyRepr.bool(weight != null);
    }

    /** Python's tuple repr: a one-element tuple keeps its comma, (4,). */
    private String pythonTuple() {
        return normalizedShape.length == 1 ? "(" + normalizedShape[0] + ",)" : Shape.format(normalizedShape);
    }
}
