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

    /**
     * Runs {@code body} once in mode plain and, when the Vector API module is present, once in mode
     * simd, whatever mode the test JVM was started in: for kernels whose two fast paths are held to the
     * same bits, so that one test run reaches both.
     */
    static void inEachFastMode(Runnable body) {
        KernelMode before = Kernels.requestedMode();
        try {
            Kernels.setMode(KernelMode.PLAIN);
            body.run();
            if (Kernels.vectorModulePresent()) {
                Kernels.setMode(KernelMode.SIMD);
                body.run();
            }
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
