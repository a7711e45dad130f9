package kindling.kernels;

import java.util.SplittableRandom;

/** Test helpers for holding a fast kernel to its naive twin whatever mode the test JVM runs in. */
final class KernelTwins {
    private KernelTwins() {
    }

    /**
     * Runs {@code body} with the fast kernels: in mode naive the families' facades would run the twin
     * itself, so the comparison switches to plain for its duration; otherwise the JVM's mode stays.
     */
    static void withFastKernels(Runnable body) {
        KernelMode before = Kernels.requestedMode();
        if (before == KernelMode.NAIVE) {
            Kernels.setMode(KernelMode.PLAIN);
        }
        try {
            body.run();
        } finally {
            Kernels.setMode(before);
        }
    }

    static float[] randomArray(SplittableRandom random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return a;
    }
}
