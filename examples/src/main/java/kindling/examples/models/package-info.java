/**
 * The networks the examples train, built from {@code kindling.nn} modules as the course writes them:
 * {@link kindling.examples.models.LeNet} first (d2l's LeNet-5 and a modern variant), then
 * {@link kindling.examples.models.AlexNet}, {@link kindling.examples.models.Vgg},
 * {@link kindling.examples.models.ResNet}; {@link kindling.examples.models.CharLM} (a character RNN),
 * {@link kindling.examples.models.DigitTransformer} and {@link kindling.examples.models.EmbeddingNet}
 * (the triplet example's embedding). Each test checks the parameter count and overfits one small batch.
 */
package kindling.examples.models;
