/**
 * Convolution as differentiable ops: {@link kindling.ops.conv.Conv2dOp} (PyTorch's {@code F.conv2d},
 * a cross-correlation) and {@link kindling.ops.conv.ConvTranspose2dOp} ({@code F.conv_transpose2d}, its
 * adjoint). Each holds its forward and backward formulas; the loops are in
 * {@link kindling.kernels.Convolutions}, which runs {@code ConvNaive} or im2col + GEMM by kernel mode.
 * Shapes and arguments are checked by {@code kindling.nn.functional.Convolution}, which students call.
 */
package kindling.ops.conv;
