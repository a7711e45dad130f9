package kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** 10 examples: input i is the 2-vector (i, −i), target i. */
    private static TensorDataset tenExamples() {
        float[] inputs = new float[20];
        float[] targets = new float[10];
        for (int i = 0; i < 10; i++) {
            inputs[2 * i] = i;
            inputs[2 * i + 1] = -i;
            targets[i] = i;
        }
        return new TensorDataset(Tensor.wrap(inputs, 10, 2), Tensor.wrap(targets, 10));
    }

    private static List<Float> targetsOfOneEpoch(DataLoader loader) {
        List<Float> seen = new ArrayList<>();
        for (Batch batch : loader) {
            for (float t : batch.targets().toArray()) {
                seen.add(t);
            }
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(0f, batch.inputs().get(i, 0) + batch.inputs().get(i, 1), "inputs stay with their targets");
                assertEquals(batch.targets().get(i), batch.inputs().get(i, 0));
            }
        }
        return seen;
    }

    @Test
    void batchesInOrderKeepingTheLastPartialBatch() {
        DataLoader loader = DataLoader.builder(tenExamples()).batchSize(4).build();
        assertEquals(3, loader.numBatches());
        List<int[]> shapes = new ArrayList<>();
        for (Batch batch : loader) {
            shapes.add(batch.inputs().shape());
        }
        assertArrayEquals(new int[] {4, 2}, shapes.get(0));
        assertArrayEquals(new int[] {2, 2}, shapes.get(2));
        assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f), targetsOfOneEpoch(loader));
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader loader = DataLoader.builder(tenExamples()).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.numBatches());
        assertEquals(8, targetsOfOneEpoch(loader).size());
    }

    @Test
    void shufflingGivesANewOrderEachEpochAndTheSameSequenceForTheSameSeed() {
        DataLoader a = DataLoader.builder(tenExamples()).batchSize(3).shuffle(42).build();
        DataLoader b = DataLoader.builder(tenExamples()).batchSize(3).shuffle(42).build();
        List<Float> first = targetsOfOneEpoch(a);
        List<Float> second = targetsOfOneEpoch(a);
        assertEquals(10, new HashSet<>(first).size(), "every example exactly once");
        assertNotEquals(first, second, "a new order each epoch");
        assertEquals(first, targetsOfOneEpoch(b));
        assertEquals(second, targetsOfOneEpoch(b));
    }

    @Test
    void aTransformIsAppliedToEachInput() {
        DataLoader loader = DataLoader.builder(tenExamples()).batchSize(5).transform(x -> x.mul(2f)).build();
        Batch first = loader.iterator().next();
        assertArrayEquals(new float[] {0, 0, 2, -2, 4, -4, 6, -6, 8, -8}, first.inputs().toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, first.targets().toArray());
    }

    @Test
    void randomSplitGivesDisjointSubsetsOfTheRequestedSizes() {
        Subset[] parts = Datasets.randomSplit(tenExamples(), new int[] {7, 3}, 0);
        assertEquals(7, parts[0].size());
        assertEquals(3, parts[1].size());
        Set<Float> all = new HashSet<>();
        for (Subset part : parts) {
            for (int i = 0; i < part.size(); i++) {
                all.add(part.get(i).target().item());
            }
        }
        assertEquals(10, all.size());
        assertEquals("randomSplit: sizes add up to 9 but the data set has 10 examples",
                assertThrows(IllegalArgumentException.class,
                        () -> Datasets.randomSplit(tenExamples(), new int[] {7, 2}, 0)).getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("DataLoader: batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(tenExamples()).batchSize(0))
                        .getMessage());
        assertEquals("TensorDataset: inputs (3, 2) and targets (4,) must have the same size in dim 0",
                assertThrows(ShapeException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)))
                        .getMessage());
    }
}
