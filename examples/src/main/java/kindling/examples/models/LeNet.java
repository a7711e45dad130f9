package kindling.examples.models;

import kindling.nn.AvgPool2d;
import kindling.nn.BatchNorm1d;
import kindling.nn.BatchNorm2d;
import kindling.nn.Conv2d;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.MaxPool2d;
import kindling.nn.Module;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.nn.Sigmoid;
import kindling.nn.init.Init;

/**
 * LeNet-5 as in d2l.ai (Dive into Deep Learning, PyTorch edition 0.17, §6.6 "Convolutional Neural
 * Networks (LeNet)"), and a modern variant.
 * <pre>
 *   input (N, 1, 28, 28)
 *   Conv2d(1, 6, k=5, pad=2)  → (N, 6, 28, 28)   sigmoid   AvgPool2d(2, 2) → (N, 6, 14, 14)
 *   Conv2d(6, 16, k=5)        → (N, 16, 10, 10)  sigmoid   AvgPool2d(2, 2) → (N, 16, 5, 5)
 *   Flatten                   → (N, 400)
 *   Linear(400, 120) sigmoid → Linear(120, 84) sigmoid → Linear(84, 10)     61,706 parameters
 * </pre>
 */
public final class LeNet {
    private LeNet() {
    }

    /**
     * The book's network, initialised as its {@code train_ch6} does: every Conv2d and Linear weight
     * from Xavier-uniform (biases keep PyTorch's default).
     */
    public static Sequential d2l() {
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new Sigmoid(),
                new AvgPool2d(2, 2),
                new Conv2d(6, 16, 5), new Sigmoid(),
                new AvgPool2d(2, 2),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), new Sigmoid(),
                new Linear(120, 84), new Sigmoid(),
                new Linear(84, 10));
        net.apply(LeNet::xavierInit);
        return net;
    }

    /**
     * The same shapes with today's choices: batch normalisation after each convolution and hidden
     * linear layer, ReLU instead of sigmoid, max instead of average pooling (trained with Adam).
     */
    public static Sequential modern() {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new BatchNorm2d(6), new ReLU(),
                new MaxPool2d(2, 2),
                new Conv2d(6, 16, 5), new BatchNorm2d(16), new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), new BatchNorm1d(120), new ReLU(),
                new Linear(120, 84), new BatchNorm1d(84), new ReLU(),
                new Linear(84, 10));
    }

    /** d2l's {@code init_weights}: {@code nn.init.xavier_uniform_(m.weight)} for Linear and Conv2d. */
    private static void xavierInit(Module module) {
        if (module instanceof Linear linear) {
            Init.xavierUniform_(linear.weight, 1.0);
        } else if (module instanceof Conv2d conv) {
            Init.xavierUniform_(conv.weight, 1.0);
        }
    }
}
