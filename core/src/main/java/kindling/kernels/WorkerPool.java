package kindling.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind {@link Threads#parallelFor}: persistent workers that stay awake for a moment after
 * each parallel region, so that the next region of a training step finds them ready.
 *
 * <p><b>Why not an ordinary thread pool.</b> A training step is a few hundred short parallel regions
 * (one per kernel call: a convolution, a pooling, a batch norm, an add) with serial work between them
 * (autograd's bookkeeping, the JVM zeroing each new array). A pool whose idle threads sleep
 * ({@code Executors.newCachedThreadPool}) must wake one for every region: the operating system takes
 * tens of microseconds to schedule a parked thread again, plus a queue node, a latch and a few atomics
 * allocated per region. On a region that itself takes 50 µs, that is most of what a second thread could
 * save, so kernels kept small work on one thread.
 *
 * <p><b>What this pool does instead.</b>
 * <ol>
 *   <li><b>Spin, then park.</b> A worker that finishes its share does not sleep at once: for
 *       {@link #SPIN_NANOS} it keeps reading its mailbox in a loop ({@link Thread#onSpinWait()} tells the
 *       CPU that this is a wait loop, so it saves power and leaves the core's other hyperthread alone).
 *       A region that starts within that time is picked up in well under a microsecond, with no system
 *       call. Only after that does it park ({@link LockSupport#park}), so an idle program burns no CPU:
 *       the price of spinning is at most {@code SPIN_NANOS} of one core after each region, time that
 *       another program on a shared machine could have used. With more threads than cores a spinning
 *       worker would take the core from the thread it waits for, so then the workers park at once.</li>
 *   <li><b>The caller works too.</b> The calling thread offers the region to the workers and then takes
 *       tasks itself, from the same counter. If a worker was parked and wakes late, the caller has
 *       meanwhile done its tasks; when the caller runs out of tasks it withdraws every offer not yet
 *       taken up, so it never waits for a worker that has nothing left to do.</li>
 *   <li><b>Nothing allocated per region.</b> The region (task, task count, next task, first failure) lives
 *       in this object's fields, written by the caller before it posts the offers; each worker's mailbox
 *       is one {@link AtomicInteger} (IDLE, OFFERED, RUNNING).</li>
 *   <li><b>One region at a time.</b> The caller holds the pool for its region. A call that finds it held,
 *       a loop nested inside a task or another program thread's kernel, runs all its tasks on its own
 *       thread: no deadlock, and the outer loop keeps the workers busy anyway.</li>
 * </ol>
 *
 * <p>Which thread runs which task depends on timing, but what each task computes does not: kernels cut
 * their work into the same tasks at any thread count, and each task writes its own part of the output,
 * so results are bit-identical however the tasks are shared out.
 *
 * <p>A task that throws stops the handing out of further tasks; the first exception reaches the caller
 * once every worker has left the region, and the workers go back to waiting, ready for the next region.
 */
final class WorkerPool {

    /**
     * How long a worker keeps polling for the next region before it parks, and how long a caller polls
     * for its workers to finish before it parks: long enough to bridge the serial gaps between the
     * kernels of a training step, short enough that an idle program stops using the CPU at once. Most
     * gaps are the JVM zeroing a new output array on the calling thread before the next kernel, a few
     * hundred microseconds for a large activation: a worker that parked during such a gap must be woken
     * for the next region, and the caller runs its tasks alone meanwhile.
     */
    static final long SPIN_NANOS = 300_000;

    /** The one pool every kernel shares. */
    static final WorkerPool SHARED = new WorkerPool();

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final int IDLE = 0;
    private static final int OFFERED = 1;
    private static final int RUNNING = 2;

    /** Held by the thread whose region the pool is running. */
    private final AtomicBoolean inUse = new AtomicBoolean();
    private Worker[] workers = new Worker[0];

    // The current region: written by its caller before it offers the region (a volatile write to each
    // mailbox), read by a worker after it has taken the offer (a volatile read of its mailbox).
    private Threads.Task task;
    private int taskCount;
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The region's caller while it is parked or about to park, waiting for a worker; else null. */
    private volatile Thread parkedCaller;

    private WorkerPool() {
    }

    /**
     * Runs tasks 0..taskCount−1 on the calling thread and up to {@code helpers} workers, and returns
     * true when all are done; returns false at once, having run nothing, if the pool is running another
     * region (the caller then runs the tasks itself).
     */
    boolean tryRun(int taskCount, Threads.Task task, int helpers) {
        if (inUse.get() || !inUse.compareAndSet(false, true)) {
            return false;
        }
        try {
            Worker[] crew = workers(helpers);
            this.task = task;
            this.taskCount = taskCount;
            nextTask.set(0);
            for (int w = 0; w < helpers; w++) {
                crew[w].offer();
            }
            drain();                                       // the caller's own share
            for (int w = 0; w < helpers; w++) {
                crew[w].withdrawOrAwait();
            }
            this.task = null;                              // let the task's arrays be collected
            rethrow(failure.getAndSet(null));
            return true;
        } finally {
            inUse.set(false);
        }
    }

    /** Takes tasks from the shared counter until there are none left or one has failed. */
    private void drain() {
        int t;
        while (failure.get() == null && (t = nextTask.getAndIncrement()) < taskCount) {
            try {
                task.run(t);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure == null) {
            return;
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        throw new RuntimeException(failure);               // a checked exception thrown through a lambda
    }

    /** The first {@code count} workers, started the first time a region needs them. */
    private Worker[] workers(int count) {
        if (workers.length < count) {
            Worker[] grown = Arrays.copyOf(workers, count);
            for (int w = workers.length; w < count; w++) {
                grown[w] = new Worker(w + 1);
                grown[w].start();
            }
            workers = grown;
        }
        return workers;
    }

    /**
     * True when spinning cannot take a core from the thread being waited for: at most one thread of a
     * region per core. Kernels that wait for another task of the same region ask this too.
     */
    static boolean spinning() {
        return Threads.get() <= CORES;
    }

    /**
     * One worker thread and its mailbox. The mailbox moves IDLE → OFFERED (the caller posts the region)
     * → RUNNING (the worker takes it) → IDLE (the worker is done), or OFFERED → IDLE (the caller withdraws
     * an offer the worker has not taken yet).
     */
    private final class Worker extends Thread {
        private final AtomicInteger mailbox = new AtomicInteger(IDLE);
        /** True while this worker is parked or about to park: the caller must then unpark it. */
        private volatile boolean parked;

        Worker(int number) {
            super("kindling-worker-" + number);
            setDaemon(true);                               // never keeps the JVM alive
        }

        /** Called by the region's caller. */
        void offer() {
            mailbox.set(OFFERED);
            if (parked) {                                  // read after the write above: see awaitOffer
                LockSupport.unpark(this);
            }
        }

        /** Called by the region's caller once it has run out of tasks. */
        void withdrawOrAwait() {
            if (mailbox.compareAndSet(OFFERED, IDLE)) {
                return;                                    // the worker never started: nothing to wait for
            }
            long deadline = System.nanoTime() + SPIN_NANOS;
            boolean spin = spinning();
            boolean interrupted = false;
            while (mailbox.get() != IDLE) {
                if (spin && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parkedCaller = Thread.currentThread();
                if (mailbox.get() != IDLE) {
                    LockSupport.park(this);
                }
                parkedCaller = null;
                // The worker still writes into the caller's arrays: wait for it, then restore the flag
                // (an interrupted thread's park returns at once, so clear it meanwhile).
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            while (true) {
                awaitOffer();
                if (mailbox.compareAndSet(OFFERED, RUNNING)) {
                    try {
                        drain();
                    } finally {                            // even if drain fails, never leave the caller waiting
                        Thread.interrupted();              // a task's interrupt flag must not reach the next task
                        mailbox.set(IDLE);
                    }
                    Thread waiting = parkedCaller;         // read after the write above: see withdrawOrAwait
                    if (waiting != null) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        }

        /**
         * Spins for up to {@link #SPIN_NANOS}, then parks, until a region is offered. Setting
         * {@code parked} before the last look at the mailbox, while the caller writes the mailbox before
         * it looks at {@code parked}, means that one of the two always sees the other: a worker never
         * sleeps through an offer.
         */
        private void awaitOffer() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            boolean spin = spinning();
            while (mailbox.get() != OFFERED) {
                if (spin && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (mailbox.get() != OFFERED) {
                    LockSupport.park(this);
                }
                parked = false;
                // park returns at once while the interrupt flag is set (someone interrupted this worker):
                // clear it, or the worker would spin here for good. A worker has no use for it.
                Thread.interrupted();
            }
        }
    }
}
