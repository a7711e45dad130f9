/**
 * Pooling as differentiable ops: {@link kindling.ops.pool.MaxPool2dOp} (the argmax kept for a
 * scatter in backward) and {@link kindling.ops.pool.AvgPool2dOp} (explicit windows, shared by sliding
 * and adaptive average pooling). The loops are in {@link kindling.kernels.PoolKernels} beside their
 * naive twins in {@link kindling.kernels.PoolNaive}; students call {@code kindling.nn.functional.Pooling}.
 */
package kindling.ops.pool;
