/**
 * Normalisation as differentiable ops with closed-form backward passes: read
 * {@link kindling.ops.norm.BatchNormOp} first (both backward forms, where each term comes from), then
 * {@link kindling.ops.norm.LayerNormOp} (the same formula with the axes swapped). The loops are in
 * {@link kindling.kernels.NormKernels} beside their naive twins in {@link kindling.kernels.NormNaive};
 * students call {@code kindling.nn.functional.Normalization} or the modules.
 */
package kindling.ops.norm;
