/**
 * Normalisation as differentiable ops with closed-form backward passes: read
 * {@link kindling.ops.norm.BatchNormOp} first (both backward forms, where each term comes from), then
 * {@link kindling.ops.norm.LayerNormOp} (the same formula with the axes swapped), then
 * {@link kindling.ops.norm.GroupNormOp} (layer norm's formula per (sample, group) block, batch norm's
 * per-channel γ and β). The loops are in {@link kindling.kernels.NormKernels} and
 * {@link kindling.kernels.GroupNormKernels} beside their naive twins in {@link kindling.kernels.NormNaive};
 * students call {@code kindling.nn.functional.Normalization} or the modules.
 */
package kindling.ops.norm;
