/**
 * Speed and memory measurements of Kindling against its peers, run on demand, never in CI.
 * <p>Read first: {@code benchmarks/run.sh}, the one command that builds this module, runs everything
 * below and the PyTorch script, and regenerates {@code docs/performance.md}. Then:
 * <ul>
 *   <li>{@link kindling.benchmarks.GemmBenchmark} — C = A · B: Kindling naive, plain and SIMD, EJML, ND4J;</li>
 *   <li>{@link kindling.benchmarks.ConvBenchmark} — conv2d forward and forward+backward against ND4J;</li>
 *   <li>{@link kindling.benchmarks.PoolNormBenchmark} — max/avg pooling and batch norm;</li>
 *   <li>{@link kindling.benchmarks.TrainingThroughput} — whole training steps: images/s, heap, GC share;</li>
 *   <li>{@link kindling.benchmarks.PeerCheck} and {@link kindling.benchmarks.FmaPeak} — that the peers
 *       agree, and the machine's FMA ceiling.</li>
 * </ul>
 * ND4J is a dependency of this module only; Kindling's own modules stay free of it.
 */
package kindling.benchmarks;
