package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A loss kept after backward (for logging, say) must not keep the step's activations alive. The
 * activations are watched through weak references: once nothing strong points at a tensor, the
 * garbage collector clears its reference. With retainGraph the same references stay set, which shows
 * the test can see a graph that holds on.
 */
class GraphReleaseTest {
    private static final Generator GEN = new Generator(7);

    /** A two-layer MLP step on a batch; the intermediate tensors are only weakly held by the caller. */
    private static Tensor step(Tensor w1, Tensor w2, List<WeakReference<Tensor>> activations) {
        Tensor x = Tensor.randn(GEN, 64, 256);
        Tensor hidden = x.matmul(w1);
        Tensor relu = hidden.relu();
        Tensor logits = relu.matmul(w2);
        Tensor loss = logits.mul(logits).mean();
        for (Tensor t : new Tensor[] {x, hidden, relu, logits}) {
            activations.add(new WeakReference<>(t));
        }
        return loss;
    }

    /** True when every reference was cleared within a bounded number of collections. */
    private static boolean allCollected(List<WeakReference<Tensor>> refs) throws InterruptedException {
        for (int attempt = 0; attempt < 40; attempt++) {
            if (refs.stream().allMatch(ref -> ref.get() == null)) {
                return true;
            }
            System.gc();
            Thread.sleep(5);
        }
        return refs.stream().allMatch(ref -> ref.get() == null);
    }

    @Test
    void aKeptLossHoldsNoActivationsAfterBackward() throws InterruptedException {
        Tensor w1 = Tensor.randn(GEN, 256, 128).requiresGrad_();
        Tensor w2 = Tensor.randn(GEN, 128, 10).requiresGrad_();
        List<Tensor> keptLosses = new ArrayList<>();
        List<WeakReference<Tensor>> activations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Tensor loss = step(w1, w2, activations);
            loss.backward();
            keptLosses.add(loss);                      // the beginner's habit: keep every loss for a chart
        }
        assertTrue(allCollected(activations), "activations are still reachable from the kept losses");
        assertTrue(keptLosses.get(0).gradFn().isReleased());
        assertTrue(keptLosses.get(0).gradFn().inputs().isEmpty());
    }

    @Test
    void aRetainedGraphKeepsItsActivations() throws InterruptedException {
        Tensor w1 = Tensor.randn(GEN, 256, 128).requiresGrad_();
        Tensor w2 = Tensor.randn(GEN, 128, 10).requiresGrad_();
        List<WeakReference<Tensor>> activations = new ArrayList<>();
        Tensor loss = step(w1, w2, activations);
        loss.backward(Tensor.scalar(1), true);
        assertFalse(allCollected(activations.subList(1, 4)), "a retained graph must keep what backward needs");
        assertFalse(loss.gradFn().isReleased());
        loss.backward();                               // and can still go through it
        assertTrue(allCollected(activations));
    }

    @Test
    void aSecondBackwardThroughAFreedGraphSaysHowToRetainIt() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor loss = w.mul(w).sum();
        loss.backward();
        IllegalStateException error = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(error.getMessage().contains("backward through the graph a second time"), error.getMessage());
        assertTrue(error.getMessage().contains("retainGraph"), error.getMessage());
        assertEquals("[2.0, 4.0]", java.util.Arrays.toString(w.grad().toArray()));   // unchanged by the failure
    }

    @Test
    void anIntermediateSharedByTwoLossesFailsTheSecondBackwardClearly() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor shared = w.mul(w);
        Tensor first = shared.sum();
        Tensor second = shared.mean();
        first.backward();
        IllegalStateException error = assertThrows(IllegalStateException.class, second::backward);
        assertTrue(error.getMessage().contains("MulOp"), error.getMessage());
    }
}
