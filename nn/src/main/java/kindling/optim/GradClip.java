package kindling.optim;

import java.util.List;
import kindling.autograd.NoGrad;
import kindling.tensor.Tensor;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Call
 * between {@code loss.backward()} and {@code optimizer.step()}. Parameters whose grad is null, and
 * frozen parameters (those that do not require a gradient, whatever grad they still hold), are
 * skipped: they neither count towards the norm nor get clipped, as the optimizers skip them.
 * <pre>
 *   clipGradNorm:   N = ‖(g₁, g₂, …)‖ₚ = (Σᵢ Σⱼ |gᵢⱼ|ᵖ)^(1/p)     (p = ∞: maxᵢⱼ |gᵢⱼ|)
 *                   gᵢ ← gᵢ · min(1, maxNorm / (N + 10⁻⁶))
 *   clipGradValue:  gᵢⱼ ← clamp(gᵢⱼ, −clipValue, clipValue)
 * </pre>
 * The norm is taken over all gradients together, as if concatenated into one vector, so clipping
 * by norm keeps the direction of the whole update and only shortens it; clipping by value changes
 * the direction. The 10⁻⁶ keeps the coefficient finite when every gradient is 0.
 */
public final class GradClip {
    private GradClip() {
    }

    /** Clips by the 2-norm over all gradients; returns that norm (before clipping). */
    public static float clipGradNorm(List<Tensor> params, float maxNorm) {
        return clipGradNorm(params, maxNorm, 2f);
    }

    /**
     * Clips by the {@code normType}-norm over all gradients ({@link Float#POSITIVE_INFINITY} for the
     * max-norm); returns that norm before clipping. PyTorch's default normType is 2.
     */
    public static float clipGradNorm(List<Tensor> params, float maxNorm, float normType) {
        Checks.atLeastZero("clipGradNorm", "maxNorm", maxNorm);
        Checks.positive("clipGradNorm", "normType", normType);
        double total = totalNorm(params, normType);
        float coefficient = (float) Math.min(1.0, maxNorm / (total + 1e-6));
        try (NoGrad scope = NoGrad.enter()) {
            for (Tensor param : params) {
                if (Optimizer.hasTrainableGrad(param)) {
                    param.grad().mul_(coefficient);          // PyTorch multiplies even when the coefficient is 1
                }
            }
        }
        return (float) total;
    }

    /** Clamps every gradient element into [−clipValue, clipValue]. */
    public static void clipGradValue(List<Tensor> params, float clipValue) {
        Checks.atLeastZero("clipGradValue", "clipValue", clipValue);
        try (NoGrad scope = NoGrad.enter()) {
            for (Tensor param : params) {
                Tensor grad = param.grad();
                if (Optimizer.hasTrainableGrad(param)) {
                    grad.copy_(grad.clamp(-clipValue, clipValue));
                }
            }
        }
    }

    /** ‖all gradients‖ₚ, accumulated in double: Σ|g|ᵖ then the p-th root, or max|g| for p = ∞. */
    static double totalNorm(List<Tensor> params, float normType) {
        boolean infinity = Float.isInfinite(normType);
        double accumulated = 0;
        for (Tensor param : params) {
            if (!Optimizer.hasTrainableGrad(param)) {
                continue;
            }
            for (float value : param.grad().data()) {
                double magnitude = Math.abs(value);
                if (infinity) {
                    accumulated = Math.max(accumulated, magnitude);
                } else if (normType == 2f) {
                    accumulated += magnitude * magnitude;
                } else {
                    accumulated += Math.pow(magnitude, normType);
                }
            }
        }
        return infinity ? accumulated : Math.pow(accumulated, 1.0 / normType);
    }
}
