package kindling.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import kindling.kernels.Threads;

/**
 * What one parallel region costs: the time of a {@code Threads.parallelFor} call whose tasks do (almost)
 * nothing, so that all that is left is handing the tasks to the workers and waiting for them. A training
 * step runs hundreds of regions, one per kernel call, with serial work between them (the JVM zeroing a new
 * array, autograd's bookkeeping); the gap decides whether the workers are still awake when the next region
 * starts, so each region here follows a serial gap of a given length.
 * <pre>
 *   java -cp benchmarks.jar kindling.benchmarks.ParallelRegionCost THREADS CALLS [GAP_MICROS...]
 *
 *   empty  = parallelFor(THREADS, t -&gt; {})                     (the hand-over alone)
 *   tiny   = parallelFor(THREADS, t -&gt; sum 4,096 floats)          (about a microsecond of work a task)
 *   gap    = serial work on the calling thread before each call, in µs (default 0, 20, 200, 2000)
 * </pre>
 * Prints one line per (work, gap): the median call time in µs with its 10th and 90th percentiles, minimum
 * and maximum, over CALLS calls after as many warm-up calls.
 */
public final class ParallelRegionCost {
    private ParallelRegionCost() {
    }

    private static final float[] DATA = new float[4096 * 64];
    private static final float[] SUMS = new float[64];
    private static volatile double sink;

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        long[] gaps = args.length > 2
                ? Arrays.stream(args, 2, args.length).mapToLong(Long::parseLong).toArray()
                : new long[] {0, 20, 200, 2000};
        Arrays.fill(DATA, 1f);
        Threads.set(threads);
        Threads.Task empty = t -> { };
        Threads.Task tiny = t -> {
            float s = 0;
            for (int i = t * 4096; i < (t + 1) * 4096; i++) {
                s += DATA[i];
            }
            SUMS[t] = s;
        };
        for (String work : new String[] {"empty", "tiny"}) {
            Threads.Task task = work.equals("empty") ? empty : tiny;
            for (long gapMicros : gaps) {
                measure(task, threads, calls, gapMicros * 1000);             // warm-up
                double[] micros = measure(task, threads, calls, gapMicros * 1000);
                Arrays.sort(micros);
                System.out.printf(Locale.ROOT, "threads %d  %-5s gap %5d µs: median %7.2f µs  p10 %7.2f  p90 %7.2f"
                                + "  min %7.2f  max %8.1f%n", threads, work, gapMicros, q(micros, 0.5), q(micros, 0.1),
                        q(micros, 0.9), micros[0], micros[micros.length - 1]);
            }
        }
    }

    private static double[] measure(Threads.Task task, int tasks, int calls, long gapNanos) {
        double[] micros = new double[calls];
        for (int c = 0; c < calls; c++) {
            busyWait(gapNanos);
            long start = System.nanoTime();
            Threads.parallelFor(tasks, task);
            micros[c] = (System.nanoTime() - start) / 1e3;
        }
        return micros;
    }

    /** Serial work on the calling thread (not a sleep: a step's serial parts keep the caller busy). */
    private static void busyWait(long nanos) {
        long end = System.nanoTime() + nanos;
        double x = 0;
        while (System.nanoTime() < end) {
            x += 1;
        }
        sink = x;
    }

    private static double q(double[] sorted, double q) {
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
