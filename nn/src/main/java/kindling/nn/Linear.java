package kindling.nn;

import kindling.nn.init.Init;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * A fully connected (affine) layer, as PyTorch's {@code nn.Linear}.
 * <pre>
 *   y = x · Wᵀ + b          y[..., o] = Σ_i x[..., i] · W[o, i] + b[o]
 * </pre>
 * <b>Shape</b>
 * <ul>
 *   <li>input (*, in): any number of leading dims (N, or N, T, ...), last dim {@code inFeatures};
 *   <li>output (*, out): the same leading dims, last dim {@code outFeatures}.
 * </ul>
 * <b>Parameters</b>
 * <ul>
 *   <li>{@code weight} (out, in), initialised U(−1/√in, 1/√in);
 *   <li>{@code bias} (out), initialised U(−1/√in, 1/√in); absent when built with {@code bias=false}.
 * </ul>
 * The weight's bound is what PyTorch writes as {@code kaiming_uniform_(w, a=√5)}: gain
 * √(2/(1+a²)) = √(1/3) times √(3/fan_in) is 1/√fan_in. Stored (out, in) as in PyTorch, so state dicts
 * load both ways.
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    /** The weight matrix W, shape (out, in). */
    public final Tensor weight;
    /** The bias b, shape (out), or null. */
    public final Tensor bias;

    /** A layer from {@code inFeatures} to {@code outFeatures} with a bias (PyTorch's default). */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: inFeatures and outFeatures must be >= 0, got inFeatures="
                    + inFeatures + ", outFeatures=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
        resetParameters();
    }

    /** Redraws W and b from U(−1/√in, 1/√in) (the bias from U(0, 0) = 0 when in = 0), global generator. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(input.dim() - 1) != inFeatures) {
            throw new ShapeException(describe() + ": expected input (*, " + inFeatures
                    + ") but got " + Shape.format(input.shape()));
        }
        Tensor product = input.matmul(weight.t());
        return bias == null ? product : product.add(bias);
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.bool(bias != null);
    }
}
