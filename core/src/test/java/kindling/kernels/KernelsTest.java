package kindling.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel-mode switch: parsing, setting and restoring, and naive mode staying on one thread. */
class KernelsTest {

    private final KernelMode modeBefore = Kernels.requestedMode();
    private final int threadsBefore = Threads.get();

    @AfterEach
    void restore() {
        Kernels.setMode(modeBefore);
        Threads.set(threadsBefore);
    }

    @Test
    void theModeComesFromTheSystemProperty() {
        // Surefire runs the kernel tests once per mode with -Dkindling.kernels set; check it took effect.
        String property = System.getProperty("kindling.kernels");
        KernelMode expected = property == null ? KernelMode.SIMD : KernelMode.parse(property);
        assertSame(expected, Kernels.modeFromProperties());
        assertSame(expected, modeBefore);
    }

    @Test
    void parsesTheThreeNamesInAnyCase() {
        assertSame(KernelMode.NAIVE, KernelMode.parse("naive"));
        assertSame(KernelMode.PLAIN, KernelMode.parse(" Plain "));
        assertSame(KernelMode.SIMD, KernelMode.parse("SIMD"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KernelMode.parse("fast"));
        assertTrue(error.getMessage().contains("naive, plain or simd") && error.getMessage().contains("'fast'"),
                error.getMessage());
    }

    @Test
    void setModeReturnsThePreviousModeAndAppliesToTheNextCall() {
        Kernels.setMode(KernelMode.PLAIN);
        assertSame(KernelMode.PLAIN, Kernels.setMode(KernelMode.NAIVE));
        assertSame(KernelMode.NAIVE, Kernels.mode());
        assertTrue(Kernels.naive());
        assertEquals("naive", Gemm.kernelName());
        Kernels.setMode(KernelMode.SIMD);
        assertSame(KernelMode.SIMD, Kernels.mode(), "surefire runs with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.simd());
        assertThrows(NullPointerException.class, () -> Kernels.setMode(null));
    }

    @Test
    void naiveModeRunsEveryTaskOnTheCallingThread() {
        Threads.set(4);
        Kernels.setMode(KernelMode.NAIVE);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Threads.parallelFor(64, t -> threads.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), threads);
    }
}
