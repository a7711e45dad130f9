/**
 * The differentiable operations: one {@code final} class per op, its forward ({@code apply}) and its
 * backward side by side, the formula and the shapes in its javadoc.
 *
 * <p>Read {@link kindling.ops.MulOp} first: a complete op in forty lines — broadcast the inputs,
 * loop, record only when an input requires grad, save the tensors backward needs, and return one
 * gradient per input summed back to that input's shape with {@link kindling.ops.Broadcast#sumTo}.
 * {@link kindling.ops.AddOp} and {@link kindling.ops.SumOp} show ops that keep only shapes; the view
 * ops ({@link kindling.ops.ReshapeOp}, {@link kindling.ops.PermuteOp}, {@link kindling.ops.ExpandOp},
 * {@link kindling.ops.SliceOp}) return tensors over the same storage and map gradients back through
 * the view.
 *
 * <p>Users call these through {@link kindling.tensor.Tensor}'s methods ({@code a.mul(b)}), not
 * directly. Each op has a gradient check and a PyTorch golden test.
 */
package kindling.ops;
