package kindling.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import kindling.kernels.Conv2dKernels;
import kindling.kernels.ConvGeometry;
import kindling.kernels.Threads;

/**
 * Every distinct convolution layer of the two ResNet training steps (ResNet.small() on 28×28 and
 * d2l's ResNet-18 on 96×96, batch 128) and of d2l's LeNet (batch 256), timed one kernel call at a time: forward, ∂L/∂x and ∂L/∂W
 * through {@link Conv2dKernels}, the calls a training step makes. {@code benchmarks/conv_layers.py}
 * times the same layers in PyTorch ({@code F.conv2d}, {@code torch.nn.grad.conv2d_input} and
 * {@code conv2d_weight}), so the two tables say which layers lose most, weighted by how often each
 * occurs in its network.
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar kindling.benchmarks.ConvLayerTable \
 *        threads calls [small|d2l|lenet|all] [layer-name ...]
 * </pre>
 * Prints one line per layer and operation: the median of {@code calls} timed calls with its
 * quartiles, in ms, after at least {@code calls / 2} (and ten) untimed calls and
 * {@link #WARMUP_NANOS} of them.
 */
public final class ConvLayerTable {
    private ConvLayerTable() {
    }

    /** Each layer is warmed up for at least this long before it is timed. */
    static final long WARMUP_NANOS = 1_500_000_000L;

    /** One layer: its name, how many times it occurs in its network, and its geometry at batch 128. */
    record Layer(String name, int count, int inChannels, int outChannels, int size, int kernel, int stride,
                 int padding) {
        ConvGeometry geometry(int batch) {
            return ConvGeometry.of(batch, inChannels, size, size, outChannels, kernel, kernel, stride, stride,
                    padding, padding, padding, padding, 1, 1, 1);
        }
    }

    /** The layers of ResNet.small() (prefix s) and of d2l's ResNet-18 (prefix r), in network order. */
    static final List<Layer> LAYERS = List.of(
            new Layer("s-stem", 1, 1, 16, 28, 3, 1, 1),
            new Layer("s-16x14", 4, 16, 16, 14, 3, 1, 1),
            new Layer("s-16>32s2", 1, 16, 32, 14, 3, 2, 1),
            new Layer("s-16>32k1", 1, 16, 32, 14, 1, 2, 0),
            new Layer("s-32x7", 3, 32, 32, 7, 3, 1, 1),
            new Layer("s-32>64s2", 1, 32, 64, 7, 3, 2, 1),
            new Layer("s-32>64k1", 1, 32, 64, 7, 1, 2, 0),
            new Layer("s-64x4", 3, 64, 64, 4, 3, 1, 1),
            new Layer("s-64>128s2", 1, 64, 128, 4, 3, 2, 1),
            new Layer("s-64>128k1", 1, 64, 128, 4, 1, 2, 0),
            new Layer("s-128x2", 3, 128, 128, 2, 3, 1, 1),
            new Layer("r-stem", 1, 1, 64, 96, 7, 2, 3),
            new Layer("r-64x24", 4, 64, 64, 24, 3, 1, 1),
            new Layer("r-64>128s2", 1, 64, 128, 24, 3, 2, 1),
            new Layer("r-64>128k1", 1, 64, 128, 24, 1, 2, 0),
            new Layer("r-128x12", 3, 128, 128, 12, 3, 1, 1),
            new Layer("r-128>256s2", 1, 128, 256, 12, 3, 2, 1),
            new Layer("r-128>256k1", 1, 128, 256, 12, 1, 2, 0),
            new Layer("r-256x6", 3, 256, 256, 6, 3, 1, 1),
            new Layer("r-256>512s2", 1, 256, 512, 6, 3, 2, 1),
            new Layer("r-256>512k1", 1, 256, 512, 6, 1, 2, 0),
            new Layer("r-512x3", 3, 512, 512, 3, 3, 1, 1),
            new Layer("l-conv1", 1, 1, 6, 28, 5, 1, 2),
            new Layer("l-conv2", 1, 6, 16, 14, 5, 1, 0));

    /** The batch of a layer's network: 256 for d2l's LeNet (prefix l), 128 for the ResNets. */
    static int batchOf(Layer layer) {
        return layer.name().startsWith("l-") ? LENET_BATCH : 128;
    }

    private static final int LENET_BATCH = 256;

    /** The name prefix of a network's layers: small (s-), d2l (r-), lenet (l-); null for any other name. */
    private static String prefixOf(String network) {
        return switch (network) {
            case "small" -> "s-";
            case "d2l" -> "r-";
            case "lenet" -> "l-";
            default -> null;
        };
    }

    /** Arguments: threads, timed calls per operation, then optionally a network (small, d2l, lenet, all) and layer names. */
    public static void main(String[] args) {
        String network = args.length > 2 ? args[2] : "all";
        if (args.length < 2 || (!network.equals("all") && prefixOf(network) == null)) {
            System.err.println("usage: java --add-modules jdk.incubator.vector -cp benchmarks.jar"
                    + " kindling.benchmarks.ConvLayerTable threads calls [small|d2l|lenet|all] [layer-name ...]");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        List<String> only = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
        Threads.set(threads);
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : LAYERS) {
            boolean inNetwork = network.equals("all") || layer.name().startsWith(prefixOf(network));
            if (inNetwork && (only.isEmpty() || only.contains(layer.name()))) {
                layers.add(layer);
            }
        }
        Random random = new Random(17);
        for (Layer layer : layers) {
            ConvGeometry g = layer.geometry(batchOf(layer));
            float[] x = ConvBenchmark.uniform(random, g.batch() * g.inChannels() * g.height() * g.width());
            float[] w = ConvBenchmark.uniform(random, g.outChannels() * g.patchSize());
            float[] gradY = ConvBenchmark.uniform(random, g.batch() * g.outChannels() * g.outPlane());
            // Warm up for a number of calls and for a time: a small layer's calls take well under a
            // millisecond, and ten of them end before C2 has compiled the Vector API code the layer runs,
            // so the first layer of a run was timed at up to three times its steady speed.
            int warmup = Math.max(10, calls / 2);
            long warmupEnd = System.nanoTime() + WARMUP_NANOS;
            for (int i = 0; i < warmup || System.nanoTime() < warmupEnd; i++) {
                Conv2dKernels.forward(x, w, null, g);
                Conv2dKernels.backwardInput(gradY, w, g);
                Conv2dKernels.backwardWeight(x, gradY, g);
            }
            double[][] ms = new double[3][calls];
            for (int i = 0; i < calls; i++) {                  // the three operations take turns
                long t0 = System.nanoTime();
                Conv2dKernels.forward(x, w, null, g);
                long t1 = System.nanoTime();
                Conv2dKernels.backwardInput(gradY, w, g);
                long t2 = System.nanoTime();
                Conv2dKernels.backwardWeight(x, gradY, g);
                long t3 = System.nanoTime();
                ms[0][i] = (t1 - t0) / 1e6;
                ms[1][i] = (t2 - t1) / 1e6;
                ms[2][i] = (t3 - t2) / 1e6;
            }
            String[] ops = {"fwd", "dx", "dw"};
            for (int op = 0; op < 3; op++) {
                Arrays.sort(ms[op]);
                System.out.printf(Locale.ROOT, "kindling %dT %-12s x%d %-3s median %8.3f [%8.3f %8.3f] (%8.3f %8.3f) ms%n",
                        threads, layer.name(), layer.count(), ops[op], TrainingThroughput.quantile(ms[op], 0.5),
                        TrainingThroughput.quantile(ms[op], 0.25), TrainingThroughput.quantile(ms[op], 0.75),
                        ms[op][0], ms[op][calls - 1]);
            }
        }
    }
}
