package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class JoinTest {
    private static final Generator RNG = new Generator(11);

    private static Tensor leaf(int... shape) {
        return Tensor.randn(RNG, shape).requiresGrad_();
    }

    private static void assertGradCheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.check(f, inputs);
        assertTrue(result.passed(), result.toString());
    }

    private static int[] sizes(List<Tensor> pieces, int dim) {
        int[] out = new int[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pieces.get(i).size(dim);
        }
        return out;
    }

    // ---- cat and stack ----

    @Test
    void gradCheckCatOfThreeOnFirstAndLastDim() {
        assertGradCheck(in -> Tensor.cat(0, in[0], in[1], in[2]), leaf(2, 3), leaf(1, 3), leaf(3, 3));
        assertGradCheck(in -> Tensor.cat(-1, in[0], in[1], in[2]), leaf(2, 1), leaf(2, 3), leaf(2, 2));
    }

    @Test
    void gradCheckCatOfATensorWithItselfAndAView() {
        Tensor x = leaf(2, 3);
        assertGradCheck(in -> Tensor.cat(List.of(in[0], in[0].t().t(), in[0].narrow(1, 1, 2)), 1), x);
    }

    @Test
    void gradCheckStackOfThreeOnFirstAndLastDim() {
        assertGradCheck(in -> Tensor.stack(0, in[0], in[1], in[2]), leaf(2, 3), leaf(2, 3), leaf(2, 3));
        assertGradCheck(in -> Tensor.stack(-1, in[0], in[1], in[0]), leaf(2, 3), leaf(2, 3));
    }

    @Test
    void catAndStackPlaceTheValues() {
        Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new float[][] {{5}, {6}});
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, Tensor.cat(1, a, b).toArray());
        assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.cat(0, a.t()).toArray());
        Tensor s = Tensor.stack(List.of(Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {3, 4})), 1);
        assertArrayEquals(new int[] {2, 2}, s.shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, s.toArray());
    }

    @Test
    void catOfEmptyBlocksHasZeroGradients() {
        Tensor a = Tensor.zeros(0, 2).requiresGrad_();
        Tensor b = Tensor.zeros(0, 3).requiresGrad_();
        Tensor c = Tensor.cat(1, a, b);
        assertArrayEquals(new int[] {0, 5}, c.shape());
        c.sum().backward();
        assertArrayEquals(new int[] {0, 3}, b.grad().shape());
    }

    @Test
    void catWithMismatchedShapesNamesEveryShape() {
        ShapeException error = assertThrows(ShapeException.class,
                () -> Tensor.cat(0, Tensor.ones(2, 3), Tensor.ones(2, 4)));
        assertEquals("cat: tensor 1 has shape (2, 4) but tensor 0 has (2, 3); sizes must match except in dim 0",
                error.getMessage());
        error = assertThrows(ShapeException.class, () -> Tensor.cat(-1, Tensor.ones(2, 3), Tensor.ones(2)));
        assertEquals("cat: tensor 1 has shape (2,) but tensor 0 has (2, 3); sizes must match except in dim 1",
                error.getMessage());
        error = assertThrows(ShapeException.class, () -> Tensor.cat(0, Tensor.scalar(1)));
        assertTrue(error.getMessage().startsWith("cat: tensor 0 has shape ()"), error.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(), 0));
        assertEquals("cat: expects at least one tensor, got an empty list", empty.getMessage());
        IllegalArgumentException badDim = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(2, Tensor.ones(2, 3)));
        assertEquals("cat: dim 2 is out of range for a tensor with 2 dims (expected -2 to 1)", badDim.getMessage());
    }

    @Test
    void stackWithDifferentShapesNamesThem() {
        ShapeException error = assertThrows(ShapeException.class,
                () -> Tensor.stack(0, Tensor.ones(2, 3), Tensor.ones(2, 3), Tensor.ones(3, 2)));
        assertEquals("stack: tensor 2 has shape (3, 2) but tensor 0 has (2, 3); all shapes must be equal",
                error.getMessage());
    }

    // ---- split and chunk ----

    @Test
    void chunkFollowsPyTorchSizing() {
        assertArrayEquals(new int[] {2, 2, 1}, sizes(Tensor.zeros(5).chunk(4, 0), 0));    // fewer chunks
        assertArrayEquals(new int[] {2, 2, 2}, sizes(Tensor.zeros(6).chunk(4, 0), 0));
        assertArrayEquals(new int[] {3, 3}, sizes(Tensor.zeros(2, 6).chunk(2, -1), 1));
        assertArrayEquals(new int[] {1, 1}, sizes(Tensor.zeros(2).chunk(3, 0), 0));
        assertArrayEquals(new int[] {0, 0, 0}, sizes(Tensor.zeros(0).chunk(3, 0), 0));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(4).chunk(0, 0));
        assertEquals("chunk: chunks must be positive, got 0", error.getMessage());
    }

    @Test
    void splitBySizeAndBySizes() {
        Tensor x = Tensor.arange(10).reshape(2, 5);
        List<Tensor> pieces = x.split(2, 1);
        assertArrayEquals(new int[] {2, 2, 1}, sizes(pieces, 1));
        assertArrayEquals(new float[] {2, 3, 7, 8}, pieces.get(1).toArray());
        assertArrayEquals(new int[] {1, 0, 4}, sizes(x.split(new int[] {1, 0, 4}, -1), 1));
        assertArrayEquals(new int[] {0}, sizes(Tensor.zeros(0, 3).split(2, 0), 0));
        assertArrayEquals(new int[] {2, 1}, sizes(Tensor.zeros(0, 3).split(2, 1), 1));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> x.split(new int[] {1, 2}, 1));
        assertEquals("split: sizes (1, 2) add up to 3 but dim 1 of (2, 5) has size 5", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> x.split(0, 1));
        assertEquals("split: splitSize must be positive, got 0", error.getMessage());
    }

    @Test
    void splitPiecesAreViewsThatCarryGradients() {
        Tensor x = Tensor.arange(6).requiresGrad_();
        List<Tensor> pieces = x.split(new int[] {2, 4}, 0);
        assertSame(x.storage(), pieces.get(1).storage());
        pieces.get(1).mul(Tensor.full(3f, 4)).sum().backward();
        assertArrayEquals(new float[] {0, 0, 3, 3, 3, 3}, x.grad().toArray());
        assertGradCheck(in -> in[0].chunk(3, 1).get(2).mul(in[0].chunk(3, 1).get(0)), leaf(2, 5));
    }

    // ---- indexSelect, gather, scatterAdd ----

    @Test
    void gradCheckIndexSelectWithRepeatedIndices() {
        Tensor index = Tensor.of(new float[] {2, 0, 2, 2});
        assertGradCheck(in -> in[0].indexSelect(0, index), leaf(3, 4));
        assertGradCheck(in -> in[0].indexSelect(-1, index), leaf(2, 3));
        assertGradCheck(in -> in[0].indexSelect(1, index.narrow(0, 0, 2)).mul(in[0].narrow(1, 1, 2)), leaf(2, 3));
    }

    @Test
    void indexSelectAccumulatesRepeatedRows() {
        Tensor table = Tensor.zeros(3, 2).requiresGrad_();
        table.indexSelect(0, Tensor.of(new float[] {1, 1, 2, 1})).sum().backward();
        assertArrayEquals(new float[] {0, 0, 3, 3, 1, 1}, table.grad().toArray());
    }

    @Test
    void gradCheckGatherOnDimZeroAndOne() {
        Tensor rows = Tensor.of(new float[] {2, 0, 1, 2, 2, 0}, 2, 3);
        assertGradCheck(in -> in[0].gather(0, rows), leaf(3, 4));
        Tensor cols = Tensor.of(new float[] {3, 0, 3, 1, 1, 2, 2, 2, 0, 1}, 2, 5);
        assertGradCheck(in -> in[0].gather(1, cols), leaf(2, 4));
        assertGradCheck(in -> in[0].gather(1, cols).mul(in[0].gather(1, cols.narrow(1, 1, 4)).sum(1, true)),
                leaf(2, 4));
    }

    @Test
    void gradCheckScatterAddOnDimZeroAndOne() {
        Tensor rows = Tensor.of(new float[] {0, 1, 0, 0, 2, 0}, 2, 3);
        assertGradCheck(in -> in[0].scatterAdd(0, rows, in[1]), leaf(3, 3), leaf(2, 3));
        Tensor cols = Tensor.of(new float[] {1, 1, 0, 3, 2, 0, 0, 0}, 2, 4);
        assertGradCheck(in -> in[0].scatterAdd(1, cols, in[1]), leaf(2, 4), leaf(2, 4));
        assertGradCheck(in -> in[0].scatterAdd(1, cols.narrow(1, 0, 2), in[0].mul(in[0])), leaf(2, 4));
    }

    @Test
    void scatterAddUsesOnlyTheIndexShapedPartOfSrc() {
        Tensor src = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4).requiresGrad_();
        Tensor index = Tensor.of(new float[] {0, 2, 1, 1}, 2, 2);
        Tensor y = Tensor.zeros(2, 3).scatterAdd(1, index, src);
        assertArrayEquals(new float[] {1, 0, 2, 0, 11, 0}, y.toArray());
        y.mul(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertArrayEquals(new float[] {1, 3, 0, 0, 5, 5, 0, 0}, src.grad().toArray());
    }

    @Test
    void nonIntegralAndOutOfRangeIndicesNameTheValueAndRange() {
        Tensor x = Tensor.ones(3, 4);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> x.indexSelect(0, Tensor.of(new float[] {0, 1.5f})));
        assertEquals("indexSelect: index 1.5 is not an integer; expected 0 to 2 for dim 0 of size 3",
                error.getMessage());
        IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
                () -> x.indexSelect(1, Tensor.of(new float[] {4})));
        assertEquals("indexSelect: index 4 is out of range; expected 0 to 3 for dim 1 of size 4", range.getMessage());
        range = assertThrows(IndexOutOfBoundsException.class,
                () -> x.gather(0, Tensor.of(new float[] {-1, 0}, 1, 2)));
        assertEquals("gather: index -1 is out of range; expected 0 to 2 for dim 0 of size 3", range.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> x.scatterAdd(1, Tensor.of(new float[] {0.25f}, 1, 1), Tensor.ones(1, 1)));
        assertEquals("scatterAdd: index 0.25 is not an integer; expected 0 to 3 for dim 1 of size 4",
                error.getMessage());
    }

    @Test
    void indexShapesThatDoNotFitNameTheShapes() {
        Tensor x = Tensor.ones(3, 4);
        ShapeException error = assertThrows(ShapeException.class, () -> x.indexSelect(0, Tensor.zeros(2, 2)));
        assertEquals("indexSelect: index must be 1-D, got (2, 2)", error.getMessage());
        error = assertThrows(ShapeException.class, () -> x.gather(1, Tensor.zeros(4, 1)));
        assertEquals("gather: index (4, 1) is larger than input (3, 4) in dim 0 (4 > 3)", error.getMessage());
        error = assertThrows(ShapeException.class, () -> x.gather(1, Tensor.zeros(4)));
        assertEquals("gather: index (4,) must have as many dims as input (3, 4)", error.getMessage());
        error = assertThrows(ShapeException.class, () -> x.scatterAdd(0, Tensor.zeros(2, 3), Tensor.ones(2, 2)));
        assertEquals("scatterAdd: index (2, 3) is larger than src (2, 2) in dim 1 (3 > 2)", error.getMessage());
    }
}
