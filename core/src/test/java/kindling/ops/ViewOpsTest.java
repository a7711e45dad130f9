package kindling.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import kindling.autograd.GradCheck;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import kindling.testing.Golden;
import org.junit.jupiter.api.Test;

/** The view ops against PyTorch 1.13 (tools/golden/gen_views.py) and finite differences. */
class ViewOpsTest {
    private static final Golden GOLDEN = Golden.load("views.txt");

    @Test
    void permuteMatchesPyTorch() {
        Tensor x = GOLDEN.input("permute_x");
        Tensor y = x.permute(2, 0, 1).mul(GOLDEN.get("permute_w"));
        y.sum().backward();
        GOLDEN.assertClose("permute_out", y, 1e-6, 1e-6);
        GOLDEN.assertClose("permute_grad_x", x.grad(), 1e-6, 1e-6);
    }

    @Test
    void stridedSliceAndSelectMatchPyTorch() {
        Tensor x = GOLDEN.input("slicestep_x");
        Tensor y = x.slice(1, 1, Integer.MAX_VALUE, 2).mul(Tensor.arange(1, 7, 1).reshape(3, 2));
        Tensor z = x.select(0, -1).mul(Tensor.arange(5));
        y.sum().add(z.sum()).backward();
        GOLDEN.assertClose("slicestep_out", y, 1e-6, 1e-6);
        GOLDEN.assertClose("select_out", z, 1e-6, 1e-6);
        GOLDEN.assertClose("slicestep_grad_x", x.grad(), 1e-6, 1e-6);
    }

    @Test
    void squeezeUnsqueezeFlattenMatchPyTorch() {
        Tensor x = GOLDEN.input("squeeze_x");
        Tensor y = x.squeeze().unsqueeze(0).flatten(1, 2).mul(Tensor.arange(6));
        y.sum().backward();
        GOLDEN.assertClose("squeeze_out", y, 1e-6, 1e-6);
        GOLDEN.assertClose("squeeze_grad_x", x.grad(), 1e-6, 1e-6);
    }

    @Test
    void expandWithNewLeadingDimsMatchesPyTorch() {
        Tensor x = GOLDEN.input("expand_x");
        Tensor y = x.expand(2, 3, 4).mul(Tensor.arange(24).reshape(2, 3, 4));
        y.sum().backward();
        GOLDEN.assertClose("expand_out", y, 1e-5, 1e-6);
        GOLDEN.assertClose("expand_grad_x", x.grad(), 1e-5, 1e-6);
    }

    @Test
    void cloneOfATransposeMatchesPyTorch() {
        Tensor x = GOLDEN.input("clone_x");
        Tensor y = x.t().copy().reshape(-1).mul(Tensor.arange(12));
        y.sum().backward();
        GOLDEN.assertClose("clone_out", y, 1e-6, 1e-6);
        GOLDEN.assertClose("clone_grad_x", x.grad(), 1e-6, 1e-6);
    }

    @Test
    void everyViewOpPassesGradCheckIncludingAnInputUsedTwice() {
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, 2, 3, 4).requiresGrad_();
        check(in -> in[0].permute(1, 2, 0).mul(in[0].transpose(0, 1).permute(0, 2, 1)), x);
        check(in -> in[0].slice(2, -3, 4, 2).mul(in[0].narrow(2, 0, 2)), x);
        check(in -> in[0].select(1, 2).mul(in[0].select(1, 0)), x);
        check(in -> in[0].unsqueeze(1).squeeze(1).flatten(0, 1).t().contiguous(), x);
        check(in -> in[0].reshape(4, 6).view(2, 12).mul(in[0].transpose(1, 2).reshape(2, 12)), x);
        Tensor column = Tensor.randn(gen, 3, 1).requiresGrad_();
        check(in -> in[0].expand(5, 3, 4).mul(in[0].expandAs(Tensor.zeros(3, 4))), column);
        check(in -> in[0].copy().mul(in[0]), column);
    }

    private static void check(java.util.function.Function<Tensor[], Tensor> f, Tensor input) {
        GradCheck.Result result = GradCheck.check(f, input);
        assertTrue(result.passed(), result.toString());
    }
}
