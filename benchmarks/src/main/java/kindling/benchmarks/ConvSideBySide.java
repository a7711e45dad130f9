package kindling.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Two builds of Kindling's convolution kernels timed side by side in one JVM, to tell whether a change
 * to a kernel made it faster. Each build is loaded by a class loader of its own (a directory of classes
 * such as {@code core/target/classes}, or a jar), so both are compiled by the same JIT and run on the
 * same machine at the same moment; the rounds alternate which build goes first. On a shared machine,
 * whose speed drifts by tens of percent over minutes, two runs one after the other can disagree by
 * more than the change being measured; the ratio of each round's two medians drifts far less.
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar kindling.benchmarks.ConvSideBySide \
 *        BUILD_A BUILD_B THREADS ROUNDS fwd|dx|dw BATCH C_IN C_OUT SIZE KERNEL STRIDE PADDING
 * </pre>
 * A square SIZE×SIZE input, a square KERNEL with the same STRIDE and PADDING on every side. Prints
 * each round's medians (ms per call, 1.5 s of calls per build and round, after two untimed rounds) and
 * their ratio A / B (above 1: B is faster), then the median ratio with the lowest and highest.
 */
public final class ConvSideBySide {
    private ConvSideBySide() {
    }

    /** How long each build's calls are timed in a round. */
    static final long ROUND_NANOS = 1_500_000_000L;

    /** One build's operation, ready to call with the shared arrays. */
    record Build(String name, MethodHandle operation) {
        /** The kernels of the build at {@code path}, {@code geometry} the 16 arguments of {@code ConvGeometry.of}. */
        static Build load(String path, String op, Object[] geometry, int threads) throws Throwable {
            URL url = Path.of(path).toUri().toURL();
            ClassLoader loader = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> geometryClass = loader.loadClass("kindling.kernels.ConvGeometry");
            Class<?>[] ints = new Class<?>[16];
            Arrays.fill(ints, int.class);
            Object g = lookup.findStatic(geometryClass, "of", MethodType.methodType(geometryClass, ints))
                    .invokeWithArguments(geometry);
            Class<?> kernels = loader.loadClass("kindling.kernels.Conv2dKernels");
            MethodHandle handle = switch (op) {
                case "fwd" -> lookup.findStatic(kernels, "forward", MethodType.methodType(float[].class,
                        float[].class, float[].class, float[].class, geometryClass));
                case "dx" -> lookup.findStatic(kernels, "backwardInput", MethodType.methodType(float[].class,
                        float[].class, float[].class, geometryClass));
                case "dw" -> lookup.findStatic(kernels, "backwardWeight", MethodType.methodType(float[].class,
                        float[].class, float[].class, geometryClass));
                default -> throw new IllegalArgumentException("operation must be fwd, dx or dw, not " + op);
            };
            // The geometry is bound last, so every build is called with the same plain arrays.
            handle = MethodHandles.insertArguments(handle, handle.type().parameterCount() - 1, g);
            // Each build has its own Threads, and so its own thread count.
            lookup.findStatic(loader.loadClass("kindling.kernels.Threads"), "set",
                    MethodType.methodType(void.class, int.class)).invoke(threads);
            return new Build(path, handle);
        }

        /** The median ms per call over {@link #ROUND_NANOS} of calls. */
        double medianMillis(Object[] arguments) throws Throwable {
            List<Double> ms = new ArrayList<>();
            long end = System.nanoTime() + ROUND_NANOS;
            while (System.nanoTime() < end || ms.size() < 3) {
                long start = System.nanoTime();
                operation.invokeWithArguments(arguments);
                ms.add((System.nanoTime() - start) / 1e6);
            }
            ms.sort(null);
            return ms.get(ms.size() / 2);
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length != 12) {
            System.err.println("usage: java --add-modules jdk.incubator.vector -cp benchmarks.jar"
                    + " kindling.benchmarks.ConvSideBySide BUILD_A BUILD_B THREADS ROUNDS fwd|dx|dw"
                    + " BATCH C_IN C_OUT SIZE KERNEL STRIDE PADDING");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String op = args[4];
        int[] shape = new int[7];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Integer.parseInt(args[5 + i]);
        }
        int n = shape[0], in = shape[1], out = shape[2], size = shape[3], k = shape[4], s = shape[5], p = shape[6];
        Object[] geometry = {n, in, size, size, out, k, k, s, s, p, p, p, p, 1, 1, 1};
        Build a = Build.load(args[0], op, geometry, threads);
        Build b = Build.load(args[1], op, geometry, threads);
        int outSize = (size + 2 * p - k) / s + 1;
        Random random = new Random(17);
        float[] x = ConvBenchmark.uniform(random, n * in * size * size);
        float[] w = ConvBenchmark.uniform(random, out * in * k * k);
        float[] gradY = ConvBenchmark.uniform(random, n * out * outSize * outSize);
        Object[] arguments = switch (op) {
            case "fwd" -> new Object[] {x, w, null};
            case "dx" -> new Object[] {gradY, w};
            default -> new Object[] {x, gradY};
        };
        double[] ratios = new double[rounds];
        for (int round = -2; round < rounds; round++) {            // two rounds of warm-up, not printed
            boolean aFirst = (round & 1) == 0;
            double first = (aFirst ? a : b).medianMillis(arguments);
            double second = (aFirst ? b : a).medianMillis(arguments);
            double msA = aFirst ? first : second;
            double msB = aFirst ? second : first;
            if (round >= 0) {
                ratios[round] = msA / msB;
                System.out.printf(Locale.ROOT, "round %2d  A %9.3f ms  B %9.3f ms  A/B %.3f%n", round + 1, msA, msB,
                        ratios[round]);
            }
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "%s %dT, A = %s, B = %s: median A/B %.3f (lowest %.3f, highest %.3f, %d rounds)%n",
                op, threads, a.name(), b.name(), TrainingThroughput.quantile(ratios, 0.5), ratios[0],
                ratios[rounds - 1], rounds);
    }
}
