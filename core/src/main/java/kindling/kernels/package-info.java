/**
 * Kernels: every loop of Kindling, over {@code float[]} with explicit sizes, offsets and strides. No
 * tensors, no autograd, so each kernel can be read, tested and benchmarked on its own.
 *
 * <p>The families, each a fast kernel beside its naive twin (the loop as the formula writes it), the
 * fast one tested against the twin over grids of shapes:
 * <ul>
 *   <li>GEMM: {@link kindling.kernels.Gemm} (the facade, with {@link kindling.kernels.Operand}s),
 *       {@link kindling.kernels.GemmNaive}, {@code GemmPlain}, {@code GemmSimd};</li>
 *   <li>convolution: {@link kindling.kernels.Convolutions} (the entry point),
 *       {@link kindling.kernels.ConvNaive} and {@link kindling.kernels.Conv2dKernels} (im2col + GEMM),
 *       {@link kindling.kernels.ConvTransposeNaive} and {@link kindling.kernels.ConvTransposeKernels};</li>
 *   <li>pooling: {@link kindling.kernels.PoolKernels}, {@link kindling.kernels.PoolNaive};</li>
 *   <li>normalisation: {@link kindling.kernels.NormKernels}, {@link kindling.kernels.NormNaive};</li>
 *   <li>reduction along a dimension: {@link kindling.kernels.DimReductions} (the outer × size × inner walk,
 *       written once, with its naive walk);</li>
 *   <li>elementwise: {@link kindling.kernels.Elementwise} (map, zip, the three-input zip3 and the
 *       backward forms of the one-input functions, with their naive twins and one threading policy; the
 *       sigmoid and the ReLU mask with {@code ElementwiseSimd}), and
 *       {@link kindling.kernels.StridedLoops} for copies through strides;</li>
 *   <li>indexing: {@link kindling.kernels.Indexing} (gather, scatter-add, the block copies of indexSelect
 *       and embedding and their accumulating backward).</li>
 * </ul>
 *
 * <p>Read first: {@link kindling.kernels.GemmNaive}, the matrix multiply as a textbook triple loop, then
 * {@link kindling.kernels.Gemm}. Each fast kernel lists its optimisation rules in its javadoc: what is
 * packed, what is blocked for which cache, what runs in parallel.
 *
 * <p>Two switches: {@link kindling.kernels.Kernels#setMode} ({@code -Dkindling.kernels=naive|plain|simd})
 * picks the naive twins, the plain-Java fast kernels or those with the Vector API;
 * {@link kindling.kernels.Threads#set} the number of threads ({@code Threads.set(1)}, or mode naive,
 * keeps every loop on the calling thread, for the debugger).
 */
package kindling.kernels;
