package kindling.generative;

import kindling.tensor.Tensor;

/**
 * Euler's method for the ODE dX_t = u_t(X_t) dt: follow the vector field in a straight line for one step.
 * <pre>
 *   X_{t+h} = X_t + h · u_t(X_t)
 * </pre>
 * First order: the error at a fixed final time shrinks in proportion to h (halving h halves it),
 * because each step's local error is O(h²) and there are 1/h steps. One evaluation of u per step.
 */
public final class EulerSolver extends Solver {
    private final VectorField vectorField;

    public EulerSolver(VectorField vectorField) {
        this.vectorField = vectorField;
    }

    @Override
    public Tensor step(Tensor x, float t, float h) {
        Tensor u = vectorField.apply(x, Times.full(x.size(0), t));
        return x.add(u.mul(h));
    }
}
