package kindling.kernels;

/**
 * The one switch for how many threads every Kindling kernel uses, and the parallel loop they share.
 *
 * <p>The default is the system property {@code -Dkindling.threads=N} if set, otherwise
 * {@link Runtime#availableProcessors()}. {@code Threads.set(1)} runs every kernel on the calling
 * thread, so a student can step through it in a debugger without other threads getting in the way;
 * so does {@link KernelMode#NAIVE kernel mode naive}, whatever the thread count.
 *
 * <p>Kernels split their work into independent tasks (for GEMM: blocks of C) and hand them to
 * {@link #parallelFor}. A task must never depend on how many threads there are, so results are
 * bit-identical for every thread count.
 *
 * <p>A parallel loop inside a task of another runs on the calling thread: the outer loop already
 * keeps every thread busy with coarser work (a convolution hands out chunks of images, and the GEMM of
 * each chunk then runs on its own thread instead of splitting into tiles again).
 *
 * <p>The work goes to daemon threads named {@code kindling-worker-N} that live as long as the program
 * and never keep the JVM alive ({@link WorkerPool}: why they spin for a moment after each loop before they
 * sleep, so that the many short loops of a training step find them awake). The calling thread always
 * takes tasks too.
 */
public final class Threads {

    /** The work a kernel does for one task index; a named type reads better in a stack trace than a lambda. */
    public interface Task {
        /** Runs task number {@code taskIndex}, 0 ≤ taskIndex &lt; taskCount. */
        void run(int taskIndex);
    }

    /** The work a kernel does for one block [from, to) of an elementwise loop. */
    public interface RangeTask {
        /** Runs the loop for indices from ≤ i &lt; to. */
        void run(int from, int to);
    }

    private static volatile int threadCount = defaultThreadCount();

    private Threads() {
    }

    /** The number of threads kernels use (≥ 1). */
    public static int get() {
        return threadCount;
    }

    /**
     * Sets the number of threads every kernel uses.
     *
     * @param n at least 1; 1 runs everything on the calling thread
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Threads.set: thread count must be >= 1 but got " + n);
        }
        threadCount = n;
    }

    /**
     * Runs {@code task.run(t)} for every t in 0..taskCount−1 on up to {@link #get()} threads,
     * the calling thread included, and returns when all are done.
     * Tasks are handed out in increasing order to whichever thread is free. Called from inside a task
     * of another parallelFor (or while another thread's loop holds the workers), it runs every task on
     * the calling thread. The first exception thrown by a task stops the handing out of tasks and is
     * rethrown here once every thread has left the loop; the workers stay ready for the next call.
     */
    public static void parallelFor(int taskCount, Task task) {
        int workerCount = Math.min(threadCount, taskCount);
        if (workerCount <= 1 || Kernels.naive() || !WorkerPool.SHARED.tryRun(taskCount, task, workerCount - 1)) {
            // One thread, kernel mode naive, or a loop nested in a task: a plain loop, easy to step through.
            for (int t = 0; t < taskCount; t++) {
                task.run(t);
            }
        }
    }

    /**
     * Elements per block of {@link #parallelRange}, and the size below which an elementwise pass is
     * not worth splitting: handing a block to another thread costs more than a smaller one saves.
     */
    public static final int ELEMENTWISE_BLOCK = 1 << 15;

    /**
     * The length below which a cheap pass ({@link #parallelRange(int, int, RangeTask)}) runs all its
     * blocks on the calling thread. A cheap pass (a ReLU, an add, an axpy) does a load, an operation
     * and a store per element; its arrays up to this length (1 MiB of floats each) still sit in one
     * core's cache, which the calling thread has just filled (the JVM zeroes a new output array there),
     * and one core gets through them in a few tens of microseconds. Waking a parked worker and moving
     * half the lines to its cache costs about as much, so a second thread made these passes slower, not
     * faster (the activations of a small ResNet on Fashion-MNIST are mostly this size). Longer passes
     * run from memory, where two cores move more bytes than one, and are split. A pass that computes an
     * exponential or a sine per element is worth splitting much sooner and uses the two-argument form.
     */
    public static final int CHEAP_PASS_MIN = 1 << 18;

    /**
     * Runs an elementwise loop over 0..length−1 in blocks of {@link #ELEMENTWISE_BLOCK} indices, each
     * thread taking one run of consecutive blocks (of B blocks and T threads, run r is blocks ⌊r·B/T⌋
     * up to ⌊(r+1)·B/T⌋), as OpenMP's static schedule does. Each index is in exactly one block,
     * whatever the thread count, so an elementwise result is the same for any number of threads.
     *
     * <p>Why runs and not blocks dealt one at a time: a training step makes pass after pass over the
     * same arrays (a ReLU over a sum, an optimizer over the parameters), and with runs each thread
     * works on the same part of an array in every pass, which its core's caches still hold from the
     * last one. Dealt one at a time, the blocks went to whichever thread was free, so about half of
     * each pass read lines the other core had written: an in-place ReLU over a 25.7 MB array took
     * more than twice as long on two threads (docs/kernels.md). A run is still a task of
     * {@link #parallelFor}, so a thread that is late leaves its run to the others.
     */
    public static void parallelRange(int length, RangeTask task) {
        parallelRange(length, 0, task);
    }

    /**
     * {@link #parallelRange(int, RangeTask)}, but with the same blocks run in order on the calling thread
     * while length &lt; {@code minParallel}: {@link #CHEAP_PASS_MIN} for a pass that is a load, an
     * operation and a store per element. The blocks do not depend on the threads either way.
     */
    public static void parallelRange(int length, int minParallel, RangeTask task) {
        int blocks = (int) (((long) length + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK);   // arrays up to 2³¹ − 1
        // Below minParallel one run of every block, which parallelFor runs on the calling thread.
        int runs = length < minParallel ? 1 : Math.min(threadCount, blocks);
        // Each block's task.run straight from the run's loop, with no lambda per block between them: the
        // JIT counts every call between the method it compiles and a kernel's vector instructions, and
        // fewer here leave more for the Vector API's own (docs/kernels.md, on the inlining depth).
        parallelFor(runs, r -> {
            int endBlock = (int) ((long) (r + 1) * blocks / runs);
            for (int t = (int) ((long) r * blocks / runs); t < endBlock; t++) {
                int from = t * ELEMENTWISE_BLOCK;                 // below length: no overflow
                task.run(from, from + Math.min(ELEMENTWISE_BLOCK, length - from));
            }
        });
    }

    /**
     * Elements of work per block of {@link #parallelForItems}: enough that handing a block to a thread
     * (a shared counter incremented, the block's first cache lines fetched) is small beside it, and
     * few enough that a loop over some ten thousand elements still has blocks for both threads.
     */
    public static final int ITEM_BLOCK = 1 << 13;

    /**
     * Runs {@code task.run(i)} for every item 0 ≤ i &lt; count, each item about {@code elementsPerItem}
     * elements of work, as {@link #parallelFor} but with consecutive items grouped into blocks of about
     * {@link #ITEM_BLOCK} elements, each block run in increasing order of its items by one thread.
     * Pooling's (N·C) planes are such items: a global average pool over 2 × 2 planes has 16,384 of them,
     * four elements each, and handing each out on its own costs the threads more than the work.
     * Below {@link #ELEMENTWISE_BLOCK} elements in all, every block runs on the calling thread.
     * The items must be independent of each other (each writes its own part of the output): then how
     * they are grouped, and which thread runs a block, changes no result.
     */
    public static void parallelForItems(int count, int elementsPerItem, Task task) {
        int perItem = Math.max(1, elementsPerItem);
        int perBlock = Math.max(1, Math.min(count, ITEM_BLOCK / perItem));
        int blocks = (count + perBlock - 1) / perBlock;
        Task block = b -> {
            int end = Math.min(count, (b + 1) * perBlock);
            for (int i = b * perBlock; i < end; i++) {
                task.run(i);
            }
        };
        if ((long) count * perItem < ELEMENTWISE_BLOCK) {
            for (int b = 0; b < blocks; b++) {
                block.run(b);
            }
            return;
        }
        parallelFor(blocks, block);
    }

    private static int defaultThreadCount() {
        String property = System.getProperty("kindling.threads");
        if (property == null || property.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(property.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("-Dkindling.threads must be an integer >= 1 but got '" + property + "'");
    }
}
