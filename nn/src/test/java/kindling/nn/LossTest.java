package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import kindling.autograd.GradCheck;
import kindling.nn.functional.Losses;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossTest {
    private static final String[] X = {"x"};
    private static final String[] XY = {"x", "y"};
    private static final String[] APN = {"a", "p", "n"};
    private static final int IGNORE = Losses.DEFAULT_IGNORE_INDEX;

    /** A loss module on the case's x and target t (or y). */
    private static Function<Map<String, Tensor>, Tensor> on(Loss loss, String target) {
        return in -> loss.forward(in.get("x"), in.get(target));
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        LayerGolden.check("ce", on(new CrossEntropyLoss(), "t"), X, "t");
        LayerGolden.check("ce_none", on(new CrossEntropyLoss(null, IGNORE, Reduction.NONE, 0), "t"), X, "t");
        LayerGolden.check("ce_sum", on(new CrossEntropyLoss(null, IGNORE, Reduction.SUM, 0), "t"), X, "t");
        LayerGolden.check("ce_large", on(new CrossEntropyLoss(), "t"), X, "t");
        LayerGolden.check("ce_unbatched", on(new CrossEntropyLoss(), "t"), X, "t");
    }

    @Test
    void crossEntropyLabelSmoothingIgnoreIndexAndWeightsMatchPyTorch() {
        LayerGolden.check("ce_smooth", on(new CrossEntropyLoss(null, IGNORE, Reduction.MEAN, 0.1), "t"), X, "t");
        LayerGolden.check("ce_smooth_none", on(new CrossEntropyLoss(null, IGNORE, Reduction.NONE, 0.25), "t"), X, "t");
        LayerGolden.check("ce_ignore", on(new CrossEntropyLoss(), "t"), X, "t");
        LayerGolden.check("ce_ignore_smooth", on(new CrossEntropyLoss(null, IGNORE, Reduction.MEAN, 0.2), "t"), X, "t");
        LayerGolden.check("ce_ignore2_smooth_sum", on(new CrossEntropyLoss(null, 2, Reduction.SUM, 0.2), "t"), X, "t");
        LayerGolden.check("ce_spatial", on(new CrossEntropyLoss(null, IGNORE, Reduction.MEAN, 0.1), "t"), X, "t");
        LayerGolden.check("ce_weight", in -> new CrossEntropyLoss(in.get("cw"), IGNORE, Reduction.MEAN, 0)
                .forward(in.get("x"), in.get("t")), X, "t", "cw");
        LayerGolden.check("ce_weight_ignore_smooth", in -> new CrossEntropyLoss(in.get("cw"), IGNORE, Reduction.MEAN, 0.2)
                .forward(in.get("x"), in.get("t")), X, "t", "cw");
        LayerGolden.check("ce_weight_smooth_none", in -> new CrossEntropyLoss(in.get("cw"), IGNORE, Reduction.NONE, 0.2)
                .forward(in.get("x"), in.get("t")), X, "t", "cw");
    }

    @Test
    void crossEntropyWithClassProbabilitiesMatchesPyTorch() {
        LayerGolden.check("ce_prob", on(new CrossEntropyLoss(), "y"), XY);
        LayerGolden.check("ce_prob_weight_smooth_sum", in -> new CrossEntropyLoss(in.get("cw"), IGNORE, Reduction.SUM, 0.2)
                .forward(in.get("x"), in.get("y")), XY, "cw");
        LayerGolden.check("ce_prob_none", on(new CrossEntropyLoss(null, IGNORE, Reduction.NONE, 0.1), "y"), X, "y");
        LayerGolden.check("ce_prob_spatial", in -> new CrossEntropyLoss(in.get("cw"), IGNORE, Reduction.MEAN, 0)
                .forward(in.get("x"), in.get("y")), XY, "cw");
        LayerGolden.check("ce_prob_unbatched", on(new CrossEntropyLoss(null, IGNORE, Reduction.MEAN, 0.3), "y"), XY);
    }

    @Test
    void crossEntropyWithClassProbabilitiesRefusesAMismatchedTargetOrAnIgnoreIndex() {
        Tensor logits = Tensor.zeros(5, 4);
        assertEquals("CrossEntropyLoss: expected target (5,) of class indices or (5, 4) of class probabilities for "
                        + "input (5, 4) but got target (5, 3)",
                assertThrows(ShapeException.class, () -> Losses.crossEntropy(logits, Tensor.zeros(5, 3))).getMessage());
        assertEquals("CrossEntropyLoss: expected target () of class indices or (4,) of class probabilities for "
                        + "input (4,) but got target (3,)",
                assertThrows(ShapeException.class, () -> Losses.crossEntropy(Tensor.zeros(4), Tensor.zeros(3))).getMessage());
        assertEquals("CrossEntropyLoss: ignoreIndex 1 is not supported with class-probability targets (5, 4) "
                        + "(it must be negative: no class is ignored)",
                assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(null, 1, Reduction.MEAN, 0)
                        .forward(logits, Tensor.zeros(5, 4))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(null, 0, Reduction.MEAN, 0)
                .forward(logits, Tensor.zeros(5, 4)));
        assertEquals(new CrossEntropyLoss().forward(logits, Tensor.full(0.25f, 5, 4)).item(),        // −1: none ignored
                new CrossEntropyLoss(null, -1, Reduction.MEAN, 0).forward(logits, Tensor.full(0.25f, 5, 4)).item());
        assertThrows(ShapeException.class, () -> new CrossEntropyLoss(Tensor.ones(3), IGNORE, Reduction.MEAN, 0)
                .forward(logits, Tensor.zeros(5, 4)));
    }

    @Test
    void nllMatchesPyTorch() {
        LayerGolden.check("nll", on(new NLLLoss(), "t"), X, "t");
        LayerGolden.check("nll_weight_ignore", in -> new NLLLoss(in.get("cw"), IGNORE, Reduction.MEAN)
                .forward(in.get("x"), in.get("t")), X, "t", "cw");
        LayerGolden.check("nll_none", on(new NLLLoss(null, IGNORE, Reduction.NONE), "t"), X, "t");
    }

    @Test
    void regressionLossesMatchPyTorch() {
        LayerGolden.check("mse", on(new MSELoss(), "y"), XY);
        LayerGolden.check("mse_none", on(new MSELoss(Reduction.NONE), "y"), XY);
        LayerGolden.check("mse_sum", on(new MSELoss(Reduction.SUM), "y"), XY);
        LayerGolden.check("l1", on(new L1Loss(), "y"), XY);
        LayerGolden.check("l1_none", on(new L1Loss(Reduction.NONE), "y"), XY);
        LayerGolden.check("l1_sum", on(new L1Loss(Reduction.SUM), "y"), XY);
    }

    @Test
    void binaryCrossEntropyMatchesPyTorchIncludingTheClampAt0And1() {
        LayerGolden.check("bce", on(new BCELoss(), "y"), X, "y");
        LayerGolden.check("bce_weight_none", in -> new BCELoss(in.get("bw"), Reduction.NONE)
                .forward(in.get("x"), in.get("y")), X, "y", "bw");
        LayerGolden.check("bce_sum", on(new BCELoss(null, Reduction.SUM), "y"), X, "y");
    }

    @Test
    void binaryCrossEntropyWithLogitsMatchesPyTorchAtZeroAndLargeLogits() {
        LayerGolden.check("bce_logits", on(new BCEWithLogitsLoss(), "y"), XY);
        LayerGolden.check("bce_logits_none", on(new BCEWithLogitsLoss(null, Reduction.NONE, null), "y"), XY);
        LayerGolden.check("bce_logits_pos", in -> new BCEWithLogitsLoss(null, Reduction.MEAN, in.get("pw"))
                .forward(in.get("x"), in.get("y")), XY, "pw");
        LayerGolden.check("bce_logits_weight_pos_sum", in -> new BCEWithLogitsLoss(in.get("bw"), Reduction.SUM, in.get("pw"))
                .forward(in.get("x"), in.get("y")), X, "y", "bw", "pw");
    }

    @Test
    void tripletMarginMatchesPyTorch() {
        LayerGolden.check("triplet", in -> new TripletMarginLoss().forward(in.get("a"), in.get("p"), in.get("n")), APN);
        LayerGolden.check("triplet_none", in -> new TripletMarginLoss(2.0, 2, 1e-6, false, Reduction.NONE)
                .forward(in.get("a"), in.get("p"), in.get("n")), APN);
        LayerGolden.check("triplet_p1_swap", in -> new TripletMarginLoss(1.0, 1, 1e-6, true, Reduction.SUM)
                .forward(in.get("a"), in.get("p"), in.get("n")), APN);
        LayerGolden.check("triplet_p3_swap_none", in -> new TripletMarginLoss(1.5, 3, 1e-6, true, Reduction.NONE)
                .forward(in.get("a"), in.get("p"), in.get("n")), APN);
        LayerGolden.check("triplet_1d", in -> new TripletMarginLoss(3.0, 2, 1e-6, false, Reduction.MEAN)
                .forward(in.get("a"), in.get("p"), in.get("n")), APN);
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad_();
    }

    private static void assertGradcheck(GradCheck.Result r) {
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void crossEntropyWithClassProbabilitiesPassesTheGradientCheckInBothInputs() {
        Tensor logits = randn(5, 3, 4);
        Tensor probabilities = randn(6, 3, 4).softmax(1).detach().requiresGrad_();     // a leaf, rows sum to 1
        Tensor weight = Tensor.of(new float[] {0.5f, 1f, 2f, 1.5f}, 4);
        assertGradcheck(GradCheck.check(in -> new CrossEntropyLoss(weight, IGNORE, Reduction.MEAN, 0.2)
                .forward(in[0], in[1]), logits, probabilities));
        Tensor spatial = randn(7, 2, 3, 2);
        Tensor spatialTarget = randn(8, 2, 3, 2).softmax(1).detach().requiresGrad_();
        assertGradcheck(GradCheck.check(in -> new CrossEntropyLoss(null, IGNORE, Reduction.SUM, 0)
                .forward(in[0], in[1]), spatial, spatialTarget));
    }

    @Test
    void gradchecks() {
        Tensor logits = randn(1, 3, 4);
        Tensor target = Tensor.of(new float[] {2, IGNORE, 0}, 3);
        Tensor weight = Tensor.of(new float[] {0.5f, 1f, 2f, 1.5f}, 4);
        assertGradcheck(GradCheck.check(in -> new CrossEntropyLoss(weight, IGNORE, Reduction.MEAN, 0.2)
                .forward(in[0], target), logits));
        Tensor spatial = randn(2, 2, 3, 2);
        Tensor spatialTarget = Tensor.of(new float[] {0, 2, 1, 1}, 2, 2);
        assertGradcheck(GradCheck.check(in -> new CrossEntropyLoss().forward(in[0], spatialTarget), spatial));
        assertGradcheck(GradCheck.check(in -> new NLLLoss(weight, IGNORE, Reduction.SUM)
                .forward(in[0].logSoftmax(1), target), logits));
        Tensor x = randn(3, 2, 3);
        Tensor y = randn(4, 2, 3);
        assertGradcheck(GradCheck.check(in -> new MSELoss().forward(in[0], in[1]), x, y));
        // |x − y| has a kink at 0: keep every difference ≥ 0.5, far beyond the step h = 0.01
        float[] apart = x.toArray();
        for (int i = 0; i < apart.length; i++) {
            apart[i] += i % 2 == 0 ? 0.5f : -0.7f;
        }
        Tensor yApart = Tensor.of(apart, 2, 3).requiresGrad_();
        assertGradcheck(GradCheck.check(in -> new L1Loss(Reduction.SUM).forward(in[0], in[1]), x, yApart));
        // the same tensor as input and (shifted) target: both uses contribute
        assertGradcheck(GradCheck.check(in -> new MSELoss().forward(in[0], in[0].mul(0.5f).add(1f)), x));
        Tensor labels = Tensor.of(new float[] {1, 0, 0.3f, 1, 1, 0}, 2, 3);
        Tensor probabilities = Tensor.of(new float[] {0.2f, 0.7f, 0.5f, 0.9f, 0.35f, 0.6f}, 2, 3).requiresGrad_();
        assertGradcheck(GradCheck.check(in -> new BCELoss().forward(in[0], labels), 1e-3, 1e-2, 1e-2,
                probabilities));
        Tensor soft = Tensor.rand(new Generator(5), 2, 3).requiresGrad_();
        Tensor posWeight = Tensor.of(new float[] {0.5f, 2f, 3f}, 3);
        assertGradcheck(GradCheck.check(in -> new BCEWithLogitsLoss(null, Reduction.MEAN, posWeight)
                .forward(in[0], in[1]), x, soft));
        Tensor a = randn(6, 3, 4);
        Tensor p = randn(7, 3, 4);
        Tensor n = randn(8, 3, 4);
        assertGradcheck(GradCheck.check(in -> new TripletMarginLoss(3.0, 2, 1e-6, true, Reduction.MEAN)
                .forward(in[0], in[1], in[2]), a, p, n));
        assertGradcheck(GradCheck.check(in -> new TripletMarginLoss(3.0, 3, 1e-6, false, Reduction.NONE)
                .forward(in[0], in[1], in[2]), a, p, n));
    }

    @Test
    void errorsNameTheLossTheValueAndTheShapes() {
        Tensor logits = Tensor.zeros(5, 4);
        ShapeException shape = assertThrows(ShapeException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.zeros(5, 2)));
        assertEquals("CrossEntropyLoss: expected target (5,) of class indices or (5, 4) of class probabilities for "
                + "input (5, 4) but got target (5, 2)", shape.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.of(new float[] {0, 1, 7, 2, 3}, 5)));
        assertEquals("CrossEntropyLoss: class index 7 is out of range for C=4 (expected 0 <= index < 4, "
                + "or ignoreIndex=-100)", range.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new NLLLoss().forward(logits, Tensor.of(new float[] {0, 1, -1, 2, 3}, 5)));
        assertThrows(IllegalArgumentException.class,
                () -> new NLLLoss().forward(logits, Tensor.of(new float[] {0, 1, 1.5f, 2, 3}, 5)));
        shape = assertThrows(ShapeException.class, () -> new MSELoss().forward(Tensor.zeros(3, 4), Tensor.zeros(3, 2)));
        assertEquals("MSELoss: target shape (3, 2) does not match input shape (3, 4)", shape.getMessage());
        shape = assertThrows(ShapeException.class,
                () -> new BCEWithLogitsLoss().forward(Tensor.zeros(3), Tensor.zeros(3, 1)));
        assertTrue(shape.getMessage().startsWith("BCEWithLogitsLoss: target shape (3, 1)"), shape.getMessage());
        IllegalArgumentException probability = assertThrows(IllegalArgumentException.class,
                () -> new BCELoss().forward(Tensor.full(1.5f, 2), Tensor.zeros(2)));
        assertTrue(probability.getMessage().contains("1.5"), probability.getMessage());
        shape = assertThrows(ShapeException.class,
                () -> new TripletMarginLoss().forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
        assertTrue(shape.getMessage().contains("(2, 4)"), shape.getMessage());
    }

    @Test
    void constructorArgumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(null, IGNORE, Reduction.MEAN, 1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TripletMarginLoss(0.0, 2, 1e-6, false, Reduction.MEAN));
        assertTrue(e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TripletMarginLoss(1.0, -1, 1e-6, false, Reduction.MEAN));
        assertThrows(IllegalArgumentException.class, () -> new MSELoss(null));
        assertThrows(UnsupportedOperationException.class, () -> new MSELoss().forward(Tensor.zeros(2)));
    }

    @Test
    void allTargetsIgnoredGivesNaNForTheMeanAsPyTorch() {
        Tensor loss = new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.full(IGNORE, 2));
        assertTrue(Float.isNaN(loss.item()), "0/0 mean, as PyTorch 1.13, got " + loss.item());
    }
}
