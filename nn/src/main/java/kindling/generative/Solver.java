package kindling.generative;

import java.util.ArrayList;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.tensor.Tensor;

/**
 * Simulates a differential equation on a time grid t_0 &lt; t_1 &lt; … &lt; t_n by repeating one step:
 * <pre>
 *   X_{t_{i+1}} = step(X_{t_i}, t_i, h_i),     h_i = t_{i+1} − t_i
 * </pre>
 * A subclass says what one step is: {@link EulerSolver} and {@link HeunSolver} for an ODE
 * dX = u_t(X) dt, {@link EulerMaruyamaSolver} for an SDE dX = u_t(X) dt + σ_t dW. Simulation runs
 * without recording a graph ({@link NoGrad}): it samples from a model, it does not train it.
 */
public abstract class Solver {

    /** One step from x at time t to time t + h: x (N, *) → (N, *). */
    public abstract Tensor step(Tensor x, float t, float h);

    /** The final state X_{t_n} from X_{t_0} = x0, along the grid {@code times} (see {@link Times#uniform}). */
    public Tensor simulate(Tensor x0, float[] times) {
        checkGrid(times);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor x = x0.detach();
            for (int i = 0; i + 1 < times.length; i++) {
                x = step(x, times[i], times[i + 1] - times[i]);
            }
            return x;
        }
    }

    /** Every state X_{t_0}, …, X_{t_n} along the grid, for plotting paths and marginals over time. */
    public Trajectory simulateWithTrajectory(Tensor x0, float[] times) {
        checkGrid(times);
        List<Tensor> states = new ArrayList<>(times.length);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor x = x0.detach();
            states.add(x);
            for (int i = 0; i + 1 < times.length; i++) {
                x = step(x, times[i], times[i + 1] - times[i]);
                states.add(x);
            }
        }
        return new Trajectory(times.clone(), states);
    }

    private void checkGrid(float[] times) {
        if (times.length < 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the time grid needs at least 2 times, got "
                    + times.length);
        }
        for (int i = 0; i + 1 < times.length; i++) {
            if (!(times[i + 1] > times[i])) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": the time grid must increase, but t["
                        + i + "] = " + times[i] + " and t[" + (i + 1) + "] = " + times[i + 1]);
            }
        }
    }
}
