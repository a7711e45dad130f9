package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    private final int threadsBefore = Threads.get();
    private final KernelMode modeBefore = Kernels.requestedMode();

    @AfterEach
    void restoreThreadsAndMode() {
        Threads.set(threadsBefore);
        Kernels.setMode(modeBefore);
    }

    /** Kernel mode naive runs every loop on the calling thread: the tests of the workers need another. */
    private static void useWorkers(int threads) {
        Kernels.setMode(KernelMode.PLAIN);
        Threads.set(threads);
    }

    @Test
    void setRejectsZeroNamingTheValue() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
        assertTrue(error.getMessage().contains("0"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Threads.set(-3));
    }

    @Test
    void defaultIsAtLeastOne() {
        assertTrue(Threads.get() >= 1);
    }

    @Test
    void parallelForRunsEveryTaskExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            Threads.set(threads);
            AtomicIntegerArray runs = new AtomicIntegerArray(37);
            Threads.parallelFor(37, runs::incrementAndGet);
            for (int t = 0; t < 37; t++) {
                assertEquals(1, runs.get(t), "task " + t + " with " + threads + " threads");
            }
        }
    }

    @Test
    void parallelRangeCoversEveryIndexOnceInTheSameBlocksAtAnyThreadCount() {
        int block = Threads.ELEMENTWISE_BLOCK;
        for (int length : new int[] {0, 5, 2 * block + 13, Threads.CHEAP_PASS_MIN - 1,
                Threads.CHEAP_PASS_MIN + 13}) {
            for (int threads = 1; threads <= 3; threads++) {
                Threads.set(threads);
                AtomicIntegerArray runs = new AtomicIntegerArray(length);
                int finalLength = length;
                Threads.parallelRange(length, Threads.CHEAP_PASS_MIN, (from, to) -> {
                    assertEquals(0, from % block, "a block starts at a multiple of the block size");
                    assertEquals(Math.min(finalLength, from + block), to, "a block is whole unless last");
                    for (int i = from; i < to; i++) {
                        runs.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < length; i++) {
                    assertEquals(1, runs.get(i), "index " + i + " of " + length + " with " + threads + " threads");
                }
            }
        }
    }

    /**
     * Each thread gets one run of consecutive blocks (run r of T is blocks ⌊r·B/T⌋ to ⌊(r+1)·B/T⌋), so
     * that pass after pass over an array each thread works on the same part of it: every block of a run
     * is run by the same thread, in increasing order.
     */
    @Test
    void parallelRangeRunsEachRunOfConsecutiveBlocksOnOneThreadInOrder() {
        int block = Threads.ELEMENTWISE_BLOCK;
        int length = 11 * block + 7;
        int blocks = 12;
        for (int threads = 2; threads <= 3; threads++) {
            useWorkers(threads);
            Thread[] runner = new Thread[blocks];
            long[] order = new long[blocks];
            AtomicLong clock = new AtomicLong();
            Threads.parallelRange(length, (from, to) -> {
                runner[from / block] = Thread.currentThread();
                order[from / block] = clock.incrementAndGet();
            });
            for (int r = 0; r < threads; r++) {
                for (int b = r * blocks / threads + 1; b < (r + 1) * blocks / threads; b++) {
                    assertSame(runner[b - 1], runner[b], "block " + b + " of run " + r + " with " + threads + " threads");
                    assertTrue(order[b - 1] < order[b], "block " + b + " after block " + (b - 1));
                }
            }
        }
    }

    /**
     * The longest array Java has (2³¹ − 1 elements) is cut into blocks that cover it exactly once, on
     * one thread and on two, through both paths (split, and all on the calling thread): the block
     * arithmetic must not overflow an int near the end. No array is made; the blocks are only counted.
     */
    @Test
    void parallelRangeCoversTheLongestArrayExactlyOnce() {
        int length = Integer.MAX_VALUE;
        for (int threads = 1; threads <= 2; threads++) {
            useWorkers(threads);
            for (int minParallel : new int[] {0, Integer.MAX_VALUE}) {
                AtomicLong covered = new AtomicLong();
                AtomicLong bad = new AtomicLong();
                AtomicLong lastTo = new AtomicLong();
                Threads.parallelRange(length, minParallel, (from, to) -> {
                    if (from < 0 || to <= from || to - from > Threads.ELEMENTWISE_BLOCK || from % Threads.ELEMENTWISE_BLOCK != 0) {
                        bad.incrementAndGet();
                    }
                    covered.addAndGet(to - from);
                    lastTo.accumulateAndGet(to, Math::max);
                });
                String where = threads + " threads, minParallel " + minParallel;
                assertEquals(0, bad.get(), where);
                assertEquals(length, covered.get(), where);
                assertEquals(length, lastTo.get(), where);
            }
        }
    }

    /**
     * Items grouped into blocks: each item runs once, a block's items in increasing order on one thread
     * (what a task running item i sees before it: item i − 1 of its block, or nothing at a block's start).
     */
    @Test
    void parallelForItemsRunsEveryItemOnceEachBlockInOrderOnOneThread() {
        for (int[] shape : new int[][] {{0, 4}, {7, 1}, {16_384, 4}, {2048, 784}, {5, Threads.ITEM_BLOCK * 3},
                {Threads.ITEM_BLOCK + 3, 1}}) {
            int count = shape[0];
            int perItem = shape[1];
            int perBlock = Math.max(1, Math.min(count, Threads.ITEM_BLOCK / perItem));
            for (int threads = 1; threads <= 3; threads++) {
                useWorkers(threads);
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                Thread[] runner = new Thread[count];
                Threads.parallelForItems(count, perItem, i -> {
                    runs.incrementAndGet(i);
                    runner[i] = Thread.currentThread();
                    if (i % perBlock != 0) {
                        assertEquals(1, runs.get(i - 1), "item " + i + " after the one before it in its block");
                    }
                });
                for (int i = 0; i < count; i++) {
                    String what = "item " + i + " of " + count + " × " + perItem + " with " + threads + " threads";
                    assertEquals(1, runs.get(i), what);
                    if (i % perBlock != 0) {
                        assertEquals(runner[i - 1], runner[i], what + ": its block's thread");
                    }
                }
            }
        }
    }

    @Test
    void fewItemElementsStayOnTheCallingThread() {
        useWorkers(2);
        Thread caller = Thread.currentThread();
        Threads.parallelForItems(Threads.ELEMENTWISE_BLOCK / 4 - 1, 4,
                i -> assertEquals(caller, Thread.currentThread(), "item " + i));
    }

    @Test
    void aShortCheapPassStaysOnTheCallingThread() {
        useWorkers(2);
        Thread caller = Thread.currentThread();
        Threads.parallelRange(Threads.CHEAP_PASS_MIN - 1, Threads.CHEAP_PASS_MIN,
                (from, to) -> assertEquals(caller, Thread.currentThread(), "block at " + from));
    }

    @Test
    void parallelForRethrowsATaskFailure() {
        Threads.set(2);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Threads.parallelFor(10, t -> {
            if (t == 7) {
                throw new IllegalStateException("task 7 failed");
            }
        }));
        assertEquals("task 7 failed", error.getMessage());
    }

    @Test
    void aLoopInsideATaskRunsOnTheThreadOfThatTask() {
        Threads.set(2);
        AtomicIntegerArray innerOnOtherThread = new AtomicIntegerArray(8);
        AtomicIntegerArray innerRuns = new AtomicIntegerArray(8 * 5);
        Threads.parallelFor(8, outer -> {
            Thread outerThread = Thread.currentThread();
            Threads.parallelFor(5, inner -> {
                innerRuns.incrementAndGet(outer * 5 + inner);
                if (Thread.currentThread() != outerThread) {
                    innerOnOtherThread.incrementAndGet(outer);
                }
            });
        });
        for (int t = 0; t < 8 * 5; t++) {
            assertEquals(1, innerRuns.get(t), "inner task " + t);
        }
        for (int outer = 0; outer < 8; outer++) {
            assertEquals(0, innerOnOtherThread.get(outer), "outer task " + outer + " handed inner tasks away");
        }
    }

    @Test
    void aFailureOnAWorkerReachesTheCallerAndTheWorkersStayUsable() throws InterruptedException {
        useWorkers(2);
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 3; round++) {
            // Both tasks wait until both have started, so one of them runs on a worker; that one throws.
            CountDownLatch bothStarted = new CountDownLatch(2);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> Threads.parallelFor(2, t -> {
                bothStarted.countDown();
                try {
                    assertTrue(bothStarted.await(10, TimeUnit.SECONDS), "no worker took the second task");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (Thread.currentThread() != caller) {
                    throw new IllegalStateException("task " + t + " failed on a worker");
                }
            }));
            assertTrue(error.getMessage().endsWith("failed on a worker"), error.getMessage());
            // The pool still runs a whole loop on both threads afterwards.
            CountDownLatch bothRunning = new CountDownLatch(2);
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            Threads.parallelFor(2, t -> {
                runs.incrementAndGet(t);
                bothRunning.countDown();
                try {
                    assertTrue(bothRunning.await(10, TimeUnit.SECONDS), "no worker took a task after the failure");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, runs.get(0), "task 0 after the failure");
            assertEquals(1, runs.get(1), "task 1 after the failure");
        }
    }

    @Test
    void aFailureStopsHandingOutTasks() {
        Threads.set(1);
        AtomicIntegerArray runs = new AtomicIntegerArray(100);
        assertThrows(ArithmeticException.class, () -> Threads.parallelFor(100, t -> {
            runs.incrementAndGet(t);
            if (t == 3) {
                throw new ArithmeticException("task 3");
            }
        }));
        assertEquals(0, runs.get(4), "with one thread no task runs after the failing one");
        useWorkers(2);
        assertThrows(ArithmeticException.class, () -> Threads.parallelFor(100_000, t -> {
            if (t == 0) {
                throw new ArithmeticException("task 0");
            }
        }));
    }

    @Test
    void loopsFromSeveralProgramThreadsAtOnceEachRunEveryTaskOnce() throws InterruptedException {
        useWorkers(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Thread callerThread = new Thread(() -> {
                for (int round = 0; round < 2000; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(7);
                    Threads.parallelFor(7, runs::incrementAndGet);
                    for (int t = 0; t < 7; t++) {
                        if (runs.get(t) != 1) {
                            failure.compareAndSet(null, new AssertionError("round " + round + ": task " + t
                                    + " ran " + runs.get(t) + " times"));
                        }
                    }
                }
            });
            callers.add(callerThread);
            callerThread.start();
        }
        for (Thread callerThread : callers) {
            callerThread.join(60_000);
            assertTrue(!callerThread.isAlive(), "a caller is still running after 60 s");
        }
        assertEquals(null, failure.get());
    }

    @Test
    void workersAreDaemonsAndSleepWhenNoLoopRuns() throws InterruptedException {
        useWorkers(2);                      // no more threads than cores here, so the workers spin first
        for (int i = 0; i < 100; i++) {
            Threads.parallelFor(2, t -> { });
        }
        assertWorkersSleepSoon();
    }

    @Test
    void aTaskThatInterruptsItsWorkerLeavesTheNextTaskAndTheSleepAlone() throws InterruptedException {
        // The flag must not reach the worker's next task, nor keep park from sleeping (it returns at once
        // while the flag is set, so a worker that kept it would spin for good).
        useWorkers(2);
        Thread caller = Thread.currentThread();
        for (int i = 0; i < 20; i++) {
            CountDownLatch bothStarted = new CountDownLatch(2);
            Threads.parallelFor(2, t -> {
                bothStarted.countDown();                // so that a worker, not only the caller, runs one
                try {
                    bothStarted.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (Thread.currentThread() != caller) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertWorkersSleepSoon();
    }

    /** Every kindling-worker is a daemon and is parked within 10 s (spinning itself lasts well under a millisecond). */
    private static void assertWorkersSleepSoon() throws InterruptedException {
        // Allow a loaded machine seconds to schedule the workers to park.
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Thread> awake;
        do {
            Thread.sleep(50);
            awake = new ArrayList<>();
            int workers = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("kindling-worker-")) {
                    workers++;
                    assertTrue(thread.isDaemon(), thread.getName() + " is not a daemon thread");
                    if (thread.getState() != Thread.State.WAITING) {
                        awake.add(thread);
                    }
                }
            }
            assertTrue(workers > 0, "no kindling-worker thread found");
        } while (!awake.isEmpty() && System.nanoTime() < deadline);
        assertTrue(awake.isEmpty(), "workers still running 10 s after the last loop: " + awake);
    }
}
