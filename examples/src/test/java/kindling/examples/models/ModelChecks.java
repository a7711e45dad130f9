package kindling.examples.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.data.FashionMnist;
import kindling.data.ImageData;
import kindling.data.transforms.Resize;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Module;
import kindling.nn.Summary;
import kindling.optim.Adam;
import kindling.optim.Optimizer;
import kindling.tensor.Tensor;

/** Helpers for the model tests: the d2l shape trace as text, the parameter count, and overfitting one small batch. */
final class ModelChecks {
    private ModelChecks() {
    }

    /** What {@link Summary#traceShapes} prints for a (1, 1, side, side) input, with \n line ends. */
    static String trace(Module net, int side) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.traceShapes(net, Tensor.zeros(1, 1, side, side), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    /** The number of elements of all parameters, counted without running the model. */
    static long parameters(Module net) {
        long n = 0;
        for (Tensor p : net.parameters()) {
            n += p.numel();
        }
        return n;
    }

    /**
     * Trains {@code net} with Adam ({@code lr}) for {@code steps} steps on the first {@code n}
     * training images of the bundled subset, resized to side×side, and returns the loss on that
     * batch afterwards in eval mode (dropout off).
     */
    static float overfitLoss(Module net, int n, int side, float lr, int steps) throws IOException {
        ImageData data = FashionMnist.loadBundledSubset();
        Resize resize = new Resize(side, side);
        List<Tensor> resized = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            resized.add(resize.apply(data.train().inputs().select(0, i)));
        }
        Tensor images = Tensor.stack(resized, 0);
        Tensor targets = data.train().targets().narrow(0, 0, n);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Optimizer optimizer = Adam.builder(net.parameters()).lr(lr).build();
        net.train();
        for (int step = 0; step < steps; step++) {
            Tensor l = loss.forward(net.forward(images), targets);
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
        }
        net.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            return loss.forward(net.forward(images), targets).item();
        }
    }
}
