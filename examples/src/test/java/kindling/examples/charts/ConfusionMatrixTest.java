package kindling.examples.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.NoGrad;
import kindling.data.Batch;
import kindling.data.Batches;
import kindling.nn.Linear;
import kindling.tensor.Tensor;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsTruePredictedPairsWithTrueClassesAsRows() {
        // true:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        ConfusionMatrix m = ConfusionMatrix.of(3, new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2});
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(0, m.count(1, 0));
        assertEquals(1, m.count(1, 2));
        assertEquals(0, m.count(2, 1));
        assertEquals(6, m.total());
        assertEquals(2, m.max());
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.recall(0), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(1.0, m.recall(2), 1e-12);
        assertEquals("true\\pred      0      1      2\n        0      2      1      0\n"
                + "        1      0      1      1\n        2      0      0      1",
                m.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("true \\ predicted      0      1      2\n0 cat                 2      1      0\n"
                + "1 dog                 0      1      1\n2 axolotl             0      0      1",
                m.toString(new String[] {"cat", "dog", "axolotl"}).replace(System.lineSeparator(), "\n"));
        assertThrows(IllegalArgumentException.class, () -> m.toString(new String[] {"cat", "dog"}));
    }

    @Test
    void anEmptyClassHasNoRecallAndAnEmptyMatrixNoAccuracy() {
        ConfusionMatrix m = ConfusionMatrix.of(3, new int[] {0, 2}, new int[] {1, 2});
        assertEquals(0.0, m.recall(0), 0.0);
        assertTrue(Double.isNaN(m.recall(1)), "class 1 never occurs: 0 / 0");
        assertEquals(0.5, m.accuracy(), 0.0);
        assertTrue(Double.isNaN(new ConfusionMatrix(2).accuracy()));
    }

    @Test
    void misclassifiedListsTheWrongIndicesInOrderUpToTheLimit() {
        // index:     0  1  2  3  4  5
        // true:      0  1  2  3  1  0
        // predicted: 1  1  0  3  2  0      wrong at 0, 2, 4
        Predictions p = new Predictions(new int[] {0, 1, 2, 3, 1, 0}, new int[] {1, 1, 0, 3, 2, 0});
        assertEquals(6, p.size());
        assertArrayEquals(new int[] {0, 2, 4}, p.misclassified(10));
        assertArrayEquals(new int[] {0, 2}, p.misclassified(2));
        ConfusionMatrix m = p.confusionMatrix(4);
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals(0.5, m.recall(0), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(0.0, m.recall(2), 0.0);
        assertEquals(1.0, m.recall(3), 0.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Predictions(new int[2], new int[3]))
                .getMessage().contains("2 targets but 3 predictions"));
    }

    @Test
    void badArgumentsNameTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0))
                .getMessage().contains("got 0"));
        ConfusionMatrix m = new ConfusionMatrix(10);
        String message = assertThrows(IllegalArgumentException.class, () -> m.add(3, 10)).getMessage();
        assertTrue(message.contains("predicted 10"), message);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(2, new int[3], new int[2]))
                .getMessage().contains("3 targets but 2 predictions"));
    }

    @Test
    void predictionsTakeTheArgmaxOverBatchesAndFindTheMistakes() {
        // A fixed linear "classifier" whose logits are its inputs: the prediction is the largest input.
        Linear identity = new Linear(3, 3);
        try (NoGrad ignored = NoGrad.enter()) {
            identity.weight.copy_(Tensor.eye(3));
            identity.bias.copy_(Tensor.zeros(3));
        }
        Batch first = new Batch(Tensor.of(new float[][] {{1, 0, 0}, {0, 2, 1}}), Tensor.of(new float[] {0, 2}, 2));
        Batch second = new Batch(Tensor.of(new float[][] {{0, 0, 5}}), Tensor.of(new float[] {2}, 1));
        Batches data = new Batches() {
            @Override
            public int numBatches() {
                return 2;
            }

            @Override
            public Iterator<Batch> iterator() {
                return List.of(first, second).iterator();
            }
        };
        Predictions p = Predictions.of(identity, data);
        assertArrayEquals(new int[] {0, 2, 2}, p.targets());
        assertArrayEquals(new int[] {0, 1, 2}, p.predicted());
        assertArrayEquals(new int[] {1}, p.misclassified(32));
        assertArrayEquals(new int[0], p.misclassified(0));
        assertEquals(1, p.confusionMatrix(3).count(2, 1));
        assertTrue(identity.isTraining(), "the model's training flag is restored");
    }
}
