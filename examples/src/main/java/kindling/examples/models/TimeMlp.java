package kindling.examples.models;

import kindling.generative.VectorField;
import kindling.nn.Linear;
import kindling.nn.Module;
import kindling.nn.SiLU;
import kindling.nn.Sequential;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * A multi-layer perceptron of a point and a time, the network of the 2-D flow-matching and
 * diffusion examples (as the MIT 6.S184 labs' MLP vector field): the time is one more input coordinate.
 * <pre>
 *   x (N, d), t (N) → cat(x, t) (N, d + 1)
 *   Linear(d + 1, w) → SiLU → Linear(w, w) → SiLU → Linear(w, w) → SiLU → Linear(w, d)   → (N, d)
 * </pre>
 * As a {@link VectorField} it is u^θ_t(x) for a flow model, s^θ_t(x) for a score model or ε^θ_t(x) for
 * a noise predictor: the same network, trained on a different target. SiLU rather than ReLU because
 * the learned field should be smooth in x for the ODE solver. State-dict keys {@code net.0.weight} …
 * {@code net.6.bias}.
 */
public final class TimeMlp extends Module implements VectorField {
    private final int dim;
    private final Sequential net;

    /** A point of dimension {@code dim}, hidden layers of {@code width}. */
    public TimeMlp(int dim, int width) {
        this.dim = dim;
        this.net = registerModule("net", new Sequential(
                new Linear(dim + 1, width), new SiLU(),
                new Linear(width, width), new SiLU(),
                new Linear(width, width), new SiLU(),
                new Linear(width, dim)));
    }

    /** input (N, d + 1): the point and, in the last column, the time. */
    @Override
    public Tensor forward(Tensor input) {
        return net.forward(input);
    }

    /** u_t(x): x (N, d), t (N) → (N, d). */
    @Override
    public Tensor apply(Tensor x, Tensor t) {
        if (x.dim() != 2 || x.size(1) != dim) {
            throw new ShapeException(describe() + ": expected points (N, " + dim + ") but got " + Shape.format(x.shape()));
        }
        return forward(Tensor.cat(1, x, t.reshape(-1, 1)));
    }
}
