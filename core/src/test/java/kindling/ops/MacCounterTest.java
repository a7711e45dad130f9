package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MacCounterTest {
    @Test
    void matmulCountsBatchTimesMTimesKTimesN() {
        Tensor a = Tensor.ones(2, 3, 4);
        Tensor b = Tensor.ones(4, 5);
        try (MacCounter.Counting counting = MacCounter.start()) {
            a.matmul(b);
            assertEquals(2L * 3 * 4 * 5, counting.total());
        }
    }

    @Test
    void nothingIsCountedOutsideAScopeAndScopesNest() {
        Tensor a = Tensor.ones(3, 4);
        a.matmul(Tensor.ones(4, 2));
        try (MacCounter.Counting outer = MacCounter.start()) {
            a.matmul(Tensor.ones(4, 2));
            try (MacCounter.Counting inner = MacCounter.start()) {
                a.matmul(Tensor.ones(4, 1));
                assertEquals(12, inner.total());
            }
            assertEquals(24 + 12, outer.total());
        }
    }

    @Test
    void closingAnOuterScopeFirstIsAnError() {
        MacCounter.Counting outer = MacCounter.start();
        MacCounter.Counting inner = MacCounter.start();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }
}
