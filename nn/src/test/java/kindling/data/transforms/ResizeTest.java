package kindling.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import kindling.io.GoldenText;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden values from tools/golden/gen_data.py: F.interpolate(mode='bilinear', align_corners=False). */
class ResizeTest {
    private static Map<String, Tensor> golden;

    @BeforeAll
    static void load() throws IOException {
        golden = GoldenText.read("data.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"up_28_to_224x96", "up_28_to_96", "down_7_to_3", "down_28_to_14", "mixed_5x7_to_8x4",
            "same_4x6", "one_pixel_to_3x2"})
    void matchesPyTorchInterpolate(String name) {
        Tensor x = golden.get(name + "_x");
        Tensor expected = golden.get(name + "_out");
        Tensor out = new Resize(expected.size(1), expected.size(2)).apply(x);
        assertArrayEquals(expected.shape(), out.shape());
        float[] e = expected.toArray();
        float[] a = out.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5f, name + " at flat index " + i);
        }
    }

    @Test
    void doublingByHandAtHalfPixelCentres() {
        // 1×2 → 1×4: output column centres 0.5, 1.5, 2.5, 3.5 map to input −0.25 (clamped to 0), 0.25, 0.75, 1.25;
        // so weights of the right pixel 0, 0.25, 0.75, 1 (the last clamps to the last pixel).
        Tensor out = new Resize(1, 4).apply(Tensor.of(new float[] {0, 4}, 1, 1, 2));
        assertArrayEquals(new float[] {0, 1, 3, 4}, out.toArray(), 1e-6f);
    }

    @Test
    void inputIsNotChangedAndBadArgumentsAreRejected() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        new Resize(3, 3).apply(x);
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new Resize(0, 5));
        assertTrue(e.getMessage().contains("(0, 5)"), e.getMessage());
        var s = assertThrows(ShapeException.class, () -> new Resize(2, 2).apply(Tensor.zeros(4, 4)));
        assertTrue(s.getMessage().contains("(C, H, W)") && s.getMessage().contains("(4, 4)"), s.getMessage());
    }
}
