/**
 * PyTorch's {@code torch.nn.functional} ({@code F}): thin public static functions that check their
 * arguments and shapes, name the caller in errors, and call a differentiable op of
 * {@code kindling.ops}. The modules of {@code kindling.nn} hold the parameters and call these.
 * <ul>
 *   <li>{@link kindling.nn.functional.Convolution}: {@code conv2d}, {@code convTranspose2d}
 *       ({@code kindling.ops.conv});</li>
 *   <li>{@link kindling.nn.functional.Pooling}: max, average and adaptive average pooling
 *       ({@code kindling.ops.pool});</li>
 *   <li>{@link kindling.nn.functional.Normalization}: batch and layer norm ({@code kindling.ops.norm});</li>
 *   <li>{@link kindling.nn.functional.Losses}: every loss; read {@code Losses.crossEntropy} first, then
 *       the two guarded ops ({@code kindling.ops.LogSigmoidOp}, {@code kindling.ops.loss.BinaryCrossEntropyOp})
 *       that show why some logs need care;</li>
 *   <li>{@link kindling.nn.functional.Embeddings}: the table lookup ({@code kindling.ops.EmbeddingOp});</li>
 *   <li>{@link kindling.nn.functional.Attention} and {@link kindling.nn.functional.AttentionMask}: scaled
 *       dot-product attention, composed from tensor ops.</li>
 * </ul>
 */
package kindling.nn.functional;
