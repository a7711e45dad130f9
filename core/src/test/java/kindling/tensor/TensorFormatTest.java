package kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Every expected string was printed by PyTorch 1.13 ({@code print(torch.tensor(...))}, with
 * {@code requires_grad=True} and {@code grad_fn=<MulBackward0>} renamed to Kindling's suffixes).
 */
class TensorFormatTest {

    @Test
    void matrixOfFractions() {
        assertEquals("tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]])",
                Tensor.of(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}}).toString());
    }

    @Test
    void integersPrintWithATrailingPoint() {
        assertEquals("tensor([1., 2., 3.])", Tensor.of(new float[] {1, 2, 3}).toString());
        assertEquals("tensor([-1., 20.,  3.])", Tensor.of(new float[] {-1, 20, 3}).toString());
        assertEquals("tensor([[0., 0.],\n        [0., 0.]])", Tensor.zeros(2, 2).toString());
    }

    @Test
    void scalars() {
        assertEquals("tensor(3.5000)", Tensor.scalar(3.5f).toString());
        assertEquals("tensor(3.)", Tensor.scalar(3f).toString());
        assertEquals("tensor(-0.)", Tensor.scalar(-0f).toString());
    }

    @Test
    void negativeNumbersAlignOnTheRight() {
        assertEquals("tensor([[-1.5000,  2.2500],\n        [10.0000, -0.1250]])",
                Tensor.of(new float[][] {{-1.5f, 2.25f}, {10f, -0.125f}}).toString());
        assertEquals("tensor([[-1.0000],\n        [-0.5000],\n        [ 0.0000],\n        [ 0.5000],\n"
                + "        [ 1.0000]])", Tensor.linspace(-1, 1, 5).view(5, 1).toString());
    }

    @Test
    void gradientSuffixes() {
        Tensor leaf = Tensor.of(new float[] {1, 2}).requiresGrad_();
        assertEquals("tensor([1., 2.], requiresGrad=true)", leaf.toString());
        assertEquals("tensor([1., 4.], gradFn=MulOp)", leaf.mul(leaf).toString());
        assertEquals("tensor([], requiresGrad=true)", Tensor.zeros(0).requiresGrad_().toString());
    }

    @Test
    void emptyTensorsShowTheirSizeUnlessOneDimensional() {
        assertEquals("tensor([])", Tensor.zeros(0).toString());
        assertEquals("tensor([], size=(2, 0))", Tensor.zeros(2, 0).toString());
        assertEquals("tensor([], size=(2, 0, 3))", Tensor.zeros(2, 0, 3).toString());
    }

    @Test
    void threeDimensionalBlocksAreSeparatedByABlankLine() {
        assertEquals("tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.]],\n\n"
                + "        [[ 6.,  7.,  8.],\n         [ 9., 10., 11.]]])", Tensor.arange(12).view(2, 2, 3).toString());
    }

    @Test
    void longVectorIsSummarisedAndStyledFromTheShownValuesOnly() {
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "        1.9990e+03])", Tensor.arange(2000).toString());
    }

    @Test
    void summarisedMatrixWrapsEachRow() {
        Tensor x = Tensor.arange(2000).view(2, 1000).mul(Tensor.scalar(0.001f));
        assertEquals("tensor([[0.0000e+00, 1.0000e-03, 2.0000e-03,  ..., 9.9700e-01, 9.9800e-01,\n"
                + "         9.9900e-01],\n"
                + "        [1.0000e+00, 1.0010e+00, 1.0020e+00,  ..., 1.9970e+00, 1.9980e+00,\n"
                + "         1.9990e+00]])", x.toString());
    }

    @Test
    void longLinesWrapAtEightyCharacters() {
        Tensor x = Tensor.arange(30).mul(Tensor.scalar(1f / 3));
        assertEquals("tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n"
                + "        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667,\n"
                + "        6.0000, 6.3333, 6.6667, 7.0000, 7.3333, 7.6667, 8.0000, 8.3333, 8.6667,\n"
                + "        9.0000, 9.3333, 9.6667])", x.toString());
    }

    @Test
    void scientificNotation() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])",
                Tensor.of(new float[] {1e-5f, 1f, 1000f}).toString());
        assertEquals("tensor([-1.0000e-05,  1.0000e+00])", Tensor.of(new float[] {-1e-5f, 1f}).toString());
        assertEquals("tensor([1.2346e+08, 1.0000e+00])", Tensor.of(new float[] {123456789f, 1f}).toString());
        assertEquals("tensor([1.0000e+05, 1.0000e+00])", Tensor.of(new float[] {100000f, 1f}).toString());
        assertEquals("tensor([1.2000e-04, 5.0000e-01])", Tensor.of(new float[] {0.00012f, 0.5f}).toString());
    }

    @Test
    void roundingIsHalfToEvenOnTheExactValue() {
        assertEquals("tensor([0.0312, 1.0000])", Tensor.of(new float[] {0.03125f, 1f}).toString());
    }

    @Test
    void nonFiniteValuesDoNotSetTheWidth() {
        assertEquals("tensor([   inf,   -inf,    nan, 1.5000])",
                Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1.5f}).toString());
        assertEquals("tensor([inf, -inf, 1.])",
                Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f}).toString());
        assertEquals("tensor([0., -0.])", Tensor.of(new float[] {0f, -0f}).toString());
        assertEquals("tensor([nan])", Tensor.of(new float[] {Float.NaN}).toString());
    }
}
