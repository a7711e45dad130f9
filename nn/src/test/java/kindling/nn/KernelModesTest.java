package kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.kernels.KernelMode;
import kindling.kernels.Kernels;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * One training step of a small LeNet-like network (convolution, batch norm, both poolings, linear,
 * cross-entropy) in each kernel mode: the loss and every parameter gradient agree to float rounding,
 * so a student stepping through the naive loops sees the numbers the fast kernels compute.
 */
class KernelModesTest {

    private static List<float[]> step(KernelMode mode) {
        KernelMode before = Kernels.setMode(mode);
        try {
            Generator generator = new Generator(42);
            Sequential net = new Sequential(
                    new Conv2d(1, 4, 5, 1, 2), new BatchNorm2d(4), new Sigmoid(), new AvgPool2d(2, 2),
                    new Conv2d(4, 6, 3), new ReLU(), new MaxPool2d(2, 2),
                    new Flatten(), new Linear(6 * 2 * 2, 10), new LogSoftmax(1));
            try (NoGrad scope = NoGrad.enter()) {
                for (Tensor p : net.parameters()) {
                    p.copy_(Tensor.randn(generator, p.shape()).mul(0.3f));
                }
            }
            Tensor x = Tensor.randn(generator, 3, 1, 12, 12);
            Tensor target = Tensor.of(new float[] {1f, 7f, 3f}, 3);
            Tensor loss = new NLLLoss().forward(net.forward(x), target);
            loss.backward();
            List<float[]> results = new ArrayList<>();
            results.add(loss.toArray());
            for (Tensor p : net.parameters()) {
                results.add(p.grad().toArray());
            }
            return results;
        } finally {
            Kernels.setMode(before);
        }
    }

    @Test
    void everyModeGivesTheSameStep() {
        List<float[]> naive = step(KernelMode.NAIVE);
        for (KernelMode mode : new KernelMode[] {KernelMode.PLAIN, KernelMode.SIMD}) {
            List<float[]> fast = step(mode);
            assertEquals(naive.size(), fast.size());
            for (int i = 0; i < naive.size(); i++) {
                assertArrayEquals(naive.get(i), fast.get(i), 1e-5f, mode + " against naive, result " + i
                        + (i == 0 ? " (the loss)" : " (a parameter gradient)"));
            }
        }
    }
}
