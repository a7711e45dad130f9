package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.BinaryOperator;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Messages for shapes that do not broadcast, and what the scalar overloads do with their scalar. */
class ElementwiseErrorTest {

    private static void assertNotBroadcastable(String op, BinaryOperator<Tensor> f) {
        Tensor a = Tensor.zeros(4, 3);
        Tensor b = Tensor.zeros(4, 2);
        ShapeException error = assertThrows(ShapeException.class, () -> f.apply(a, b));
        assertEquals(op + ": shapes (4, 3) and (4, 2) are not broadcastable at dim -1 (3 vs 2)",
                error.getMessage());
    }

    @Test
    void everyBinaryOpNamesItselfAndBothShapes() {
        assertNotBroadcastable("sub", Tensor::sub);
        assertNotBroadcastable("div", Tensor::div);
        assertNotBroadcastable("pow", Tensor::pow);
        assertNotBroadcastable("maximum", Tensor::maximum);
        assertNotBroadcastable("minimum", Tensor::minimum);
        assertNotBroadcastable("eq", Tensor::eq);
        assertNotBroadcastable("ne", Tensor::ne);
        assertNotBroadcastable("lt", Tensor::lt);
        assertNotBroadcastable("le", Tensor::le);
        assertNotBroadcastable("gt", Tensor::gt);
        assertNotBroadcastable("ge", Tensor::ge);
    }

    @Test
    void whereNamesAllThreeShapes() {
        ShapeException badCondition = assertThrows(ShapeException.class,
                () -> Tensor.where(Tensor.ones(2), Tensor.zeros(4, 3), Tensor.zeros(3)));
        assertEquals("where: condition (2,), x (4, 3) and y (3,) are not broadcastable at dim -1 (2 vs 3 vs 3)",
                badCondition.getMessage());
        ShapeException badY = assertThrows(ShapeException.class,
                () -> Tensor.where(Tensor.ones(4, 1), Tensor.zeros(3), Tensor.zeros(5, 1)));
        assertEquals("where: condition (4, 1), x (3,) and y (5, 1) are not broadcastable at dim -2 (4 vs 1 vs 5)",
                badY.getMessage());
    }

    @Test
    void theScalarOfAnOverloadGetsNoGradient() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_();
        Tensor y = x.pow(2f);
        assertFalse(y.gradFn().inputs().get(1).requiresGrad());
        y.sum().backward();
        assertEquals("[2.0, 4.0]", java.util.Arrays.toString(x.grad().toArray()));
    }
}
