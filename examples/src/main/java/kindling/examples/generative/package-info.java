/**
 * The pieces shared by the generative examples ({@code sde}, {@code flow2d}, {@code diffusion2d}):
 * the targets ({@link kindling.examples.generative.GaussianMixture} with its exact score,
 * {@link kindling.examples.generative.Toy2d}), the measure of sample quality
 * ({@link kindling.examples.generative.SlicedWasserstein}) and the panels of the charts
 * ({@link kindling.examples.generative.PlaneCharts}). The library part — solvers, probability paths,
 * losses, samplers — is {@code kindling.generative}; {@code docs/generative.md} is the chapter.
 */
package kindling.examples.generative;
