package kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static final int DRAWS = 500_000;

    /** Two threads drawing {@code DRAWS} numbers each from one generator; returns all draws, sorted. */
    private static long[] drawFromTwoThreads(Generator shared, boolean gaussian) throws InterruptedException {
        long[][] drawn = new long[2][DRAWS];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            long[] mine = drawn[t];
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < DRAWS; i++) {
                    mine[i] = gaussian ? Double.doubleToLongBits(shared.nextGaussian()) : shared.nextLong();
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = new long[2 * DRAWS];
        System.arraycopy(drawn[0], 0, all, 0, DRAWS);
        System.arraycopy(drawn[1], 0, all, DRAWS, DRAWS);
        Arrays.sort(all);
        return all;
    }

    @Test
    void twoThreadsSharingAGeneratorGetExactlyTheNumbersOfOneThreadNoneTwice() throws InterruptedException {
        long[] shared = drawFromTwoThreads(new Generator(42), false);
        Generator alone = new Generator(42);
        long[] sequential = new long[2 * DRAWS];
        for (int i = 0; i < sequential.length; i++) {
            sequential[i] = alone.nextLong();
        }
        Arrays.sort(sequential);
        assertArrayEquals(sequential, shared, "a draw was lost or handed out twice");
    }

    @Test
    void gaussiansFromTwoThreadsAreEachHandedOutOnce() throws InterruptedException {
        long[] shared = drawFromTwoThreads(new Generator(3), true);
        Generator alone = new Generator(3);
        long[] sequential = new long[2 * DRAWS];
        for (int i = 0; i < sequential.length; i++) {
            sequential[i] = Double.doubleToLongBits(alone.nextGaussian());
        }
        Arrays.sort(sequential);
        assertArrayEquals(sequential, shared, "a Gaussian was lost or its spare handed out twice");
    }

    @Test
    void oneThreadGetsTheSameSequenceForASeedAsBefore() {
        // SplitMix64 from seed 0: the published first outputs of the reference implementation.
        Generator gen = new Generator(0);
        assertEquals(0xE220A8397B1DCDAFL, gen.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, gen.nextLong());
        assertEquals(0x06C45D188009454FL, gen.nextLong());
    }

    @Test
    void theFloatsDoublesAndGaussiansForASeedAreTheOnesTheyWere() {
        // Values this generator gave from seed 0 (weights, data splits and dropout masks depend on them).
        Generator one = new Generator(0);
        assertEquals(1063395496, Float.floatToIntBits(one.nextFloat()));
        assertEquals(4601445337224736344L, Double.doubleToLongBits(one.nextDouble()));
        assertEquals(4597368460397259108L, Double.doubleToLongBits(one.nextGaussian()));
        assertEquals(-4637142138344958335L, Double.doubleToLongBits(one.nextGaussian()));
        Generator bulk = new Generator(0);
        float[] uniform = new float[3];
        float[] gaussian = new float[3];
        bulk.nextFloats(uniform);
        bulk.nextGaussians(gaussian);
        assertArrayEquals(new float[] {0.8833108f, 0.43152797f, 0.026433766f}, uniform);
        assertArrayEquals(new float[] {2.0875285f, 1.6477321f, 0.4099118f}, gaussian);
    }

    @Test
    void bulkDrawsEqualOneByOneDraws() {
        for (int length : new int[] {0, 1, 2, 7, 1000}) {
            Generator bulk = new Generator(9);
            Generator single = new Generator(9);
            single.nextGaussian();                     // leaves a spare value behind in both
            bulk.nextGaussian();
            float[] uniform = new float[length];
            float[] gaussian = new float[length];
            bulk.nextFloats(uniform);
            bulk.nextGaussians(gaussian);
            float[] expectedUniform = new float[length];
            float[] expectedGaussian = new float[length];
            for (int i = 0; i < length; i++) {
                expectedUniform[i] = single.nextFloat();
            }
            for (int i = 0; i < length; i++) {
                expectedGaussian[i] = (float) single.nextGaussian();
            }
            assertArrayEquals(expectedUniform, uniform, "nextFloats, length " + length);
            assertArrayEquals(expectedGaussian, gaussian, "nextGaussians, length " + length);
            assertEquals(single.nextGaussian(), bulk.nextGaussian(), "the spare left by nextGaussians, length " + length);
            assertEquals(single.nextLong(), bulk.nextLong());
        }
    }

    @Test
    void manualSeedReseedsTheOneGlobalGenerator() {
        Generator global = Generator.global();
        Generator.manualSeed(5);
        float first = Tensor.randn(3).toArray()[0];
        Generator.manualSeed(5);
        assertSame(global, Generator.global(), "manualSeed reseeds in place, as torch.manual_seed");
        assertEquals(first, Tensor.randn(3).toArray()[0]);
        assertEquals((float) new Generator(5).nextGaussian(), first);
    }

    @Test
    void aSavedStateDrawsTheSameNumbersAgainEvenHalfwayThroughAGaussianPair() {
        Generator g = new Generator(5);
        g.nextGaussian();                                   // the pair's second value is now kept back
        long[] saved = g.getState();
        double[] first = {g.nextGaussian(), g.nextGaussian(), g.nextDouble()};
        Generator other = new Generator(123);
        other.setState(saved);
        assertArrayEquals(first, new double[] {other.nextGaussian(), other.nextGaussian(), other.nextDouble()});
        g.setState(saved);
        assertArrayEquals(first, new double[] {g.nextGaussian(), g.nextGaussian(), g.nextDouble()});
        assertEquals("Generator.setState: expected the two longs getState returns, got 3 values",
                assertThrows(IllegalArgumentException.class, () -> g.setState(new long[3])).getMessage());
    }
}
