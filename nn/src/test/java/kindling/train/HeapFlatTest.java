package kindling.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Dropout;
import kindling.nn.Linear;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.optim.Adam;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Thousands of training steps leave the live heap flat, even when the loop keeps every loss for a
 * chart, a beginner's habit: a kept loss must hold no activations of its step.
 */
class HeapFlatTest {
    private static final int STEPS = 2000;

    /** Bytes in use after full collections, the live heap. */
    private static long liveHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(10);
            best = Math.min(best, runtime.totalMemory() - runtime.freeMemory());
        }
        return best;
    }

    @Test
    void thousandsOfStepsKeepingEveryLossLeaveTheLiveHeapFlat() throws InterruptedException {
        Generator.manualSeed(0);
        Sequential model = new Sequential(new Linear(32, 64), new ReLU(), new Dropout(0.1), new Linear(64, 10));
        Adam adam = Adam.builder(model.parameters()).lr(1e-3f).build();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Generator data = new Generator(1);
        List<Tensor> losses = new ArrayList<>();
        long warmedUp = 0;
        for (int step = 1; step <= STEPS; step++) {
            Tensor x = Tensor.randn(data, 16, 32);
            Tensor y = Tensor.randint(data, 0, 10, 16);
            adam.zeroGrad();
            Tensor loss = criterion.forward(model.forward(x), y);
            loss.backward();
            adam.step();
            losses.add(loss);
            if (step == 300) {
                warmedUp = liveHeap();
            }
        }
        long growth = liveHeap() - warmedUp;
        System.out.println("HeapFlatTest: live heap grew by " + growth / 1024 + " KB over " + (STEPS - 300) + " steps");
        // Each step's activations are about 64·(32 + 64 + 64 + 64 + 10) floats ≈ 60 KB, so 2,500 steps
        // holding on to them would be 150 MB; the kept losses themselves (a scalar and its finished op)
        // are a few hundred bytes each.
        assertTrue(growth < 4L << 20, "the live heap grew by " + growth / 1024 + " KB over " + (STEPS - 300)
                + " steps (" + growth / (STEPS - 300) + " bytes per step)");
        assertTrue(losses.get(STEPS - 1).item() < losses.get(0).item() + 1, "sanity: the losses are real numbers");
    }
}
