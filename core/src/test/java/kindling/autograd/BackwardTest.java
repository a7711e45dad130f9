package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BackwardTest {

    @Test
    void productRuleGivesTheOtherFactor() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
        Tensor b = Tensor.of(new float[] {4, 5, 6}).requiresGrad_();
        a.mul(b).sum().backward();
        assertArrayEquals(new float[] {4, 5, 6}, a.grad().toArray());
        assertArrayEquals(new float[] {1, 2, 3}, b.grad().toArray());
    }

    @Test
    void tensorUsedTwiceGetsTheSumOfBothGradients() {
        // y = x·x + x  →  dy/dx = 2x + 1
        Tensor x = Tensor.of(new float[] {-1, 0.5f, 3}).requiresGrad_();
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new float[] {-1, 2, 7}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilReset() {
        Tensor x = Tensor.of(new float[] {2}).requiresGrad_();
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();
        assertEquals(8f, x.grad().item());
        x.setGrad(null);
        x.mul(x).sum().backward();
        assertEquals(4f, x.grad().item());
    }

    @Test
    void broadcastGradientIsSummedBackToTheInputShape() {
        Tensor matrix = Tensor.ones(4, 3).requiresGrad_();
        Tensor row = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
        matrix.mul(row).sum().backward();
        assertArrayEquals(new float[] {4, 4, 4}, row.grad().toArray());
        assertArrayEquals(new int[] {4, 3}, matrix.grad().shape());
    }

    @Test
    void secondBackwardThroughAFreedGraphSaysSo() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor loss = x.mul(x).sum();
        loss.backward();
        IllegalStateException error = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(error.getMessage().contains("freed"), error.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(new float[] {3}).requiresGrad_();
        Tensor loss = x.mul(x).sum();
        loss.backward(Tensor.scalar(1), true);
        loss.backward(Tensor.scalar(1), true);
        assertEquals(12f, x.grad().item());
    }

    @Test
    void inPlaceChangeOfASavedTensorFailsBackward() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor x = Tensor.of(new float[] {3, 4});
        Tensor loss = w.mul(x).sum();
        x.mul_(2f);                       // x was saved by MulOp for ∂L/∂w
        IllegalStateException error = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(error.getMessage().contains("MulOp") && error.getMessage().contains("in-place"),
                error.getMessage());
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
        Tensor w = Tensor.ones(2).requiresGrad_();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> w.add_(1f));
        assertTrue(error.getMessage().startsWith("add_: a leaf tensor that requires grad"), error.getMessage());
        try (NoGrad scope = NoGrad.enter()) {
            w.add_(1f);
        }
        assertArrayEquals(new float[] {2, 2}, w.toArray());
    }

    @Test
    void noGradScopeRecordsNothingAndNests() {
        Tensor x = Tensor.ones(2).requiresGrad_();
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
            Tensor y = x.mul(x);
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
        }
        assertTrue(GradMode.isEnabled());
        assertEquals("MulOp", x.mul(x).gradFn().name());
    }

    @Test
    void detachCutsTheGraphButSharesStorage() {
        Tensor x = Tensor.ones(2).requiresGrad_();
        Tensor y = x.mul(x);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.storage() == y.storage());
    }

    @Test
    void chainOfAHundredThousandOpsDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(new float[] {1}).requiresGrad_();
        Tensor y = x;
        Tensor one = Tensor.of(new float[] {1});
        for (int i = 0; i < 100_000; i++) {
            y = y.add(one);
        }
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor x = Tensor.of(new float[] {2}).requiresGrad_();
        Tensor y = x.mul(x).retainGrad();
        y.mul(Tensor.of(new float[] {3})).sum().backward();
        assertEquals(3f, y.grad().item());
        assertEquals(12f, x.grad().item());
    }

    @Test
    void gradCheckPassesForViewsAndBroadcasts() {
        Generator gen = new Generator(7);
        Tensor a = Tensor.randn(gen, 2, 3, 4).requiresGrad_();
        Tensor b = Tensor.randn(gen, 3, 1).requiresGrad_();
        GradCheck.Result result = GradCheck.check(in -> in[0].transpose(0, 2).mul(in[1].expand(3, 2).unsqueeze(0))
                .narrow(0, 1, 2).slice(2, 1, 2, 1).reshape(-1).mul(in[0].flatten().narrow(0, 0, 6)),
                a, b);
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void gradCheckReportsAWrongGradient() {
        Tensor x = Tensor.randn(new Generator(3), 3).requiresGrad_();
        // A function whose recorded graph (x·x) differs from what the numeric probe sees when
        // grad is off (x·x·2): the check must fail and name the input.
        GradCheck.Result result = GradCheck.check(in -> GradMode.isEnabled() ? in[0].mul(in[0])
                : in[0].mul(in[0]).mul(Tensor.scalar(2)), x);
        assertFalse(result.passed());
        assertTrue(result.toString().contains("FAILED") && result.toString().contains("input 0"), result.toString());
    }

    @Test
    void narrowingAnEmptyTensorAtAnOffsetGivesAnEmptyView() {
        Tensor empty = Tensor.zeros(0, 5).requiresGrad_();
        Tensor part = empty.narrow(1, 3, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2}, part.shape());
        part.sum().backward();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 5}, empty.grad().shape());
    }
}
