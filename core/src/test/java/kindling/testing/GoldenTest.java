package kindling.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The shared golden helper: expressions found by case prefix, printed on failure; files without them read alike. */
class GoldenTest {

    @Test
    void aFailurePrintsThePyTorchExpressionOfItsCase() {
        Golden golden = Golden.load("reductions.txt");
        assertEquals("x.var(1)", golden.expression("var_dim1_out"));
        assertEquals("x.std(-1, unbiased=False, keepdim=True)", golden.expression("std_neg_keep_biased_grad"));
        Tensor wrong = golden.get("var_dim1_out").add(1f);
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> golden.assertClose("var_dim1_out", wrong));
        assertTrue(error.getMessage().contains("var_dim1_out (PyTorch: x.var(1))"), error.getMessage());
        golden.assertClose("var_dim1_out", golden.get("var_dim1_out"));
    }

    @Test
    void filesWithoutExpressionsReadAsBefore() {
        Golden golden = Golden.load("views.txt");
        assertTrue(!golden.tensors().isEmpty());
        String first = golden.tensors().keySet().iterator().next();
        assertNull(golden.expression(first));
    }

    @Test
    void theDefaultToleranceIsAbsolutePlusRelative() {
        Tensor expected = Tensor.of(new float[] {100f, 0f}, 2);
        Golden.assertClose("within", expected, Tensor.of(new float[] {100.009f, 0.000009f}, 2));
        assertThrows(AssertionFailedError.class,
                () -> Golden.assertClose("outside", expected, Tensor.of(new float[] {100.02f, 0f}, 2)));
    }
}
