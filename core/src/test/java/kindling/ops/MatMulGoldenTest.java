package kindling.ops;

import java.util.function.Function;
import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** matmul against PyTorch 1.13 in every shape case (tools/golden/gen_joins.py). */
class MatMulGoldenTest {
    private static final Golden GOLDEN = Golden.load("joins.txt");

    /** Replays a case of gen_joins.py: y = f(inputs), backward of sum(y · w), compare y and every grad. */
    static void replay(Golden golden, String name, int inputCount, Function<Tensor[], Tensor> f) {
        Tensor[] inputs = new Tensor[inputCount];
        for (int i = 0; i < inputCount; i++) {
            inputs[i] = golden.input(name + "_in" + i);
        }
        Tensor y = f.apply(inputs);
        y.mul(golden.get(name + "_w")).sum().backward();
        golden.assertClose(name + "_out", y, 1e-5, 1e-5);
        for (int i = 0; i < inputCount; i++) {
            golden.assertClose(name + "_grad" + i, inputs[i].grad(), 1e-5, 1e-5);
        }
    }

    @Test
    void everyShapeCaseMatchesPyTorch() {
        String[] cases = {"mm_dot", "mm_2d", "mm_vecmat", "mm_matvec", "mm_bcast", "mm_batch_mat", "mm_mat_batch",
            "mm_batch_vec", "mm_vec_batch"};
        for (String name : cases) {
            replay(GOLDEN, name, 2, in -> in[0].matmul(in[1]));
        }
    }

    @Test
    void squareMatrixTimesItselfMatchesPyTorch() {
        replay(GOLDEN, "mm_square", 1, in -> in[0].matmul(in[0]));
    }

    @Test
    void transposedAndSlicedOperandsMatchPyTorch() {
        replay(GOLDEN, "mm_views", 2, in -> in[0].t().matmul(in[1].narrow(1, 1, 5)));
        replay(GOLDEN, "mm_strided", 2, in -> in[0].slice(0, 0, 6, 2).matmul(in[1].slice(1, 0, 8, 2).t()));
    }
}
