package kindling.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time the examples print beside the wall-clock time of a training run: on a machine shared
 * with other work the wall clock also counts the time spent waiting for a core; the CPU time does not.
 */
final class CpuTime {
    private CpuTime() {
    }

    /** The CPU time this JVM has used so far, over all its threads, in seconds; NaN where the JVM does not say. */
    static double processSeconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}
