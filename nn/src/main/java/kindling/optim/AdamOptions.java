package kindling.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options that {@link Adam} and {@link AdamW} share, with PyTorch's defaults; each optimizer's public
 * {@code Builder} extends this class (so its setters return that builder, {@code B}) and declares its
 * own {@code weightDecay}, whose meaning differs between the two.
 *
 * @param <B> the builder that extends this class
 */
abstract class AdamOptions<B extends AdamOptions<B>> {
    final List<ParamGroup> groups;
    private double lr = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    double weightDecay;
    private boolean amsgrad = false;

    AdamOptions(List<ParamGroup> groups, double weightDecay) {
        this.groups = groups;
        this.weightDecay = weightDecay;
    }

    /** This builder, typed as the subclass so that setters chain. */
    abstract B self();

    /** Learning rate γ; default 1e-3. */
    public B lr(double lr) {
        this.lr = lr;
        return self();
    }

    /** Decay rates β₁, β₂ of the moment averages; default (0.9, 0.999). */
    public B betas(double beta1, double beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        return self();
    }

    /** ε added to the denominator for stability; default 1e-8. */
    public B eps(double eps) {
        this.eps = eps;
        return self();
    }

    /** Use the AMSGrad variant (running maximum of v); default false. */
    public B amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return self();
    }

    /** The builder's values as a group's defaults, under the names the state dict uses. */
    Map<String, Float> defaults() {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("lr", (float) lr);
        out.put("beta1", (float) beta1);
        out.put("beta2", (float) beta2);
        out.put("eps", (float) eps);
        out.put("weightDecay", (float) weightDecay);
        out.put("amsgrad", Checks.flag(amsgrad));
        return out;
    }
}
