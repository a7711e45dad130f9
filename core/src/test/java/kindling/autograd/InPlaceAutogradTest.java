package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.ops.AddInPlaceOp;
import kindling.ops.MulInPlaceOp;
import kindling.ops.MulOp;
import kindling.ops.ReluOp;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** relu_, add_, sub_ and mul_ recorded by autograd on non-leaf tensors: gradients, routing and refusals. */
class InPlaceAutogradTest {
    private static final Golden GOLDEN = Golden.load("autograd_basics.txt");

    /** Values at least 0.2 from 0, so that a finite-difference step of 1e-2 never crosses ReLU's kink. */
    private static Tensor awayFromZero(int... shape) {
        float[] values = {-1.3f, 0.7f, 2.1f, -0.4f, 1.5f, -2.2f, 0.3f, -0.9f, 1.1f, -1.7f, 0.5f, 2.4f};
        int n = 1;
        for (int size : shape) {
            n *= size;
        }
        return Tensor.of(java.util.Arrays.copyOf(values, n), shape).requiresGrad_();
    }

    private static void assertMessageContains(Throwable error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "expected '" + part + "' in: " + error.getMessage());
        }
    }

    @Test
    void reluInPlaceOnANonLeafPassesGradCheck() {
        Tensor x = awayFromZero(2, 3);
        Tensor w = Tensor.of(new float[] {1, -2, 3, 0.5f, -1, 2}, 2, 3);
        GradCheck.assertPasses(in -> in[0].mul(2f).relu_().mul(w), x);
    }

    @Test
    void addAndSubInPlaceWithBroadcastingPassGradCheck() {
        Tensor x = awayFromZero(2, 3);
        Tensor a = Tensor.of(new float[] {0.5f, -1.5f, 2f}).requiresGrad_();
        Tensor b = Tensor.of(new float[] {1f, 2f, -1f, 0.5f, 3f, -2f}, 2, 3).requiresGrad_();
        GradCheck.assertPasses(in -> in[0].mul(in[0]).add_(in[1], 0.5f).sub_(in[2]).add_(in[1]), x, a, b);
        GradCheck.assertPasses(in -> in[0].mul(in[2]).sub_(in[1]).relu_(), x, a, b);
    }

    @Test
    void mulInPlaceSavesTheValuesItsGradientsNeed() {
        Tensor x = awayFromZero(2, 3);
        Tensor c = Tensor.of(new float[] {0.5f, -1.5f, 2f}).requiresGrad_();
        Tensor d = Tensor.of(new float[] {1f, 2f, -1f, 0.5f, 3f, -2f}, 2, 3).requiresGrad_();
        // ∂/∂c needs x·d from before the write; ∂/∂(x·d) needs c.
        GradCheck.assertPasses(in -> in[0].mul(in[2]).mul_(in[1]).mul_(-1.5f).add_(in[0]), x, c, d);
        // t.mul_(t) squares t: the factor is copied first, so the gradient is 2t·∂t.
        GradCheck.assertPasses(in -> {
            Tensor t = in[0].mul(in[1]);
            return t.mul_(t);
        }, x, d);
    }

    @Test
    void aProductSavesOnlyTheOperandTheNeededGradientReads() {
        Tensor x = awayFromZero(2, 3);
        Tensor c = Tensor.of(new float[] {0.5f, -1.5f, 2f});          // a constant
        // u = t·c needs only c for ∂L/∂t, so changing t afterwards is allowed, as in PyTorch.
        for (boolean tFirst : new boolean[] {true, false}) {
            x.setGrad(null);
            Tensor t = x.mul(2f);
            Tensor u = tFirst ? t.mul(c) : c.mul(t);
            t.relu_();
            u.add(t).sum().backward();
            assertArrayEquals(new float[] {1, -1, 6, 1, -1, 4}, x.grad().toArray(), 1e-6f);   // PyTorch 1.13
        }
        // t·t.detach() reads t for ∂L/∂t through the detached factor, which shares t's version: refused.
        Tensor t = x.mul(2f);
        Tensor u = t.mul(t.detach());
        t.relu_();
        assertMessageContains(assertThrows(IllegalStateException.class, () -> u.sum().backward()),
                "modified by an inplace operation", "MulOp");
    }

    @Test
    void anEarlierConsumersGradientGoesToTheOldProducer() {
        Tensor w = Tensor.of(new float[] {1, -2, 3, 0.5f, -1, 2}, 2, 3);
        Tensor v = Tensor.of(new float[] {2f, -3f});

        Tensor x = awayFromZero(2, 3);
        Tensor a = Tensor.of(new float[] {0.5f, -1.5f, 2f}).requiresGrad_();
        Tensor t = x.mul(a);
        Function producer = t.gradFn();
        Tensor s = t.sum(1);                          // reads t before the write
        Tensor same = t.relu_();
        assertSame(t, same);
        assertTrue(t.gradFn() instanceof ReluOp);
        assertSame(producer, t.gradFn().producer(0));
        assertSame(producer, s.gradFn().producer(0));   // not relu_: the sum read t's old values
        t.mul(w).sum().add(s.mul(v).sum()).backward();

        Tensor x2 = awayFromZero(2, 3);
        Tensor a2 = Tensor.of(new float[] {0.5f, -1.5f, 2f}).requiresGrad_();
        Tensor t2 = x2.mul(a2);
        Tensor s2 = t2.sum(1);
        Tensor r2 = t2.relu();
        r2.mul(w).sum().add(s2.mul(v).sum()).backward();

        assertArrayEquals(r2.toArray(), t.toArray());
        assertArrayEquals(x2.grad().toArray(), x.grad().toArray());
        assertArrayEquals(a2.grad().toArray(), a.grad().toArray());
    }

    @Test
    void residualSumInPlaceGivesTheOutOfPlaceGradientsToTheBit() {
        Tensor w = Tensor.randn(new kindling.tensor.Generator(3), 4, 5);
        Tensor[] grads = new Tensor[4];
        for (int inPlace = 0; inPlace < 2; inPlace++) {
            Tensor x = Tensor.randn(new kindling.tensor.Generator(1), 4, 5).requiresGrad_();
            Tensor m = Tensor.randn(new kindling.tensor.Generator(2), 4, 5).requiresGrad_();
            Tensor y = x.mul(m);                                      // the block's branch
            Tensor out = inPlace == 1 ? y.add_(x).relu_() : y.add(x).relu();
            out.mul(w).sum().backward();
            grads[2 * inPlace] = x.grad();
            grads[2 * inPlace + 1] = m.grad();
        }
        assertArrayEquals(grads[0].toArray(), grads[2].toArray());
        assertArrayEquals(grads[1].toArray(), grads[3].toArray());
    }

    @Test
    void inPlaceOpsMatchPyTorch() {
        Tensor x = GOLDEN.input("inplace_x");
        Tensor a = GOLDEN.input("inplace_a");
        Tensor b = GOLDEN.input("inplace_b");
        Tensor c = GOLDEN.input("inplace_c");
        Tensor d = GOLDEN.input("inplace_d");
        Tensor t = x.mul(a);
        Tensor s = t.sum(1);
        t.add_(b, 0.5f);
        t.mul_(c);
        t.sub_(d);
        t.relu_();
        Tensor z = Tensor.zeros(4, 3);
        z.add_(x);                                    // z did not require grad; now it is add_'s result
        assertTrue(z.gradFn() instanceof AddInPlaceOp);
        z.mul_(3f);
        assertTrue(z.gradFn() instanceof MulInPlaceOp);
        Tensor y = t.mul(GOLDEN.get("inplace_w")).add(z);
        y.sum().add(s.mul(GOLDEN.get("inplace_v")).sum()).backward();
        GOLDEN.assertClose("inplace_out", y, 1e-6, 1e-5);
        for (String name : new String[] {"x", "a", "b", "c", "d"}) {
            Tensor leaf = switch (name) {
                case "x" -> x;
                case "a" -> a;
                case "b" -> b;
                case "c" -> c;
                default -> d;
            };
            GOLDEN.assertClose("inplace_grad_" + name, leaf.grad(), 1e-6, 1e-5);
        }
    }

    @Test
    void aLeafThatRequiresGradIsRefusedAndLeftAsItWas() {
        Tensor w = Tensor.of(new float[] {-1, 2}).requiresGrad_();
        assertMessageContains(assertThrows(IllegalStateException.class, w::relu_), "relu_",
                "leaf tensor that requires grad", "NoGrad");
        assertMessageContains(assertThrows(IllegalStateException.class, () -> w.add_(Tensor.ones(2))), "add_");
        assertMessageContains(assertThrows(IllegalStateException.class, () -> w.mul_(2f)), "mul_");
        assertArrayEquals(new float[] {-1, 2}, w.toArray());
        assertEquals(0, w.version());
        assertTrue(w.isLeaf());
    }

    @Test
    void aViewOrItsBaseIsRefusedWhileRecording() {
        Tensor x = awayFromZero(2, 3);
        Tensor t = x.mul(2f);
        Tensor row = t.narrow(0, 1, 1);
        IllegalStateException error = assertThrows(IllegalStateException.class, row::relu_);
        assertMessageContains(error, "relu_", "(1, 3)", "view");
        assertMessageContains(assertThrows(IllegalStateException.class, () -> t.add_(Tensor.ones(3))),
                "add_", "(2, 3) and (3,)", "view");
        Tensor u = x.mul(3f);
        Tensor transposed = u.t();
        assertMessageContains(assertThrows(IllegalStateException.class, () -> transposed.mul_(2f)), "mul_", "(3, 2)");
        Tensor flat = x.mul(4f).reshape(6);
        assertMessageContains(assertThrows(IllegalStateException.class, () -> flat.sub_(Tensor.ones(6))), "sub_", "(6,)");
        // Nothing was written, and the graph is as it was: backward through t still works.
        assertArrayEquals(new float[] {-2.6f, 1.4f, 4.2f, -0.8f, 3f, -4.4f}, t.toArray());
        assertEquals(0, t.version());
        assertTrue(t.gradFn() instanceof MulOp);
        t.sum().backward();
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, x.grad().toArray());
        // Outside recording a view is written as before.
        try (NoGrad scope = NoGrad.enter()) {
            row.relu_();
        }
        assertArrayEquals(new float[] {-2.6f, 1.4f, 4.2f, 0f, 3f, 0f}, t.toArray());
    }

    @Test
    void changingASavedValueMakesBackwardFailClearly() {
        Tensor x = awayFromZero(2, 3);
        Tensor b = Tensor.ones(2, 3).requiresGrad_();
        Tensor t = x.mul(2f);
        t.relu_();                                    // saves t, at the version after the write
        t.add_(b);                                    // changes what relu_ saved
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> t.sum().backward());
        assertMessageContains(error, "modified by an inplace operation", "ReluOp", "(2, 3)", "version 2",
                "expected version 1");
        assertArrayEquals(new float[] {1, 2.4f, 5.2f, 1, 4f, 1}, t.toArray(), 1e-6f);
        assertNull(x.grad());                         // the walk stopped before reaching x

        Tensor y = x.mul(x);                          // MulOp saves x ...
        Tensor z = x.mul(3f);
        Tensor p = z.mul(z.relu());                   // ... and z, and ReluOp saves relu(z)
        z.add_(Tensor.ones(2, 3));
        assertMessageContains(assertThrows(IllegalStateException.class, () -> p.sum().backward()),
                "modified by an inplace operation", "MulOp");
        y.sum().backward();                           // the graph that nothing changed is intact
        assertArrayEquals(x.mul(2f).detach().toArray(), x.grad().toArray());
    }

    @Test
    void aShapeErrorLeavesTheTensorAndItsGraphAsTheyWere() {
        Tensor x = awayFromZero(2, 3);
        Tensor t = x.mul(2f);
        Function producer = t.gradFn();
        assertThrows(ShapeException.class, () -> t.add_(Tensor.ones(2)));
        assertThrows(ShapeException.class, () -> t.mul_(Tensor.ones(4, 3).requiresGrad_()));
        assertEquals(0, t.version());
        assertSame(producer, t.gradFn());
        assertArrayEquals(new float[] {-2.6f, 1.4f, 4.2f, -0.8f, 3f, -4.4f}, t.toArray());
    }

    @Test
    void outsideRecordingNothingIsRecorded() {
        Tensor x = awayFromZero(2, 3);
        Tensor t = x.mul(2f);
        Function producer = t.gradFn();
        try (NoGrad scope = NoGrad.enter()) {
            t.relu_().add_(Tensor.ones(2, 3)).mul_(2f);
        }
        assertSame(producer, t.gradFn());
        Tensor plain = Tensor.of(new float[] {-1, 2});
        plain.relu_().add_(Tensor.ones(2), 2f).sub_(Tensor.ones(2)).mul_(Tensor.of(new float[] {3, 4}));
        assertArrayEquals(new float[] {3, 12}, plain.toArray());
        assertTrue(plain.isLeaf());
        assertFalse(plain.requiresGrad());
    }

    @Test
    void aRetainedGradientFollowsTheTensorToItsNewValues() {
        // PyTorch 1.13: t = x*2; t.retain_grad(); t.mul_(3); (t*w).sum().backward() → t.grad = w, x.grad = 6w.
        Tensor x = Tensor.of(new float[] {-1, 2, 3}).requiresGrad_();
        Tensor w = Tensor.of(new float[] {1, 2, 3});
        Tensor t = x.mul(2f);
        t.retainGrad();
        t.mul_(3f);
        t.mul(w).sum().backward();
        assertArrayEquals(new float[] {1, 2, 3}, t.grad().toArray());
        assertArrayEquals(new float[] {6, 12, 18}, x.grad().toArray());
    }

    @Test
    void theWalkVisitsTheInPlaceOpBeforeTheProducerItShares() {
        Tensor x = Tensor.of(new float[] {-1, 2, 3}).requiresGrad_();
        Tensor t = x.mul(2f);
        Function producer = t.gradFn();
        Tensor s = t.sum();
        t.relu_();
        Tensor loss = t.sum().add(s);
        java.util.List<Function> order = Backward.reverseTopologicalOrder(loss.gradFn());
        assertEquals(5, order.size(), order.toString());            // add, two sums, relu_, mul
        assertTrue(order.indexOf(t.gradFn()) < order.indexOf(producer), order.toString());
        assertTrue(order.indexOf(s.gradFn()) < order.indexOf(producer), order.toString());
        loss.backward();
        assertArrayEquals(new float[] {2, 4, 4}, x.grad().toArray());   // relu' · 2 + 2
    }
}
