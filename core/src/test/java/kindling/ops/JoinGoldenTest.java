package kindling.ops;

import static kindling.ops.MatMulGoldenTest.replay;

import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** cat, stack, indexSelect, gather and scatterAdd against PyTorch 1.13 (tools/golden/gen_joins.py). */
class JoinGoldenTest {
    private static final Golden GOLDEN = Golden.load("joins.txt");

    @Test
    void catOnFirstAndLastDimMatchesPyTorch() {
        replay(GOLDEN, "cat0", 3, in -> Tensor.cat(0, in[0], in[1], in[2]));
        replay(GOLDEN, "catlast", 3, in -> Tensor.cat(-1, in[0], in[1], in[2]));
    }

    @Test
    void stackOnFirstAndLastDimMatchesPyTorch() {
        replay(GOLDEN, "stack0", 3, in -> Tensor.stack(0, in[0], in[1], in[2]));
        replay(GOLDEN, "stacklast", 3, in -> Tensor.stack(-1, in[0], in[1], in[2]));
    }

    @Test
    void indexSelectWithRepeatedIndicesMatchesPyTorch() {
        replay(GOLDEN, "isel0", 1, in -> in[0].indexSelect(0, GOLDEN.get("isel0_index")));
        replay(GOLDEN, "isel1", 1, in -> in[0].indexSelect(1, GOLDEN.get("isel1_index")));
    }

    @Test
    void gatherMatchesPyTorch() {
        replay(GOLDEN, "gather0", 1, in -> in[0].gather(0, GOLDEN.get("gather0_index")));
        replay(GOLDEN, "gather1", 1, in -> in[0].gather(1, GOLDEN.get("gather1_index")));
    }

    @Test
    void scatterAddMatchesPyTorch() {
        replay(GOLDEN, "scatter0", 2, in -> in[0].scatterAdd(0, GOLDEN.get("scatter0_index"), in[1]));
        replay(GOLDEN, "scatter1", 2, in -> in[0].scatterAdd(1, GOLDEN.get("scatter1_index"), in[1]));
    }

    /**
     * src larger than index: only the part index covers is added, and the rest of src gets gradient 0. The
     * golden ran PyTorch on that covered part cut out of the src leaf (1.13's autograd refuses the whole src
     * here); Kindling is given the whole src.
     */
    @Test
    void scatterAddWithSrcLargerThanIndexMatchesPyTorch() {
        replay(GOLDEN, "scatterbig1", 2, in -> in[0].scatterAdd(1, GOLDEN.get("scatterbig1_index"), in[1]));
        replay(GOLDEN, "scatterbig0", 2, in -> in[0].scatterAdd(0, GOLDEN.get("scatterbig0_index"), in[1]));
    }
}
