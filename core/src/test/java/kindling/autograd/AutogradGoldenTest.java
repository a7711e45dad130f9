package kindling.autograd;

import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** The engine's core ops against PyTorch 1.13 (tools/golden/gen_autograd_basics.py). */
class AutogradGoldenTest {
    private static final Golden GOLDEN = Golden.load("autograd_basics.txt");

    @Test
    void broadcastMulAndAddMatchPyTorch() {
        Tensor a = GOLDEN.input("mulbcast_a");
        Tensor b = GOLDEN.input("mulbcast_b");
        Tensor y = a.mul(b).add(a).mul(GOLDEN.get("mulbcast_w"));
        y.sum().backward();
        GOLDEN.assertClose("mulbcast_out", y, 1e-6, 1e-5);
        GOLDEN.assertClose("mulbcast_grad_a", a.grad(), 1e-6, 1e-5);
        GOLDEN.assertClose("mulbcast_grad_b", b.grad(), 1e-6, 1e-5);
    }

    @Test
    void viewsAndKeepDimSumMatchPyTorch() {
        Tensor x = GOLDEN.input("views_x");
        Tensor v = x.transpose(0, 2).narrow(1, 1, 2).reshape(8, 2);
        Tensor s = v.mul(Tensor.arange(16).reshape(8, 2)).sum(0, true).expand(3, 2);
        s.sum().backward();
        GOLDEN.assertClose("views_out", s, 1e-5, 1e-5);
        GOLDEN.assertClose("views_grad_x", x.grad(), 1e-6, 1e-5);
    }

    @Test
    void sumOverSeveralDimsMatchesPyTorch() {
        Tensor x = GOLDEN.input("sumdims_x");
        Tensor r = x.sum(new int[] {0, 2}, false);
        r.mul(Tensor.of(new float[] {1, -2, 3, 0.5f})).sum().backward();
        GOLDEN.assertClose("sumdims_out", r, 1e-5, 1e-5);
        GOLDEN.assertClose("sumdims_grad_x", x.grad(), 1e-6, 1e-5);
    }
}
