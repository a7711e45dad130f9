package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import kindling.autograd.GradCheck;
import kindling.io.GoldenText;
import kindling.io.SafeTensors;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    /** Loads γ, β, runs two training steps and one eval step of gen_norm.py's case, comparing everything. */
    private static void checkBatchNorm(String name, BatchNorm layer) {
        layer.weight.detach().copy_(GoldenCases.NORM.get(name + "_weight"));
        layer.bias.detach().copy_(GoldenCases.NORM.get(name + "_bias"));
        layer.train();
        for (int step = 1; step <= 2; step++) {
            String prefix = name + "_step" + step;
            GoldenCases.NORM.check(prefix, layer);
            LayerGolden.assertClose(prefix + "_running_mean", GoldenCases.NORM.get(prefix + "_running_mean"), layer.runningMean);
            LayerGolden.assertClose(prefix + "_running_var", GoldenCases.NORM.get(prefix + "_running_var"), layer.runningVar);
            assertEquals(step, layer.numBatchesTracked.item());
        }
        layer.eval();
        GoldenCases.NORM.check(name + "_eval", layer);
        assertEquals(2, layer.numBatchesTracked.item(), "evaluation must not count batches");
        LayerGolden.assertClose(name + "_eval: running_mean unchanged", GoldenCases.NORM.get(name + "_step2_running_mean"),
                layer.runningMean);
    }

    @Test
    void batchNormMatchesPyTorchInTrainingAndEvaluation() {
        checkBatchNorm("bn1d", new BatchNorm1d(3));
        checkBatchNorm("bn1d_3d", new BatchNorm1d(3, 1e-5, 0.3, true, true));
        checkBatchNorm("bn2d", new BatchNorm2d(2, 1e-3, 0.1, true, true));
        GoldenCases.NORM.check("bn2d_noaffine", new BatchNorm2d(2, 1e-5, 0.1, false, true));
    }

    /** Backward recomputes x̂ from the saved input, so changing that input in place before backward must fail. */
    @Test
    void batchNormBackwardRefusesAnInputChangedInPlace() {
        Tensor x = Tensor.randn(new Generator(3), 4, 2, 3, 3);
        Tensor gamma = Tensor.ones(2).requiresGrad_();
        Tensor y = kindling.nn.functional.Normalization.batchNorm(x, null, null, gamma, null, true, 0.1, 1e-5);
        Tensor loss = y.mul(y).sum();
        loss.backward(Tensor.scalar(1), true);                               // unchanged input: fine
        x.mul_(2f);
        IllegalStateException error = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(error.getMessage().contains("BatchNormOp") && error.getMessage().contains("in-place"),
                error.getMessage());
    }

    @Test
    void layerNormMatchesPyTorch() {
        for (String name : List.of("layernorm", "layernorm_2d")) {
            LayerNorm layer = name.equals("layernorm") ? new LayerNorm(4) : new LayerNorm(2, 3);
            layer.weight.detach().copy_(GoldenCases.NORM.get(name + "_weight"));
            layer.bias.detach().copy_(GoldenCases.NORM.get(name + "_bias"));
            GoldenCases.NORM.check(name, layer);
        }
        GoldenCases.NORM.check("layernorm_noaffine", new LayerNorm(new int[] {5}, 1e-5, false));
    }

    @Test
    void gradcheckBatchNormInTrainingAndEvaluation() {
        for (BatchNorm layer : new BatchNorm[] {new BatchNorm1d(3), new BatchNorm2d(2)}) {
            Tensor x = Tensor.randn(new Generator(7), layer instanceof BatchNorm2d ? new int[] {3, 2, 2, 2}
                    : new int[] {4, 3, 2}).requiresGrad_();
            layer.weight.detach().copy_(Tensor.rand(new Generator(8), layer.numFeatures()).add(0.5f));
            layer.bias.detach().copy_(Tensor.randn(new Generator(9), layer.numFeatures()));
            layer.train();
            GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), 1e-2, 2e-2, 2e-2, x, layer.weight, layer.bias);
            assertTrue(r.passed(), layer + " training: " + r);
            layer.eval();
            r = GradCheck.check(in -> layer.forward(in[0]), x, layer.weight, layer.bias);
            assertTrue(r.passed(), layer + " eval: " + r);
        }
        // x used twice: the op's gradient must add to the other use's
        BatchNorm1d plain = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        Tensor x = Tensor.randn(new Generator(3), 5, 2).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> plain.forward(in[0]).mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
        plain.eval();                                  // no running statistics: evaluation uses the batch's too
        Tensor means = plain.forward(x).mean(0);
        assertEquals(0, means.get(0), 1e-5);
        assertEquals(0, means.get(1), 1e-5);
    }

    @Test
    void gradcheckLayerNorm() {
        LayerNorm layer = new LayerNorm(2, 3);
        layer.weight.detach().copy_(Tensor.rand(new Generator(4), 2, 3).add(0.5f));
        layer.bias.detach().copy_(Tensor.randn(new Generator(5), 2, 3));
        Tensor x = Tensor.randn(new Generator(6), 2, 2, 3).requiresGrad_();
        GradCheck.Result r = GradCheck.check(in -> layer.forward(in[0]), x, layer.weight, layer.bias);
        assertTrue(r.passed(), r.toString());
        LayerNorm plain = new LayerNorm(new int[] {4}, 1e-5, false);
        Tensor y = Tensor.randn(new Generator(7), 3, 4).requiresGrad_();
        r = GradCheck.check(in -> plain.forward(in[0]).mul(in[0]), y);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void stateDictKeysArePyTorchs() {
        Map<String, Tensor> state = new BatchNorm2d(4).stateDict();
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(state.keySet()));
        assertEquals(0, state.get("num_batches_tracked").dim());
        assertEquals(List.of("weight", "bias"), List.copyOf(new LayerNorm(3).stateDict().keySet()));
        BatchNorm2d bare = new BatchNorm2d(4, 1e-5, 0.1, false, false);
        assertTrue(bare.stateDict().isEmpty());
        assertNull(bare.runningMean);
    }

    @Test
    void resetRestoresTheInitialState() {
        BatchNorm2d layer = new BatchNorm2d(2);
        layer.forward(Tensor.randn(new Generator(1), 3, 2, 2, 2).mul(3f).add(1f));
        layer.weight.detach().fill_(2f);
        assertEquals(1, layer.numBatchesTracked.item());
        assertTrue(layer.runningMean.abs().sum().item() > 0);
        layer.resetParameters();
        assertEquals(0, layer.numBatchesTracked.item());
        assertEquals(0, layer.runningMean.abs().sum().item());
        assertEquals(2, layer.runningVar.sum().item());
        assertEquals(2, layer.weight.sum().item());
        assertEquals(0, layer.bias.abs().sum().item());
    }

    @Test
    void loadsAPyTorchBatchNormStateDict() throws IOException {
        // gen_safetensors.py: Sequential(Linear(4, 3), ReLU(), Linear(3, 2), BatchNorm1d(2)) after two
        // batches, the whole state dict with its I64 num_batches_tracked.
        Sequential model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2), new BatchNorm1d(2));
        LoadResult result = model.loadStateDict(SafeTensors.load(GoldenText.path("torch_int64.safetensors")), true);
        assertEquals(List.of(), result.missingKeys());
        BatchNorm1d norm = (BatchNorm1d) model.namedChildren().get("3");
        Map<String, Tensor> golden = GoldenText.read("safetensors.txt");
        LayerGolden.assertClose("3.running_mean", golden.get("model.3.running_mean"), norm.runningMean);
        LayerGolden.assertClose("3.running_var", golden.get("model.3.running_var"), norm.runningVar);
        assertEquals(2f, norm.numBatchesTracked.item());
    }

    @Test
    void printsAsPyTorch() {
        assertEquals("BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(4).toString());
        assertEquals("BatchNorm1d(3, eps=0.001, momentum=0.2, affine=False, track_running_stats=False)",
                new BatchNorm1d(3, 1e-3, 0.2, false, false).toString());
        assertEquals("LayerNorm((5,), eps=1e-05, elementwise_affine=True)", new LayerNorm(5).toString());
        assertEquals("LayerNorm((2, 3), eps=1e-05, elementwise_affine=False)",
                new LayerNorm(new int[] {2, 3}, 1e-5, false).toString());
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("Expected more than 1 value per channel when training")
                && e.getMessage().contains("(1, 3)"), e.getMessage());
        BatchNorm1d evaluating = new BatchNorm1d(3);
        evaluating.eval();
        assertEquals(3, evaluating.forward(Tensor.zeros(1, 3)).numel());            // fine with running stats
        Sequential model = new Sequential(new BatchNorm2d(3));
        e = assertThrows(ShapeException.class, () -> model.forward(Tensor.zeros(2, 4, 5, 5)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, "
                + "track_running_stats=True) at 0: expected input (N, 3, H, W) but got (2, 4, 5, 5)"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(e.getMessage().contains("(N, 3) or (N, 3, L)"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new LayerNorm(2, 3).forward(Tensor.zeros(4, 3, 2)));
        assertTrue(e.getMessage().contains("LayerNorm((2, 3)") && e.getMessage().contains("(*, 2, 3)")
                && e.getMessage().contains("(4, 3, 2)"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0));
        assertTrue(a.getMessage().contains("numFeatures must be > 0, got 0"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(2, 1e-5, 1.5, true, true));
        assertTrue(a.getMessage().contains("1.5"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3, 0));
        assertTrue(a.getMessage().contains("(3, 0)"), a.getMessage());
    }

    @Test
    void batchNormIsBitIdenticalForAnyThreadCount() {
        Generator generator = new Generator(21);
        Tensor x = Tensor.randn(generator, 6, 8, 40, 40);        // large enough for the parallel path
        Tensor gradY = Tensor.randn(generator, 6, 8, 40, 40);
        float[][] one = batchNormAtThreads(1, x, gradY);
        for (int threads : new int[] {2, 3}) {
            float[][] many = batchNormAtThreads(threads, x, gradY);
            for (int i = 0; i < one.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(one[i], many[i], "result " + i + " at " + threads + " threads");
            }
        }
    }

    /** Output, ∂L/∂x, ∂L/∂γ, ∂L/∂β of a training-mode batch norm at the given thread count. */
    private static float[][] batchNormAtThreads(int threads, Tensor x, Tensor gradY) {
        int saved = kindling.kernels.Threads.get();
        kindling.kernels.Threads.set(threads);
        try {
            Tensor input = x.detach().requiresGrad_();
            Tensor weight = Tensor.ones(8).add(Tensor.arange(8).mul(0.1f)).detach().requiresGrad_();
            Tensor bias = Tensor.arange(8).mul(-0.2f).detach().requiresGrad_();
            Tensor y = kindling.nn.functional.Normalization.batchNorm(input, null, null, weight, bias, true, 0.1, 1e-5);
            y.mul(gradY).sum().backward();
            return new float[][] {y.toArray(), input.grad().toArray(), weight.grad().toArray(), bias.grad().toArray()};
        } finally {
            kindling.kernels.Threads.set(saved);
        }
    }
}
