package kindling.ops;

import kindling.autograd.Function;
import kindling.autograd.Saved;
import kindling.tensor.Tensor;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel 2016, arXiv:1606.08415), as
 * {@code torch.nn.functional.gelu}.
 * <pre>
 *   exact (default):  y = x · Φ(x),   Φ(x) = ½ erfc(−x/√2),   φ(x) = e^(−x²/2) / √(2π)
 *                     ∂L/∂x = ∂L/∂y · (Φ(x) + x · φ(x))
 *   tanh:             u = √(2/π) · (x + 0.044715 x³),   y = ½ x (1 + tanh u)
 *                     ∂L/∂x = ∂L/∂y · (½ (1 + tanh u) + ½ x (1 − tanh² u) · √(2/π) (1 + 3 · 0.044715 x²))
 * </pre>
 * The tanh form is PyTorch's {@code approximate='tanh'} (the one GPT-2 used); the exact form is the default.
 * Φ is computed through erfc, not as ½ (1 + erf): for negative x, 1 + erf(x) cancels to nothing
 * while erfc keeps its relative accuracy, so y stays accurate far into the left tail.
 * Shape: any; y has the shape of x.
 */
public final class GeluOp extends Function {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double KAPPA = 0.044715;

    private Saved input;
    private boolean tanhApproximation;

    public static Tensor apply(Tensor input, boolean tanhApproximation) {
        float[] x = input.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            double v = x[i];
            out[i] = (float) (tanhApproximation
                    ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + KAPPA * v * v * v)))
                    : v * normalCdf(v));
        }
        Tensor result = Tensor.wrap(out, input.shape());
        if (!needsGrad(input)) {
            return result;
        }
        GeluOp op = new GeluOp();
        op.input = op.save(input);
        op.tanhApproximation = tanhApproximation;
        return op.record(result, input);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = input.get().data();
        float[] gradInput = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            double v = x[i];
            double slope;
            if (tanhApproximation) {
                double t = Math.tanh(SQRT_2_OVER_PI * (v + KAPPA * v * v * v));
                slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * v * v);
            } else {
                slope = normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
            }
            gradInput[i] = (float) (g[i] * slope);
        }
        return new Tensor[] {Tensor.wrap(gradInput, gradOutput.shape())};
    }

    /** Φ(x), the standard normal CDF, with relative error below 1.2e-7 for every x. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x * SQRT_HALF);
    }

    /**
     * The complementary error function erfc(x) = 1 − erf(x), with relative error below 1.2e-7
     * everywhere: the Chebyshev fit of Numerical Recipes in C, 2nd ed. (Press et al. 1992), §6.2,
     * {@code erfcc}. With t = 1 / (1 + |x|/2):
     * <pre>
     *   erfc(|x|) = t · exp(−x² − 1.26551223 + t·(1.00002368 + t·(0.37409196 + ... + t·0.17087277)))
     *   erfc(−x)  = 2 − erfc(x)
     * </pre>
     * ElementwiseGoldenTest checks it against {@code torch.special.erfc} in double on [−6, 9].
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double tail = t * Math.exp(-z * z + poly);
        return x >= 0 ? tail : 2 - tail;
    }
}
