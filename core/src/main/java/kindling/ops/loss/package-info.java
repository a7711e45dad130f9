/**
 * Fused loss ops, where composing small ops would not match PyTorch at the edges:
 * {@link kindling.ops.loss.BinaryCrossEntropyOp} (PyTorch's clamps at probabilities 0 and 1). The
 * numerically careful log σ used by the logits form is {@link kindling.ops.LogSigmoidOp}. Students call
 * {@code kindling.nn.functional.Losses} or the loss modules.
 */
package kindling.ops.loss;
