package kindling.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import kindling.data.Transform;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformsTest {
    /** (2, 3, 4) with x[c, h, w] = 100c + 10h + w + 1, so every value names its position. */
    private static Tensor image() {
        float[] x = new float[24];
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    x[(c * 3 + h) * 4 + w] = 100 * c + 10 * h + w + 1;
                }
            }
        }
        return Tensor.of(x, 2, 3, 4);
    }

    @Test
    void normalizePerChannel() {
        Tensor out = new Normalize(new float[] {1, 101}, new float[] {2, 4}).apply(image());
        assertEquals(0f, out.get(0, 0, 0));
        assertEquals((23f - 1) / 2, out.get(0, 2, 2));
        assertEquals((123f - 101) / 4, out.get(1, 2, 2));
        Tensor single = new Normalize(new float[] {1}, new float[] {10}).apply(image());
        assertEquals((101f - 1) / 10, single.get(1, 0, 0));
        var s = assertThrows(ShapeException.class,
                () -> new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1}).apply(image()));
        assertTrue(s.getMessage().contains("(2, 3, 4)"), s.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
        assertTrue(e.getMessage().contains("[0.0]"), e.getMessage());
    }

    @Test
    void randomCropTakesTheWindowAtTheDrawnOffsets() {
        long seed = 11;
        Generator replay = new Generator(seed);
        RandomCrop crop = new RandomCrop(2, 3, 1, new Generator(seed));   // padded image 5×6
        for (int trial = 0; trial < 20; trial++) {
            int top = replay.nextInt(5 - 2 + 1);
            int left = replay.nextInt(6 - 3 + 1);
            Tensor out = crop.apply(image());
            assertArrayEquals(new int[] {2, 2, 3}, out.shape());
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        int h = top + i - 1;
                        int w = left + j - 1;
                        float expected = h < 0 || h >= 3 || w < 0 || w >= 4 ? 0 : 100 * c + 10 * h + w + 1;
                        assertEquals(expected, out.get(c, i, j), "trial " + trial + " at " + c + "," + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void randomCropReachesEveryOffsetAndAFullSizeCropWithoutPaddingIsTheImage() {
        RandomCrop crop = new RandomCrop(3, 4, 2, new Generator(0));      // offsets 0..4 × 0..4
        Set<Float> corners = new HashSet<>();
        for (int trial = 0; trial < 400; trial++) {
            Tensor out = crop.apply(image());
            corners.add(out.get(0, 0, 0) + 1000 * out.get(1, 2, 3));   // the two corners identify the offset
        }
        assertTrue(corners.size() > 15, "only " + corners.size() + " distinct crops");
        Tensor same = new RandomCrop(3, 4, 0, new Generator(3)).apply(image());
        assertArrayEquals(image().toArray(), same.toArray());
        var s = assertThrows(ShapeException.class, () -> new RandomCrop(6, 1, new Generator(0)).apply(image()));
        assertTrue(s.getMessage().contains("(2, 3, 4)"), s.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(3, -1, new Generator(0)));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void horizontalFlipMirrorsWhenTheDrawIsBelowP() {
        Generator replay = new Generator(5);
        RandomHorizontalFlip flip = new RandomHorizontalFlip(0.5f, new Generator(5));
        int flipped = 0;
        for (int trial = 0; trial < 50; trial++) {
            boolean expectFlip = replay.nextFloat() < 0.5f;
            Tensor out = flip.apply(image());
            assertEquals(expectFlip ? 4f : 1f, out.get(0, 0, 0));
            assertEquals(expectFlip ? 121f : 124f, out.get(1, 2, 3));
            assertEquals(expectFlip ? 102f : 103f, out.get(1, 0, 2));
            flipped += expectFlip ? 1 : 0;
        }
        assertTrue(flipped > 10 && flipped < 40, flipped + " of 50 flipped");
        float[] odd = {1, 2, 3};
        RandomHorizontalFlip.flipRows(odd, 1, 3);
        assertArrayEquals(new float[] {3, 2, 1}, odd);
        assertArrayEquals(image().toArray(), new RandomHorizontalFlip(0f, new Generator(1)).apply(image()).toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip(1.5f, new Generator(1)));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void composeAppliesLeftToRight() {
        Transform addOne = x -> x.add(1f);
        Transform twice = x -> x.mul(2f);
        Tensor x = Tensor.of(new float[] {1}, 1, 1, 1);
        assertEquals(4f, Transform.compose(addOne, twice).apply(x).item());
        assertEquals(3f, twice.andThen(addOne).apply(x).item());
        assertEquals(1f, Transform.compose().apply(x).item());
    }
}
