package kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import kindling.ops.norm.BatchNormOp;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Backward hands a leaf its first gradient without a copy when no one else can see that gradient's
 * storage. These tests catch the cases where someone else can: after backward, each gradient is
 * scaled in place (as GradClip and the optimizers do) and no other gradient, and not the caller's
 * gradient, may change with it. A function may also write its result over the gradient it receives
 * when no one else can see it (a ReLU's mask); the last tests check when backward allows that, and that
 * the gradients stay right where it must not.
 */
class GradientOwnershipTest {

    private static final float[] G = {1, 2, 3, 4, 5, 6};

    /** Each tensor's storage is its own, and scaling one in place leaves all the others as they were. */
    private static void assertIndependent(Tensor... tensors) {
        for (int i = 0; i < tensors.length; i++) {
            for (int j = i + 1; j < tensors.length; j++) {
                assertNotSame(tensors[i].storage(), tensors[j].storage(), "tensors " + i + " and " + j + " share storage");
            }
        }
        float[][] before = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            before[i] = tensors[i].toArray();
        }
        for (int i = 0; i < tensors.length; i++) {
            tensors[i].mul_(10f);
            for (int j = 0; j < tensors.length; j++) {
                float[] expected = before[j].clone();
                if (j <= i) {
                    for (int k = 0; k < expected.length; k++) {
                        expected[k] *= 10f;
                    }
                }
                assertArrayEquals(expected, tensors[j].toArray(), "tensor " + j + " after scaling tensors 0.." + i);
            }
        }
    }

    @Test
    void twoLeavesOfOneSumGetTheirOwnCopiesOfTheCallersGradient() {
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        Tensor b = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G, 2, 3);
        a.add(b).backward(userGrad);
        assertArrayEquals(G, a.grad().toArray());
        assertArrayEquals(G, b.grad().toArray());
        assertIndependent(a.grad(), b.grad(), userGrad);
    }

    @Test
    void twoLeavesOfOneSumDoNotShareAFreshGradient() {
        // The product's backward makes a new gradient T; the sum hands T itself to both a and b.
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        Tensor b = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G, 2, 3);
        a.add(b).mul(Tensor.full(2f, 2, 3)).backward(userGrad);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.grad().toArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, b.grad().toArray());
        assertIndependent(a.grad(), b.grad(), userGrad);
    }

    @Test
    void aLeafUsedTwiceInOneSumGetsTheSum() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G, 2, 3);
        x.add(x).backward(userGrad);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, x.grad().toArray());
        assertIndependent(x.grad(), userGrad);

        Tensor y = Tensor.zeros(2, 3).requiresGrad_();
        Tensor otherGrad = Tensor.of(G, 2, 3);
        y.add(y).mul(Tensor.full(2f, 2, 3)).backward(otherGrad);
        assertArrayEquals(new float[] {4, 8, 12, 16, 20, 24}, y.grad().toArray());
        assertIndependent(y.grad(), otherGrad);
    }

    @Test
    void aViewOfAFreshGradientIsNotSharedWithTheOtherLeaf() {
        // T goes to a as is and to b through the view's backward (a view of T): one of them must copy.
        for (boolean viewFirst : new boolean[] {false, true}) {
            Tensor a = Tensor.zeros(6).requiresGrad_();
            Tensor b = Tensor.zeros(2, 3).requiresGrad_();
            Tensor sum = viewFirst ? b.view(6).add(a) : a.add(b.view(6));
            sum.mul(Tensor.full(2f, 6)).backward(Tensor.of(G));
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.grad().toArray());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, b.grad().toArray());
            assertIndependent(a.grad(), b.grad());
        }
    }

    @Test
    void aViewOfTheCallersGradientIsCopied() {
        Tensor b = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G);
        b.view(6).backward(userGrad);
        assertArrayEquals(G, b.grad().toArray());
        assertIndependent(b.grad(), userGrad);
    }

    @Test
    void backwardFromALeafCopiesTheCallersGradient() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G, 2, 3);
        x.backward(userGrad);
        assertIndependent(x.grad(), userGrad);
    }

    @Test
    void aRetainedGradientIsNotSharedWithTheLeaves() {
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        Tensor b = Tensor.zeros(2, 3).requiresGrad_();
        Tensor sum = a.add(b).retainGrad();
        Tensor userGrad = Tensor.of(G, 2, 3);
        sum.mul(Tensor.full(2f, 2, 3)).backward(userGrad);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, sum.grad().toArray());
        assertIndependent(sum.grad(), a.grad(), b.grad(), userGrad);
    }

    @Test
    void aLeafAndAnIntermediateFedByOneSumStayApart() {
        // T reaches a directly and again through b·3's backward (a new tensor), and through a clone (T itself).
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        Tensor b = Tensor.zeros(2, 3).requiresGrad_();
        a.add(b.copy()).mul(Tensor.full(2f, 2, 3)).backward(Tensor.of(G, 2, 3));
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.grad().toArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, b.grad().toArray());
        assertIndependent(a.grad(), b.grad());

        Tensor c = Tensor.zeros(2, 3).requiresGrad_();
        Tensor d = Tensor.zeros(2, 3).requiresGrad_();
        c.copy().add(d).mul(Tensor.full(2f, 2, 3)).backward(Tensor.of(G, 2, 3));
        assertIndependent(c.grad(), d.grad());
    }

    @Test
    void gradientsAccumulateAcrossTwoBackwardCallsWithoutTouchingTheFirst() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.of(G, 2, 3);
        x.mul(Tensor.full(2f, 2, 3)).backward(userGrad);
        Tensor first = x.grad();
        float[] firstValues = first.toArray();
        x.mul(Tensor.full(2f, 2, 3)).backward(userGrad);
        assertArrayEquals(new float[] {4, 8, 12, 16, 20, 24}, x.grad().toArray());
        assertArrayEquals(firstValues, first.toArray());
        assertIndependent(x.grad(), first, userGrad);
    }

    @Test
    void theCallersGradientIsNeverTakenEvenWhenFresh() {
        // A gradient that covers all its storage, passed straight through a sum to a leaf.
        Tensor x = Tensor.zeros(2, 3).requiresGrad_();
        Tensor userGrad = Tensor.wrap(G.clone(), 2, 3);
        x.add(Tensor.zeros(2, 3)).backward(userGrad);
        assertIndependent(x.grad(), userGrad);
    }

    /** The identity, recording whether backward let it overwrite its incoming gradient (which it then does: 0s). */
    private static final class WritableProbe extends Function {
        final List<Boolean> answers;

        private WritableProbe(List<Boolean> answers) {
            this.answers = answers;
        }

        static Tensor apply(Tensor x, List<Boolean> answers) {
            return new WritableProbe(answers).record(Tensor.wrap(x.toArray(), x.shape()), x);
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            answers.add(mayOverwriteGradOutput());
            Tensor gradInput = Tensor.wrap(gradOutput.toArray(), gradOutput.shape());
            if (mayOverwriteGradOutput()) {
                java.util.Arrays.fill(gradOutput.storage(), 0f);   // scribble: no one may see it
            }
            return new Tensor[] {gradInput};
        }
    }

    @Test
    void aFunctionMayOverwriteOnlyAGradientNoOneElseSees() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad_();
        List<Boolean> answers = new ArrayList<>();
        Tensor userGrad = Tensor.of(G, 2, 3);
        WritableProbe.apply(x, answers).backward(userGrad);                              // the caller's
        WritableProbe.apply(x, answers).mul(Tensor.full(2f, 2, 3)).backward(userGrad);   // fresh from mul
        Tensor retained = WritableProbe.apply(x, answers).retainGrad();
        retained.mul(Tensor.full(2f, 2, 3)).backward(userGrad);                          // also a tensor's grad
        assertEquals(List.of(false, true, false), answers);
        assertArrayEquals(G, userGrad.toArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, retained.grad().toArray());
        assertArrayEquals(new float[] {5, 10, 15, 20, 25, 30}, x.grad().toArray());
    }

    @Test
    void aGradientHandedToTwoFunctionsIsOverwrittenOnlyByTheLastToRun() {
        // The sum hands one fresh T to both probes (and, in the second case, to a leaf as well).
        for (boolean withLeaf : new boolean[] {false, true}) {
            Tensor x = Tensor.zeros(2, 3).requiresGrad_();
            Tensor y = Tensor.zeros(2, 3).requiresGrad_();
            Tensor z = Tensor.zeros(2, 3).requiresGrad_();
            List<Boolean> answers = new ArrayList<>();
            Tensor sum = WritableProbe.apply(x, answers).add(WritableProbe.apply(y, answers));
            if (withLeaf) {
                sum = sum.add(z);
            }
            sum.mul(Tensor.full(2f, 2, 3)).backward(Tensor.of(G, 2, 3));
            assertEquals(List.of(false, true), answers, withLeaf ? "with a leaf" : "without a leaf");
            float[] expected = {2, 4, 6, 8, 10, 12};
            assertArrayEquals(expected, x.grad().toArray());
            assertArrayEquals(expected, y.grad().toArray());
            if (withLeaf) {
                assertArrayEquals(expected, z.grad().toArray());
                assertIndependent(x.grad(), y.grad(), z.grad());
            } else {
                assertIndependent(x.grad(), y.grad());
            }
        }
    }

    @Test
    void reluSigmoidAndMulGiveTheSameGradientsWhetherOrNotTheyMayOverwrite() {
        assertSameGradientsWithOwnGradients((x, h) -> new Tensor[] {h.relu(), h.sigmoid(), h.mul(x)});
    }

    @Test
    void tanhExpAndGeluGiveTheSameGradientsWhetherOrNotTheyMayOverwrite() {
        assertSameGradientsWithOwnGradients((x, h) -> new Tensor[] {h.tanh(), h.exp(), h.gelu(), h.gelu(true)});
    }

    /**
     * The branches of h = x·w, summed, give the same gradients whether each receives the caller's
     * gradient (add hands it to both inputs) or, through its own mul(ones), a fresh gradient of its
     * own that it may overwrite; the caller's gradient stays as it was.
     */
    private static void assertSameGradientsWithOwnGradients(BiFunction<Tensor, Tensor, Tensor[]> branchesOf) {
        float[] xs = {-1.5f, 0f, 2f, -0.25f, 3f, 0.5f};
        float[] ws = {0.5f, -2f, 1f, 3f, -1f, 2f};
        float[][] results = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            Tensor x = Tensor.of(xs, 2, 3).requiresGrad_();
            Tensor w = Tensor.of(ws, 2, 3).requiresGrad_();
            Tensor h = x.mul(w);
            Tensor sum = null;
            for (Tensor branch : branchesOf.apply(x, h)) {
                Tensor b = pass == 1 ? branch.mul(Tensor.ones(2, 3)) : branch;
                sum = sum == null ? b : sum.add(b);
            }
            Tensor userGrad = Tensor.of(G, 2, 3);
            sum.backward(userGrad);
            assertArrayEquals(G, userGrad.toArray());
            results[pass] = concat(x.grad().toArray(), w.grad().toArray());
            assertIndependent(x.grad(), w.grad());
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void batchNormGivesTheSameGradientsWhetherOrNotItMayOverwrite() {
        // Through mul(ones) batch norm receives a fresh gradient it may overwrite with ∂L/∂x; without, the caller's.
        float[] xs = new float[24];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(1.7 * i) * (1 + i % 5);
        }
        float[] gs = new float[24];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = (float) Math.cos(0.9 * i);
        }
        float[][] results = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            Tensor x = Tensor.of(xs, 2, 3, 2, 2).requiresGrad_();
            Tensor gamma = Tensor.of(new float[] {0.5f, -2f, 1.5f}).requiresGrad_();
            Tensor beta = Tensor.of(new float[] {0.1f, 0.2f, -0.3f}).requiresGrad_();
            Tensor y = BatchNormOp.apply(x, gamma, beta, null, null, 1e-5, new double[3], new double[3]);
            if (pass == 1) {
                y = y.mul(Tensor.ones(2, 3, 2, 2));
            }
            Tensor userGrad = Tensor.of(gs, 2, 3, 2, 2);
            y.backward(userGrad);
            assertArrayEquals(gs, userGrad.toArray());
            results[pass] = concat(concat(x.grad().toArray(), gamma.grad().toArray()), beta.grad().toArray());
            assertIndependent(x.grad(), gamma.grad(), beta.grad(), userGrad);
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void theTwoGradientsOfATensorUsedTwiceAddIntoOneOnlyWhereNoOneElseSeesIt() {
        // h = x·w is used twice. Its two gradients: both fresh (each branch through a product), or one of
        // them the caller's (straight through the add), or one fresh from a product and handed by the
        // add z + h to both the leaf z and h, whose grad is retained: one storage that a leaf and a sum
        // share, and the one waiting when 3G arrives (written this way round, the z + h branch reaches
        // h first), so an engine that let z keep it and then added 3G into it would give z.grad = 4G.
        // The sum must be right, and the caller's gradient and every grad left alone.
        float[] xs = {1, -2, 3, 0.5f, -1, 2};
        float[] ws = {2, 1, -1, 3, 0.5f, -2};
        for (int variant = 0; variant < 3; variant++) {
            Tensor x = Tensor.of(xs, 2, 3).requiresGrad_();
            Tensor w = Tensor.of(ws, 2, 3);
            Tensor z = Tensor.zeros(2, 3).requiresGrad_();
            Tensor h = x.mul(w);
            if (variant == 2) {
                h.retainGrad();
            }
            Tensor three = Tensor.full(3f, 2, 3);
            Tensor out = switch (variant) {
                case 0 -> h.mul(Tensor.full(2f, 2, 3)).add(h.mul(three));     // ∂L/∂h = 2G + 3G
                case 1 -> h.add(h.mul(three));                               // G + 3G
                default -> h.mul(three).add(z.add(h).mul(Tensor.ones(2, 3))); // 3G + G, and G to z
            };
            Tensor userGrad = Tensor.of(G, 2, 3);
            out.backward(userGrad);
            float factor = variant == 0 ? 5 : 4;
            float[] expectedX = new float[6];
            float[] expectedH = new float[6];
            for (int i = 0; i < 6; i++) {
                expectedH[i] = factor * G[i];
                expectedX[i] = expectedH[i] * ws[i];
            }
            String what = "variant " + variant;
            assertArrayEquals(G, userGrad.toArray(), what + ": the caller's gradient");
            assertArrayEquals(expectedX, x.grad().toArray(), what + ": x.grad");
            if (variant == 2) {
                assertArrayEquals(G, z.grad().toArray(), what + ": z.grad");
                assertArrayEquals(expectedH, h.grad().toArray(), what + ": h.grad");
                assertIndependent(x.grad(), z.grad(), h.grad(), userGrad);
            } else {
                assertIndependent(x.grad(), userGrad);
            }
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
