/**
 * Losses as plain functions ({@link kindling.nn.functional.Losses}), as PyTorch's
 * {@code torch.nn.functional}; the loss modules of {@code kindling.nn} call them. Read
 * {@code Losses.crossEntropy} first, then the two guarded ops ({@code LogSigmoidOp},
 * {@code BinaryCrossEntropyOp}) that show why some logs need care.
 */
package kindling.nn.functional;
