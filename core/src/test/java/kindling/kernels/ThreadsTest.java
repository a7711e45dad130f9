package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    private final int threadsBefore = Threads.get();

    @AfterEach
    void restoreThreads() {
        Threads.set(threadsBefore);
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

    @Test
    void aShortCheapPassStaysOnTheCallingThread() {
        Threads.set(2);
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
}
