/**
 * Weight initialisation ({@link kindling.nn.init.Init}), as PyTorch's {@code torch.nn.init}: uniform,
 * normal, Xavier and Kaiming, each with its distribution written in the javadoc. Start with
 * {@code Init.kaimingUniform_}, which every {@code Linear} uses through {@code resetParameters()}.
 */
package kindling.nn.init;
