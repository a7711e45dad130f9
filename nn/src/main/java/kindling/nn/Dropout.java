package kindling.nn;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014), as PyTorch's {@code nn.Dropout}.
 * <pre>
 *   training:   y = x ⊙ m / (1 − p)      m_i ~ Bernoulli(1 − p), drawn afresh on each call
 *   evaluation: y = x
 * </pre>
 * Dividing by 1 − p during training keeps E[y] = x, so nothing needs rescaling at evaluation time.
 * With p = 1 every element is dropped and y = 0. The gradient is ∂L/∂y ⊙ m / (1 − p): dropped
 * elements get none.
 *
 * <p>Shape: input any, output the same. No parameters. The mask comes from the generator given to
 * the constructor, or {@link Generator#global()}. A generator of its own is registered as
 * {@code generator} ({@link #namedGenerators()}), so a {@code Trainer} checkpoint saves its state and
 * a resumed run draws the masks the uninterrupted run drew.
 */
public class Dropout extends Module {
    private final double p;
    private final Generator generator;

    /** p = 0.5, PyTorch's default. */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** Masks drawn from {@code generator} (null: the global generator at each call). */
    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.generator = registerGenerator("generator", generator);
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0f);
        }
        Generator source = generator != null ? generator : Generator.global();
        // keep_i = 1/(1−p) with probability 1−p, else 0: one tensor, so the scaling is one multiply.
        Tensor keep = Tensor.rand(source, input.shape()).lt((float) (1 - p)).mul((float) (1 / (1 - p)));
        return input.mul(keep);
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.floatRepr(p) + ", inplace=False";
    }
}
