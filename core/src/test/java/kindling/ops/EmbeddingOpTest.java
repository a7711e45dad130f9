package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingOpTest {

    @Test
    void anEmptyIndexGivesAZeroGradientOfTheTablesShape() {
        // PyTorch: F.embedding(torch.empty(0, dtype=long), w).sum().backward() leaves w.grad zeros of w's shape
        Tensor table = Tensor.randn(new Generator(1), 4, 3).requiresGrad_();
        Tensor out = EmbeddingOp.apply("embedding", Tensor.of(new float[0], 0), table, -1);
        assertArrayEquals(new int[] {0, 3}, out.shape());
        out.sum().backward();
        assertArrayEquals(new int[] {4, 3}, table.grad().shape());
        assertArrayEquals(new float[12], table.grad().toArray());
    }
}
