package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BundledSubsetTest {
    private static int[] classCounts(Tensor labels) {
        int[] counts = new int[10];
        for (float label : labels.toArray()) {
            counts[(int) label]++;
        }
        return counts;
    }

    @Test
    void theSubsetHas600TrainingAnd100TestImagesPerClass() throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        assertArrayEquals(new int[] {6000, 1, 28, 28}, data.train().inputs().shape());
        assertArrayEquals(new int[] {1000, 1, 28, 28}, data.test().inputs().shape());
        int[] train = classCounts(data.train().targets());
        int[] test = classCounts(data.test().targets());
        for (int c = 0; c < 10; c++) {
            assertEquals(600, train[c], FashionMnist.CLASSES[c]);
            assertEquals(100, test[c], FashionMnist.CLASSES[c]);
        }
        float max = data.train().inputs().max().item();
        assertEquals(1f, max, "pixels scaled to [0, 1]");
    }
}
