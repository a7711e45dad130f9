package kindling.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The solvers against closed forms: the linear ODE's exact solution, Brownian motion and the Ornstein–Uhlenbeck process. */
class SolverTest {

    /** |X_1 − e^λ| for dx/dt = λx, x(0) = 1, λ = −1.5, solved on [0, 1] with n steps. */
    private static double errorOnLinearOde(boolean heun, int steps) {
        VectorField linear = (x, t) -> x.mul(-1.5f);
        Solver solver = heun ? new HeunSolver(linear) : new EulerSolver(linear);
        Tensor x1 = solver.simulate(Tensor.ones(1, 1), Times.uniform(0, 1, steps));
        return Math.abs(x1.item() - Math.exp(-1.5));
    }

    @Test
    void eulerIsFirstOrderAndHeunSecondOrder() {
        // halving h should halve Euler's error and quarter Heun's (its error at 32 steps, ~1e-4, is
        // still far above float32's rounding, ~1e-7 per step)
        for (int steps = 8; steps <= 32; steps *= 2) {
            double eulerRatio = errorOnLinearOde(false, steps) / errorOnLinearOde(false, 2 * steps);
            double heunRatio = errorOnLinearOde(true, steps) / errorOnLinearOde(true, 2 * steps);
            assertEquals(2, eulerRatio, 0.2, "Euler, " + steps + " → " + 2 * steps + " steps");
            assertEquals(4, heunRatio, 0.4, "Heun, " + steps + " → " + 2 * steps + " steps");
        }
        // one Euler step by hand: x + h·λx = 1 + 1·(−1.5) = −0.5
        assertEquals(-0.5f, new EulerSolver((x, t) -> x.mul(-1.5f)).simulate(Tensor.ones(1, 1), new float[] {0, 1}).item());
    }

    @Test
    void theFieldSeesEachStepsTime() {
        // dx/dt = 2t: x(1) = 1 exactly; Euler's left sums give Σ 2·t_i·h = 1 − h, Heun's trapezoids are exact
        VectorField ramp = (x, t) -> t.reshape(-1, 1).mul(2f).expand(x.shape());
        float[] grid = Times.uniform(0, 1, 10);
        assertEquals(0.9f, new EulerSolver(ramp).simulate(Tensor.zeros(3, 1), grid).get(2, 0), 1e-6f);
        assertEquals(1.0f, new HeunSolver(ramp).simulate(Tensor.zeros(3, 1), grid).get(2, 0), 1e-6f);
    }

    @Test
    void brownianMotionHasVarianceT() {
        // dX = σ dW from 0: X_t ~ N(0, σ² t)
        int n = 20_000;
        double sigma = 0.7;
        Solver solver = new EulerMaruyamaSolver((x, t) -> Tensor.zerosLike(x), DiffusionCoefficient.constant(sigma),
                new Generator(1));
        Trajectory path = solver.simulateWithTrajectory(Tensor.zeros(n, 1), Times.uniform(0, 2, 40));
        assertEquals(41, path.states().size());
        for (int i : new int[] {10, 20, 40}) {
            double t = path.times()[i];
            Moments m = Moments.of(path.states().get(i));
            assertEquals(0, m.mean, 4 * Math.sqrt(sigma * sigma * t / n), "mean at t = " + t);
            assertEquals(sigma * sigma * t, m.variance, 4 * Math.sqrt(2.0 / n) * sigma * sigma * t, "variance at t = " + t);
        }
    }

    @Test
    void ornsteinUhlenbeckMeanAndVarianceOverTime() {
        // dX = −θX dt + σ dW from X_0 = x0:  E[X_t] = x0 e^(−θt),  Var[X_t] = σ²/(2θ) (1 − e^(−2θt))
        int n = 20_000;
        double theta = 1.0;
        double sigma = 0.8;
        double x0 = 2.0;
        float h = 0.01f;
        Solver solver = new EulerMaruyamaSolver((x, t) -> x.mul((float) -theta), DiffusionCoefficient.constant(sigma),
                new Generator(2));
        Trajectory path = solver.simulateWithTrajectory(Tensor.full((float) x0, n, 1), Times.uniform(0, 3, 300));
        for (int i : new int[] {25, 50, 100, 300}) {
            double t = path.times()[i];
            double mean = x0 * Math.exp(-theta * t);
            double variance = sigma * sigma / (2 * theta) * (1 - Math.exp(-2 * theta * t));
            Moments m = Moments.of(path.states().get(i));
            // 4 standard errors, plus Euler–Maruyama's bias of order θh relative (1% here)
            assertEquals(mean, m.mean, 4 * Math.sqrt(variance / n) + theta * h * x0 * t, "mean at t = " + t);
            assertEquals(variance, m.variance, (4 * Math.sqrt(2.0 / n) + theta * h) * variance, "variance at t = " + t);
        }
    }

    @Test
    void aSeedRepeatsASimulation() {
        VectorField drift = (x, t) -> x.neg();
        float[] grid = Times.uniform(0, 1, 5);
        Tensor a = new EulerMaruyamaSolver(drift, DiffusionCoefficient.constant(1), new Generator(9)).simulate(Tensor.zeros(4, 2), grid);
        Tensor b = new EulerMaruyamaSolver(drift, DiffusionCoefficient.constant(1), new Generator(9)).simulate(Tensor.zeros(4, 2), grid);
        assertArrayEquals(a.toArray(), b.toArray());
        // σ = 0 is Euler's method
        Tensor x0 = Tensor.randn(new Generator(3), 4, 2);
        assertArrayEquals(new EulerSolver(drift).simulate(x0, grid).toArray(),
                new EulerMaruyamaSolver(drift, DiffusionCoefficient.constant(0), new Generator(1)).simulate(x0, grid).toArray(), 1e-6f);
    }

    @Test
    void gridsAndArgumentsAreChecked() {
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Times.uniform(0, 1, 4));
        Solver euler = new EulerSolver((x, t) -> x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> euler.simulate(Tensor.zeros(1, 1), new float[] {0, 0.5f, 0.5f}));
        assertTrue(e.getMessage().contains("EulerSolver") && e.getMessage().contains("increase"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> euler.simulate(Tensor.zeros(1, 1), new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Times.uniform(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> DiffusionCoefficient.constant(-1));
    }

    /** Sample mean and (biased) variance of all elements. */
    record Moments(double mean, double variance) {
        static Moments of(Tensor x) {
            double sum = 0;
            double squares = 0;
            float[] v = x.toArray();
            for (float f : v) {
                sum += f;
                squares += (double) f * f;
            }
            double mean = sum / v.length;
            return new Moments(mean, squares / v.length - mean * mean);
        }
    }
}
