package kindling.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.incubator.vector.FloatVector;
import kindling.examples.models.LeNet;
import kindling.examples.models.ResNet;
import kindling.kernels.Threads;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Module;
import kindling.optim.Optimizer;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * End-to-end training speed and memory of one model: whole training steps (forward, loss, backward,
 * SGD step) timed one by one with the wall clock, as a user sees them. Not JMH: a step takes 10 ms to
 * seconds, long enough for {@code System.nanoTime}, and the memory figures need one long-lived JVM.
 * <pre>
 *   java --add-modules jdk.incubator.vector -Xmx512m -cp benchmarks.jar kindling.benchmarks.TrainingThroughput \
 *        MODEL THREADS WARMUP_STEPS TIMED_STEPS [HEAP_CHECK_STEPS...]
 *   (the warm-up runs WARMUP_STEPS steps and at least {@link #WARMUP_NANOS}, 20 s, of them)
 *   MODEL: lenet (d2l LeNet, 1×28×28, batch 256) | resnet-small (ResNet.small(), 1×28×28, batch 128)
 *          | resnet18 (d2l ResNet-18, 1×96×96, batch 128)
 *
 *   step time     = median of the TIMED_STEPS step times, with their quartiles, minimum, maximum and
 *                   mean (a machine shared with other work slows single steps: the median is the
 *                   step a quiet machine gives, the spread says how noisy the run was)
 *   images/s      = batch / median step time (images_per_s_mean: batch · TIMED_STEPS / their sum)
 *   GC share      = Δ(Σ GarbageCollectorMXBean.getCollectionTime()) / sum of the timed steps' times
 *   peak heap     = Σ over heap pools of the peak used bytes during the timed steps (garbage included:
 *                   how full the collector let the heap get, bounded by -Xmx)
 *   heap after GC = used heap right after System.gc() at each HEAP_CHECK step (the live data; if it
 *                   grows between step 100 and step 1,000, something leaks)
 *   step_ms       = every timed step, in order, so that {@code report.py} can pool the steps of
 *                   several JVMs run with the same model and thread count
 * </pre>
 * The data are synthetic: four batches of N(0, 1) images and uniform labels, cycled, so no dataset
 * is read and the time is the model's alone; {@code benchmarks/torch_bench.py} does the same in
 * PyTorch, with the same statistics. Prints one line of JSON for {@code benchmarks/report.py}, with
 * the JDK's version and the vector width it chose for {@code FloatVector.SPECIES_PREFERRED}.
 */
public final class TrainingThroughput {
    private TrainingThroughput() {
    }

    /**
     * The warm-up lasts at least this long, however few steps that is. HotSpot compiles a method with
     * C2, its optimising compiler, only after some thousands of calls, and a layer's methods are called
     * a few times a step: a two-thread ResNet.small() step was still being compiled after 50 steps, and
     * while the compiler thread took one of the two cores its steps ran up to twice as long as after.
     * A training run of an epoch or more spends nearly all its steps in the steady state, which is the
     * figure to compare with PyTorch; {@code torch_bench.py} warms up as long, so both sides get the
     * same treatment (docs/performance.md has the figures).
     */
    static final long WARMUP_NANOS = 20_000_000_000L;

    public static void main(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: TrainingThroughput MODEL THREADS WARMUP_STEPS TIMED_STEPS "
                    + "[HEAP_CHECK_STEPS...], got " + args.length + " arguments");
        }
        String model = args[0];
        int threads = Integer.parseInt(args[1]);
        int warmupSteps = Integer.parseInt(args[2]);
        int timedSteps = Integer.parseInt(args[3]);
        if (timedSteps < 1) {
            throw new IllegalArgumentException("TIMED_STEPS must be at least 1, got " + timedSteps);
        }
        List<Integer> heapChecks = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            heapChecks.add(Integer.parseInt(args[i]));
        }
        Threads.set(threads);
        Generator.manualSeed(0);
        Module net = switch (model) {
            case "lenet" -> LeNet.d2l();
            case "resnet-small" -> ResNet.small();
            case "resnet18" -> ResNet.d2l();
            default -> throw new IllegalArgumentException("unknown model " + model
                    + "; expected lenet, resnet-small or resnet18");
        };
        int batch = model.equals("lenet") ? 256 : 128;
        int size = model.equals("resnet18") ? 96 : 28;
        Tensor[] images = new Tensor[4];
        Tensor[] labels = new Tensor[4];
        for (int i = 0; i < images.length; i++) {
            images[i] = Tensor.randn(batch, 1, size, size);
            labels[i] = Tensor.randint(0, 10, batch);
        }
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Optimizer optimizer = SGD.builder(net.parameters()).lr(0.05f).build();
        net.train();

        // At least WARMUP_STEPS steps and WARMUP_NANOS of them, whichever ends later: see WARMUP_NANOS.
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        int warmedUp = 0;
        for (; warmedUp < warmupSteps || System.nanoTime() < warmupEnd; warmedUp++) {
            trainStep(net, loss, optimizer, images[warmedUp % 4], labels[warmedUp % 4]);
        }
        List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                heapPools.add(pool);
            }
        }
        long gcBefore = gcMillis();
        double[] stepMillis = new double[timedSteps];
        float lastLoss = Float.NaN;
        StringBuilder heapAfterGc = new StringBuilder();
        for (int step = 1; step <= timedSteps; step++) {
            long start = System.nanoTime();
            lastLoss = trainStep(net, loss, optimizer, images[step % 4], labels[step % 4]);
            stepMillis[step - 1] = (System.nanoTime() - start) / 1e6;
            if (heapChecks.contains(step)) {                    // outside the step's time
                long gcAtPause = gcMillis();
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                heapAfterGc.append(heapAfterGc.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "\"%d\": %.1f", step, used / 1048576.0));
                gcBefore += gcMillis() - gcAtPause;             // the forced collection is not training's
            }
        }
        double totalMillis = 0;
        for (double ms : stepMillis) {
            totalMillis += ms;
        }
        double gcShare = (gcMillis() - gcBefore) / totalMillis;
        double[] sorted = stepMillis.clone();
        Arrays.sort(sorted);
        double median = quantile(sorted, 0.5);
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"threads\": %d, \"batch\": %d, \"size\": %d, "
                        + "\"steps\": %d, \"warmup\": %d, \"ms_per_step\": %.2f, \"ms_min\": %.2f, \"ms_q1\": %.2f, "
                        + "\"ms_q3\": %.2f, \"ms_max\": %.2f, \"ms_mean\": %.2f, \"images_per_s\": %.1f, "
                        + "\"images_per_s_mean\": %.1f, \"gc_share\": %.4f, \"peak_heap_mb\": %.1f, "
                        + "\"max_heap_mb\": %.1f, \"heap_after_gc_mb\": {%s}, \"last_loss\": %.4f, "
                        + "\"jdk\": \"%s\", \"lanes\": %d, \"bits\": %d, \"step_ms\": [%s]}%n",
                model, threads, batch, size, timedSteps, warmedUp, median, sorted[0], quantile(sorted, 0.25),
                quantile(sorted, 0.75), sorted[sorted.length - 1], totalMillis / timedSteps, batch * 1000 / median,
                batch * timedSteps * 1000 / totalMillis, gcShare, peak / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, heapAfterGc, lastLoss, Runtime.version(),
                FloatVector.SPECIES_PREFERRED.length(), FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                Arrays.stream(stepMillis).mapToObj(ms -> String.format(Locale.ROOT, "%.3f", ms))
                        .collect(Collectors.joining(", ")));
    }

    /**
     * The q-quantile of sorted values, interpolated linearly between the two nearest ranks (numpy's
     * default, and {@code torch_bench.py}'s): position q · (n − 1).
     */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** One SGD step on one batch; returns the batch's loss. */
    static float trainStep(Module net, CrossEntropyLoss loss, Optimizer optimizer, Tensor images, Tensor labels) {
        Tensor batchLoss = loss.forward(net.forward(images), labels);
        optimizer.zeroGrad();
        batchLoss.backward();
        optimizer.step();
        return batchLoss.item();
    }

    /** Total milliseconds every garbage collector of this JVM has spent collecting so far. */
    static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
