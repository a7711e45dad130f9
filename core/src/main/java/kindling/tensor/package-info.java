/**
 * The n-dimensional array of Kindling: storage, shape, strides and offset; creation, views,
 * broadcasting, in-place updates and printing.
 *
 * <p>Read {@link kindling.tensor.Tensor} first: its fields are the four things a tensor is, and its
 * sections (Creation, Looking inside, Autograd, Views, In place, Arithmetic) list everything you can
 * do with one. Each math method is one line that delegates to an op class in {@code kindling.ops}.
 * Then {@link kindling.tensor.Shape}: small named functions for the arithmetic of shapes and strides
 * ({@code contiguousStrides}, {@code broadcast}, {@code viewStrides}) and the one shape formatter
 * every error message uses. {@link kindling.tensor.Generator} is the seeded random source.
 *
 * <p>{@code docs/tensors.md} draws the pictures.
 */
package kindling.tensor;
