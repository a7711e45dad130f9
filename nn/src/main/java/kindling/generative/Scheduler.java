package kindling.generative;

/**
 * The noise schedule of a Gaussian probability path: the coefficients α_t of the data and β_t of
 * the noise, and their time derivatives.
 * <pre>
 *   x_t = α_t · z + β_t · ε,     z a data point, ε ~ N(0, I),     t ∈ [0, 1]
 *   α_0 = 0, β_0 = 1  (pure noise at t = 0)        α_1 = 1, β_1 = 0  (the data point at t = 1)
 * </pre>
 * α and β must be continuously differentiable, α increasing and β decreasing. The time runs from
 * noise (t = 0) to data (t = 1), as in the MIT 6.S184 notes and Meta's flow_matching library
 * (which names β "σ"); DDPM papers run it the other way.
 */
public interface Scheduler {
    /** α_t, the weight of the data point. */
    double alpha(double t);

    /** β_t, the standard deviation of the noise. */
    double beta(double t);

    /** α̇_t = dα_t/dt. */
    double alphaDot(double t);

    /** β̇_t = dβ_t/dt. */
    double betaDot(double t);
}
