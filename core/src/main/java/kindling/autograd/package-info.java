/**
 * Reverse-mode automatic differentiation: the graph of recorded operations and the walk that turns
 * the gradient of a loss into the gradient of every leaf.
 *
 * <p>Read {@link kindling.autograd.Function} first: the node every op extends, with the pattern of
 * {@code record} (make the output's {@code gradFn}), {@code save} (keep a tensor for backward, with
 * its version) and {@code backward}. Then {@link kindling.autograd.Backward#run}, the walk itself.
 * {@link kindling.autograd.NoGrad} turns recording off in a scope; {@link kindling.autograd.GradCheck}
 * tests any backward against finite differences; {@link kindling.autograd.GraphDot} draws the graph
 * behind a tensor in Graphviz.
 *
 * <p>This package, {@code kindling.tensor} and {@code kindling.ops} reference each other: together
 * they are one layer. {@code docs/autograd.md} walks through an example step by step and says where to
 * put breakpoints.
 */
package kindling.autograd;
