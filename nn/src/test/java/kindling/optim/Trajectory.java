package kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kindling.io.GoldenText;
import kindling.tensor.Tensor;

/**
 * The small problem of {@code tools/golden/gen_optim.py}: parameters w (3, 4) and b (4,), loss
 * {@code sum((x·w + b − y)²)}, and helpers to run an optimizer on it and compare with PyTorch.
 */
final class Trajectory {
    static final Map<String, Tensor> GOLDEN = load();

    final Tensor w = Optimizer.copyOf(GOLDEN.get("traj_w0")).requiresGrad_();
    final Tensor b = Optimizer.copyOf(GOLDEN.get("traj_b0")).requiresGrad_();

    private static Map<String, Tensor> load() {
        try {
            return GoldenText.read("optim.txt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Tensor> params() {
        return List.of(w, b);
    }

    /** Recomputes the gradients at the current parameters: zeroGrad, loss, backward. */
    float computeGradients(Optimizer optimizer) {
        optimizer.zeroGrad();
        Tensor residual = GOLDEN.get("traj_x").matmul(w).add(b).sub(GOLDEN.get("traj_y"));
        Tensor loss = residual.mul(residual).sum();
        loss.backward();
        return loss.item();
    }

    /** Runs 25 steps of the optimizer built on this problem, comparing with case {@code name} after 1, 5, 25. */
    static void runAgainstTorch(String name, Function<List<Tensor>, Optimizer> build) {
        Trajectory problem = new Trajectory();
        Optimizer optimizer = build.apply(problem.params());
        for (int step = 1; step <= 25; step++) {
            problem.computeGradients(optimizer);
            optimizer.step();
            if (step == 1 || step == 5 || step == 25) {
                assertClose(GOLDEN.get(name + "_w_" + step), problem.w, name + " w after step " + step);
                assertClose(GOLDEN.get(name + "_b_" + step), problem.b, name + " b after step " + step);
            }
        }
    }

    /** Elementwise |actual − expected| ≤ 1e-5 · max(1, |expected|). */
    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what + ": size");
        for (int i = 0; i < e.length; i++) {
            double tolerance = 1e-5 * Math.max(1, Math.abs(e[i]));
            if (!(Math.abs(a[i] - e[i]) <= tolerance)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", PyTorch has " + e[i]);
            }
        }
    }
}
