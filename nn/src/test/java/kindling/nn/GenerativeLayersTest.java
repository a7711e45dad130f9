package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** SiLU, GroupNorm, Upsample and SinusoidalTimeEmbedding against PyTorch, by gradient check and by hand. */
class GenerativeLayersTest {
    private static final GoldenCases GOLDEN = GoldenCases.GENERATIVE;

    private static GroupNorm withDrawnParameters(String name, GroupNorm layer) {
        layer.weight.detach().copy_(GOLDEN.get(name + "_weight"));
        layer.bias.detach().copy_(GOLDEN.get(name + "_bias"));
        return layer;
    }

    @Test
    void siluMatchesPyTorch() {
        GOLDEN.check("silu", new SiLU());
    }

    @Test
    void groupNormMatchesPyTorch() {
        GOLDEN.check("groupnorm", withDrawnParameters("groupnorm", new GroupNorm(2, 4)));
        GOLDEN.check("groupnorm_one_group", withDrawnParameters("groupnorm_one_group", new GroupNorm(1, 6)));
        GOLDEN.check("groupnorm_per_channel", withDrawnParameters("groupnorm_per_channel", new GroupNorm(3, 3)));
        GOLDEN.check("groupnorm_2d", withDrawnParameters("groupnorm_2d", new GroupNorm(2, 6, 1e-3, true)));
        GOLDEN.check("groupnorm_noaffine", new GroupNorm(4, 8, 1e-5, false));
        GOLDEN.check("groupnorm_unet", withDrawnParameters("groupnorm_unet", new GroupNorm(8, 32)));
    }

    @Test
    void upsampleMatchesPyTorch() {
        GOLDEN.check("upsample_nearest2", new Upsample(2));
        GOLDEN.check("upsample_nearest3", new Upsample(3));
        GOLDEN.check("upsample_nearest1_5", new Upsample(1.5));
        GOLDEN.check("upsample_bilinear2", new Upsample(2, "bilinear"));
        GOLDEN.check("upsample_bilinear1_5", new Upsample(1.5, "bilinear"));
        GOLDEN.check("upsample_bilinear2_corners", new Upsample(2, "bilinear", true));
    }

    @Test
    void timeEmbeddingMatchesTheFormula() {
        GOLDEN.check("time_embedding8", new SinusoidalTimeEmbedding(8));
        GOLDEN.check("time_embedding6_plain", new SinusoidalTimeEmbedding(6, 100, 1));
    }

    @Test
    void timeEmbeddingByHand() {
        // d = 4, P = 100, s = 1: ω = (1, 100^(−1/2)) = (1, 0.1); at t = 2: [sin 2, sin 0.2, cos 2, cos 0.2]
        Tensor e = new SinusoidalTimeEmbedding(4, 100, 1).forward(Tensor.of(new float[] {2f}, 1, 1));
        assertArrayEquals(new int[] {1, 4}, e.shape());
        assertArrayEquals(new float[] {(float) Math.sin(2), (float) Math.sin(0.2), (float) Math.cos(2), (float) Math.cos(0.2)},
                e.toArray(), 1e-6f);
        assertTrue(new SinusoidalTimeEmbedding(16).stateDict().isEmpty(), "no parameters, no buffers");
    }

    @Test
    void gradchecks() {
        Generator g = new Generator(7);
        Tensor x = Tensor.randn(g, 2, 4, 3, 3).requiresGrad_();
        GroupNorm norm = new GroupNorm(2, 4);
        norm.weight.detach().copy_(Tensor.randn(g, 4));
        norm.bias.detach().copy_(Tensor.randn(g, 4));
        GradCheck.Result r = GradCheck.check(in -> norm.forward(in[0]), x, norm.weight, norm.bias);
        assertTrue(r.passed(), "GroupNorm: " + r);
        // x used twice: the normalised value times x itself
        Tensor y = Tensor.randn(g, 3, 6, 2).requiresGrad_();
        GroupNorm plain = new GroupNorm(3, 6, 1e-5, false);
        r = GradCheck.check(in -> plain.forward(in[0]).mul(in[0]), y);
        assertTrue(r.passed(), "GroupNorm without affine, input used twice: " + r);

        Tensor s = Tensor.randn(g, 3, 4).requiresGrad_();
        r = GradCheck.check(in -> new SiLU().forward(in[0]), s);
        assertTrue(r.passed(), "SiLU: " + r);

        Tensor u = Tensor.randn(g, 1, 2, 3, 4).requiresGrad_();
        for (Upsample up : List.of(new Upsample(2), new Upsample(1.5), new Upsample(2, "bilinear"),
                new Upsample(1.5, "bilinear"), new Upsample(3, "bilinear", true))) {
            r = GradCheck.check(in -> up.forward(in[0]), u);
            assertTrue(r.passed(), up + ": " + r);
        }
        Tensor t = Tensor.rand(g, 5).requiresGrad_();
        SinusoidalTimeEmbedding embedding = new SinusoidalTimeEmbedding(6, 100, 1);
        r = GradCheck.check(in -> embedding.forward(in[0]), 1e-3, 1e-2, 1e-2, t);
        assertTrue(r.passed(), "SinusoidalTimeEmbedding: " + r);
    }

    @Test
    void nearestUpsampleCopiesEachPixelIntoABlock() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                new Upsample(2).forward(x).toArray());
        Tensor line = Tensor.of(new float[] {5, 7}, 1, 1, 2);
        assertArrayEquals(new float[] {5, 5, 5, 7, 7, 7}, new Upsample(3).forward(line).toArray());
    }

    @Test
    void reprsAndStateDictKeysAsPyTorch() {
        Sequential all = new Sequential(new GroupNorm(2, 4), new SiLU(), new Upsample(2), new Upsample(2.5, "bilinear"),
                new GroupNorm(1, 3, 1e-6, false));
        // print(...) of the same nn.Sequential in PyTorch 1.13
        assertEquals("Sequential(\n"
                + "  (0): GroupNorm(2, 4, eps=1e-05, affine=True)\n"
                + "  (1): SiLU()\n"
                + "  (2): Upsample(scale_factor=2.0, mode=nearest)\n"
                + "  (3): Upsample(scale_factor=2.5, mode=bilinear)\n"
                + "  (4): GroupNorm(1, 3, eps=1e-06, affine=False)\n"
                + ")", all.toString());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(all.stateDict().keySet()));
    }

    @Test
    void badArgumentsAndShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 8));
        assertTrue(e.getMessage().contains("numChannels=8") && e.getMessage().contains("numGroups=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0, 8));
        e = assertThrows(IllegalArgumentException.class, () -> new Upsample(2, "bicubic"));
        assertTrue(e.getMessage().contains("bicubic"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(-1));
        assertThrows(IllegalArgumentException.class, () -> new Upsample(2, "nearest", true));
        e = assertThrows(IllegalArgumentException.class, () -> new SinusoidalTimeEmbedding(7));
        assertTrue(e.getMessage().contains("7"), e.getMessage());

        ShapeException s = assertThrows(ShapeException.class, () -> new GroupNorm(2, 4).forward(Tensor.zeros(2, 3, 5, 5)));
        assertTrue(s.getMessage().contains("GroupNorm") && s.getMessage().contains("(2, 3, 5, 5)"), s.getMessage());
        s = assertThrows(ShapeException.class, () -> new Upsample(2, "bilinear").forward(Tensor.zeros(2, 3, 5)));
        assertTrue(s.getMessage().contains("Upsample") && s.getMessage().contains("(2, 3, 5)"), s.getMessage());
        s = assertThrows(ShapeException.class, () -> new SinusoidalTimeEmbedding(8).forward(Tensor.zeros(4, 2)));
        assertTrue(s.getMessage().contains("(4, 2)"), s.getMessage());
    }
}
