package kindling.examples.triplet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PKSamplerTest {
    /** 5 classes, 10 images each, interleaved: image i has class i % 5. */
    private static int[] labels() {
        int[] labels = new int[50];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5;
        }
        return labels;
    }

    @Test
    void everyBatchHasPDistinctClassesWithKDistinctImagesEach() {
        int[] labels = labels();
        PKSampler sampler = new PKSampler(labels, 3, 4, 7);
        assertEquals(12, sampler.batchSize());
        int[] seen = new int[labels.length];
        for (int b = 0; b < 50; b++) {
            int[] batch = sampler.next();
            assertEquals(12, batch.length);
            Set<Integer> classes = new HashSet<>();
            for (int slot = 0; slot < 3; slot++) {
                int c = labels[batch[slot * 4]];
                assertTrue(classes.add(c), "class " + c + " twice in batch " + Arrays.toString(batch));
                Set<Integer> images = new HashSet<>();
                for (int j = 0; j < 4; j++) {
                    int image = batch[slot * 4 + j];
                    assertEquals(c, labels[image], "image " + image + " in the block of class " + c);
                    assertTrue(images.add(image), "image " + image + " twice in batch " + Arrays.toString(batch));
                    seen[image]++;
                }
            }
        }
        for (int image = 0; image < labels.length; image++) {
            assertTrue(seen[image] > 0, "image " + image + " never drawn in 50 batches");
        }
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
        PKSampler a = new PKSampler(labels(), 2, 3, 42);
        PKSampler b = new PKSampler(labels(), 2, 3, 42);
        PKSampler c = new PKSampler(labels(), 2, 3, 43);
        boolean differs = false;
        for (int i = 0; i < 10; i++) {
            int[] batch = a.next();
            assertArrayEquals(batch, b.next());
            differs |= !Arrays.equals(batch, c.next());
        }
        assertTrue(differs, "seeds 42 and 43 gave the same 10 batches");
    }

    @Test
    void classesWithFewerThanKImagesAreNeverDrawn() {
        int[] labels = {0, 0, 0, 1, 2, 2, 2};             // class 1 has one image
        PKSampler sampler = new PKSampler(labels, 2, 3, 0);
        for (int i = 0; i < 20; i++) {
            for (int image : sampler.next()) {
                assertFalse(labels[image] == 1, "class 1 has fewer than k = 3 images");
            }
        }
    }

    @Test
    void badArgumentsNameTheValue() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new PKSampler(labels(), 6, 2, 0));
        assertTrue(tooMany.getMessage().contains("p = 6 classes per batch, but only 5 classes"), tooMany.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new PKSampler(labels(), 2, 0, 0));
        assertTrue(k.getMessage().contains("got 0"), k.getMessage());
    }
}
