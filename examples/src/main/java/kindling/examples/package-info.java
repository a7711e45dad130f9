/**
 * The course programs, each a plain class with {@code main} that reads top to bottom: data, model
 * (with its shape trace), loss, optimizer, the training loop, evaluation, charts.
 * {@link kindling.examples.Examples} is the launcher, one line per program. Start with
 * {@link kindling.examples.TensorTour} (tensors and autograd), then {@link kindling.examples.SpiralClassifier}
 * (an MLP) and {@link kindling.examples.LeNetExample} (a CNN on Fashion-MNIST); the networks themselves are
 * in {@code kindling.examples.models}, the charts in {@code kindling.examples.charts}.
 */
package kindling.examples;
