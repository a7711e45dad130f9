/**
 * Optimizers, learning-rate schedulers and gradient clipping, following {@code torch.optim}.
 *
 * <p>Read {@link kindling.optim.Optimizer} first (the training loop, parameter groups, per-parameter
 * state and the state dict), then {@link kindling.optim.ParamGroup}, then {@link kindling.optim.SGD}, the shortest update rule, then
 * {@link kindling.optim.Adam}. Each optimizer's javadoc holds its whole algorithm as pseudocode and
 * its {@code update} method follows it line by line. {@link kindling.optim.LRScheduler} explains how
 * schedulers change the lr between epochs; {@link kindling.optim.GradClip} clips gradients before a
 * step. {@code docs/optimizers.md} sets the update rules side by side.
 */
package kindling.optim;
