package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ActivationTest {
    private static final String[] X = {"x"};

    private static void golden(String name, Module module) {
        LayerGolden.check(name, in -> module.forward(in.get("x")), X);
    }

    private static void gradcheck(Module module, int... shape) {
        Tensor x = Tensor.randn(new Generator(3), shape).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> module.forward(in[0]), x);
        assertTrue(r.passed(), module + ": " + r);
    }

    @Test
    void matchPyTorch() {
        golden("relu", new ReLU());
        golden("leaky_relu", new LeakyReLU());
        golden("leaky_relu_02", new LeakyReLU(0.2));
        golden("sigmoid", new Sigmoid());
        golden("tanh", new Tanh());
        golden("gelu", new GELU());
        golden("gelu_tanh", new GELU("tanh"));
        golden("softmax", new Softmax(1));
        golden("log_softmax", new LogSoftmax(1));
        golden("flatten", new Flatten());
    }

    @Test
    void gradchecks() {
        // randn inputs are almost surely away from the kinks of ReLU and LeakyReLU at 0
        gradcheck(new ReLU(), 3, 4);
        gradcheck(new LeakyReLU(0.2), 3, 4);
        gradcheck(new Sigmoid(), 3, 4);
        gradcheck(new Tanh(), 3, 4);
        gradcheck(new GELU(), 3, 4);
        gradcheck(new GELU("tanh"), 3, 4);
        gradcheck(new Softmax(-1), 2, 3, 4);
        gradcheck(new LogSoftmax(0), 3, 4);
        gradcheck(new Flatten(0, 1), 2, 3, 2);
        Dropout dropout = new Dropout(0.5);
        dropout.eval();
        gradcheck(dropout, 3, 4);
    }

    @Test
    void extraReprAsPyTorchPrintsIt() {
        Sequential all = new Sequential(new LeakyReLU(), new GELU(), new GELU("tanh"), new Sigmoid(), new Tanh(),
                new Softmax(1), new LogSoftmax(-1), new Flatten(), new Dropout(0.25), new LeakyReLU(1e-5),
                new CrossEntropyLoss(), new TripletMarginLoss());
        // print(...) of the same nn.Sequential in PyTorch 1.13
        assertEquals("Sequential(\n"
                + "  (0): LeakyReLU(negative_slope=0.01)\n"
                + "  (1): GELU(approximate='none')\n"
                + "  (2): GELU(approximate='tanh')\n"
                + "  (3): Sigmoid()\n"
                + "  (4): Tanh()\n"
                + "  (5): Softmax(dim=1)\n"
                + "  (6): LogSoftmax(dim=-1)\n"
                + "  (7): Flatten(start_dim=1, end_dim=-1)\n"
                + "  (8): Dropout(p=0.25, inplace=False)\n"
                + "  (9): LeakyReLU(negative_slope=1e-05)\n"
                + "  (10): CrossEntropyLoss()\n"
                + "  (11): TripletMarginLoss()\n"
                + ")", all.toString());
    }

    @Test
    void reluInPlaceWritesOverItsInputWithTheSameGradient() {
        ReLU inplace = new ReLU(true);
        Tensor x = Tensor.randn(new Generator(5), 3, 4).requiresGrad_();
        Tensor w = Tensor.randn(new Generator(6), 3, 4);
        Tensor t = x.mul(2f);
        Tensor y = inplace.forward(t);
        assertSame(t, y);                                   // no new tensor: t now holds max(t, 0)
        y.mul(w).sum().backward();

        Tensor x2 = Tensor.randn(new Generator(5), 3, 4).requiresGrad_();
        Tensor y2 = new ReLU().forward(x2.mul(2f));
        y2.mul(w).sum().backward();
        assertArrayEquals(y2.toArray(), y.toArray());
        assertArrayEquals(x2.grad().toArray(), x.grad().toArray());

        Tensor g = Tensor.randn(new Generator(3), 3, 4).requiresGrad_();   // as gradchecks(): away from the kink
        GradCheck.Result r = GradCheck.check(in -> inplace.forward(in[0].mul(1.5f)), g);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void reluInPlaceRefusesALeafThatRequiresGradWhileRecording() {
        Tensor x = Tensor.of(new float[] {-1, 2}).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ReLU(true).forward(x));
        assertTrue(e.getMessage().startsWith("ReLU(inplace=True): relu_: a leaf tensor that requires grad"), e.getMessage());
        assertArrayEquals(new float[] {-1, 2}, x.toArray());
        try (kindling.autograd.NoGrad scope = kindling.autograd.NoGrad.enter()) {
            assertArrayEquals(new float[] {0, 2}, new ReLU(true).forward(x).toArray());
        }
    }

    @Test
    void reluInPlaceAcceptsTheEverydayModuleOutputs() {
        // Each output is a fresh result that shares its storage with no view, so ReLU(inplace=True) may
        // write over it, as in PyTorch; values and gradient are the out-of-place ones.
        checkReluInPlaceAfter(() -> new Linear(4, 3), 2, 4);
        checkReluInPlaceAfter(() -> new Linear(4, 3), 2, 5, 4);
        checkReluInPlaceAfter(() -> new Linear(4, 3, false), 2, 4);
        checkReluInPlaceAfter(() -> new Linear(4, 3, false), 2, 5, 4);
        checkReluInPlaceAfter(() -> new Sequential(new Flatten(), new Linear(16, 3, false)), 2, 4, 2, 2);
        checkReluInPlaceAfter(() -> Conv2d.builder(4, 2, 1).build(), 2, 4, 2, 2);
        checkReluInPlaceAfter(() -> new BatchNorm2d(4), 2, 4, 2, 2);
        checkReluInPlaceAfter(() -> new LayerNorm(new int[] {4}), 2, 5, 4);
    }

    @Test
    void reluInPlaceOnAViewNamesTheModuleTheShapeAndWhatToDo() {
        Sequential model = new Sequential(new Flatten(), new ReLU(true));
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 2, 1, 2).requiresGrad_();
        Tensor h = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.forward(h));
        for (String part : new String[] {"ReLU(inplace=True) at 1", "relu_ on (2, 2)", "view", "ReLU() (not in place)"}) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertArrayEquals(new float[] {-2, 4, -6, 8}, h.toArray());          // nothing was written
    }

    private static void checkReluInPlaceAfter(Supplier<Module> make, int... shape) {
        Module module = make.get();
        String what = module + " on " + Arrays.toString(shape);
        Tensor x = Tensor.randn(new Generator(7), shape).requiresGrad_();
        Tensor expected = new ReLU().forward(module.forward(x));
        expected.sum().backward();
        float[] expectedGrad = x.grad().toArray();
        x.setGrad(null);
        Tensor y = new ReLU(true).forward(module.forward(x));
        y.sum().backward();
        assertArrayEquals(expected.toArray(), y.toArray(), what);
        assertArrayEquals(expectedGrad, x.grad().toArray(), what);
    }

    @Test
    void reluPrintsInplaceAsPyTorch() {
        // print(nn.Sequential(nn.ReLU(), nn.ReLU(inplace=True))) in PyTorch 1.13
        assertEquals("Sequential(\n  (0): ReLU()\n  (1): ReLU(inplace=True)\n)",
                new Sequential(new ReLU(), new ReLU(true)).toString());
        assertTrue(new ReLU(true).inplace());
        assertTrue(!new ReLU().inplace());
    }

    @Test
    void constructorArgumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> new GELU("erf"));
        assertTrue(e.getMessage().contains("erf"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(Double.NaN));
    }

    @Test
    void dropoutKeepsTheMeanInTraining() {
        Dropout dropout = new Dropout(0.3, new Generator(11));
        int n = 100_000;
        float[] y = dropout.forward(Tensor.ones(n)).toArray();
        int kept = 0;
        double sum = 0;
        for (float v : y) {
            if (v != 0) {
                kept++;
                assertEquals(1 / 0.7, v, 1e-6, "a kept element is scaled by 1/(1−p)");
            }
            sum += v;
        }
        // kept ~ Binomial(n, 0.7): standard deviation √(n·0.7·0.3) ≈ 145; allow 5 of them.
        assertEquals(0.7 * n, kept, 5 * Math.sqrt(n * 0.21));
        assertEquals(1.0, sum / n, 5 * Math.sqrt(0.3 / 0.7 / n));
    }

    @Test
    void dropoutGradientFollowsTheMaskAndSeedsRepeat() {
        Tensor x = Tensor.ones(50).requiresGrad_();
        Tensor y = new Dropout(0.5, new Generator(5)).forward(x);
        y.sum().backward();
        assertArrayEquals(y.toArray(), x.grad().toArray(), "∂y/∂x = mask/(1−p) = y for x = 1");
        assertArrayEquals(y.toArray(), new Dropout(0.5, new Generator(5)).forward(Tensor.ones(50)).toArray());
    }

    @Test
    void dropoutIsTheIdentityInEvalAndZeroAtPOne() {
        Tensor x = Tensor.randn(new Generator(4), 3, 4);
        Dropout dropout = new Dropout(0.9);
        dropout.eval();
        assertSame(x, dropout.forward(x));
        Dropout all = new Dropout(1.0);
        for (float v : all.forward(x).toArray()) {
            assertEquals(0f, v, 0f, "p = 1 drops everything");    // −0 for a negative x, as x · 0 in PyTorch
        }
        assertSame(x, new Dropout(0.0).forward(x));
    }
}
