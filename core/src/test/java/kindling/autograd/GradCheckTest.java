package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GradCheck.assertPasses: silent on a right backward, an AssertionError naming the element on a wrong one. */
class GradCheckTest {

    /** x², with the derivative forgotten: backward passes the gradient through unchanged (should be 2x·g). */
    static final class WrongSquareOp extends Function {
        static Tensor apply(Tensor x) {
            float[] in = x.data();
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] * in[i];
            }
            Tensor result = Tensor.wrap(out, x.shape());
            return needsGrad(x) ? new WrongSquareOp().record(result, x) : result;
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            return new Tensor[] {gradOutput};
        }
    }

    @Test
    void aRightBackwardPasses() {
        Tensor a = Tensor.randn(new Generator(1), 3, 2).requiresGrad_();
        Tensor b = Tensor.randn(new Generator(2), 3, 2).requiresGrad_();
        assertTrue(GradCheck.assertPasses(in -> in[0].mul(in[1]).add(in[0]), a, b).passed());
    }

    @Test
    void aWrongBackwardFailsNamingTheWorstElement() {
        Tensor x = Tensor.randn(new Generator(3), 4).requiresGrad_();
        AssertionError error = assertThrows(AssertionError.class,
                () -> GradCheck.assertPasses(in -> WrongSquareOp.apply(in[0]), x));
        assertTrue(error.getMessage().contains("FAILED") && error.getMessage().contains("input 0 at index"),
                error.getMessage());
    }
}
