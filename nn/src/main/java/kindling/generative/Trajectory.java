package kindling.generative;

import java.util.List;
import kindling.tensor.Tensor;

/**
 * A simulated path: the states X_{t_0}, X_{t_1}, …, X_{t_n} at the grid's times, each (N, *).
 *
 * @param times  the grid t_0 … t_n
 * @param states the state at each time, states.get(0) being the initial state
 */
public record Trajectory(float[] times, List<Tensor> states) {
    public Trajectory {
        if (times.length != states.size()) {
            throw new IllegalArgumentException("Trajectory: " + times.length + " times but " + states.size() + " states");
        }
        states = List.copyOf(states);
    }

    /** X_{t_n}. */
    public Tensor finalState() {
        return states.get(states.size() - 1);
    }

    /** All states stacked along a new first dim: (n + 1, N, *). */
    public Tensor stacked() {
        return Tensor.stack(states, 0);
    }
}
