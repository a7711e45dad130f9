package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import kindling.kernels.Elementwise;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The bias pattern of {@link Broadcast}: which broadcasts it recognises, and that the ops and sumTo give
 * the same values through it as through the general path (copy out to the full shape, strided sum).
 */
class BroadcastTest {

    @Test
    void channelViewRecognisesBiasesAndNothingElse() {
        assertArrayEquals(new int[] {8, 6, 25}, Broadcast.channelView(new int[] {8, 6, 5, 5}, new int[] {6, 1, 1}));
        assertArrayEquals(new int[] {256, 120, 1}, Broadcast.channelView(new int[] {256, 120}, new int[] {120}));
        assertArrayEquals(new int[] {1, 4, 3}, Broadcast.channelView(new int[] {4, 3}, new int[] {4, 1}));
        assertArrayEquals(new int[] {1, 1, 12}, Broadcast.channelView(new int[] {4, 3}, new int[] {1}));
        assertArrayEquals(new int[] {2, 12, 5}, Broadcast.channelView(new int[] {2, 3, 4, 5}, new int[] {3, 4, 1}));
        assertNull(Broadcast.channelView(new int[] {2, 3, 4}, new int[] {2, 1, 4}));  // broadcast inside the run
        assertNull(Broadcast.channelView(new int[] {4, 3}, new int[] {4, 3}));        // nothing broadcast
        assertNull(Broadcast.channelView(new int[] {3}, new int[] {2, 3}));           // small is larger
    }

    @Test
    void zipAndSumToAgreeWithTheGeneralPath() {
        int[][][] cases = {
            {{4, 6, 5, 5}, {6, 1, 1}}, {{16, 12}, {12}}, {{4, 3}, {4, 1}}, {{4, 3}, {1}}, {{2, 3, 4, 5}, {3, 4, 1}},
        };
        for (int[][] c : cases) {
            Tensor full = Tensor.randn(c[0]);
            Tensor small = Tensor.randn(c[1]).add(3f);          // away from 0, for DIV
            for (Elementwise.Binary f : new Elementwise.Binary[] {
                Elementwise.Binary.ADD, Elementwise.Binary.SUB, Elementwise.Binary.MUL, Elementwise.Binary.DIV}) {
                for (boolean smallFirst : new boolean[] {false, true}) {
                    Tensor a = smallFirst ? small : full;
                    Tensor b = smallFirst ? full : small;
                    float[] general = new float[Shape.numel(c[0])];
                    Elementwise.zipNaive(f, a.broadcastData("t", c[0]), b.broadcastData("t", c[0]), general);
                    assertArrayEquals(general, Broadcast.zip("t", f, a, b, c[0]), 0f, f + " " + Shape.format(c[1]));
                }
            }
            Tensor grad = Tensor.randn(c[0]);
            Tensor expected = grad.sum(sumDims(c[0], c[1]), true).reshape(c[1]);
            assertArrayEquals(expected.data(), Broadcast.sumTo(grad, c[1]).data(), 1e-4f, Shape.format(c[1]));
        }
    }

    /** The dims of full along which small (aligned right) is 1 while full is not. */
    private static int[] sumDims(int[] full, int[] small) {
        int shift = full.length - small.length;
        return java.util.stream.IntStream.range(0, full.length)
                .filter(d -> (d < shift ? 1 : small[d - shift]) == 1 && full[d] != 1).toArray();
    }
}
