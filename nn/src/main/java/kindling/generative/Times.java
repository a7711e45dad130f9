package kindling.generative;

import java.util.function.DoubleUnaryOperator;
import kindling.tensor.Tensor;

/**
 * Times as the solvers and losses pass them: a grid t_0 &lt; t_1 &lt; … &lt; t_n for a simulation, a
 * tensor (N) with one time per sample for a vector field, and a per-sample coefficient such as α_t
 * as an (N, 1, …, 1) tensor that broadcasts against a batch x (N, *).
 */
public final class Times {
    private Times() {
    }

    /** The uniform grid t_i = t0 + i · (t1 − t0)/steps, i = 0 … steps: steps + 1 times, step size h = (t1 − t0)/steps. */
    public static float[] uniform(double t0, double t1, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("Times.uniform: steps must be > 0, got " + steps);
        }
        float[] times = new float[steps + 1];
        for (int i = 0; i <= steps; i++) {
            times[i] = (float) (t0 + i * (t1 - t0) / steps);
        }
        times[steps] = (float) t1;          // the last time exactly, not t0 + steps·h with its rounding
        return times;
    }

    /** The same time t for each of n samples: a tensor (n). */
    public static Tensor full(int n, double t) {
        return Tensor.full((float) t, n);
    }

    /**
     * f(t) for each sample's time, shaped (N, 1, …, 1) with {@code rank} dims so that it broadcasts
     * against a batch of rank {@code rank}: e.g. α_t for x (N, 2) is (N, 1). Computed in double; not
     * differentiable with respect to t (times are data here).
     */
    public static Tensor perSample(Tensor t, DoubleUnaryOperator f, int rank) {
        float[] times = t.toArray();
        float[] values = new float[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = (float) f.applyAsDouble(times[i]);
        }
        int[] shape = new int[Math.max(rank, 1)];
        java.util.Arrays.fill(shape, 1);
        shape[0] = times.length;
        return Tensor.of(values, shape);
    }
}
