/**
 * Kernels: raw loops over {@code float[]} with explicit sizes, offsets and strides. No tensors, no
 * autograd, so each kernel can be read, tested and benchmarked on its own.
 *
 * <p>Read first: {@link kindling.kernels.GemmNaive}, the matrix multiply as a textbook triple loop.
 * Then {@link kindling.kernels.Gemm}, the facade the rest of Kindling calls, and the two fast versions
 * it dispatches to: {@code GemmPlain} (plain Java the JIT vectorises) and {@code GemmSimd}
 * (the incubating Vector API, used when the JVM runs with {@code --add-modules jdk.incubator.vector}).
 * Each fast kernel lists its optimisation rules in its javadoc: what is packed, what is blocked
 * for which cache, what runs in parallel.
 *
 * <p>{@link kindling.kernels.Threads} is the one switch for the number of threads;
 * {@code Threads.set(1)} lets you step through any kernel on a single thread.
 */
package kindling.kernels;
