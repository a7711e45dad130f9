package kindling.examples.models;

import kindling.nn.AvgPool2d;
import kindling.nn.BatchNorm1d;
import kindling.nn.BatchNorm2d;
import kindling.nn.Conv2d;
import kindling.nn.Flatten;
import kindling.nn.LayerNorm;
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

    /** Which normalisation the modern LeNet puts after each convolution and hidden linear layer. */
    public enum Norm {
        /** none: ReLU straight after the layer. */
        NONE,
        /** BatchNorm2d after convolutions, BatchNorm1d after linear layers (d2l 8.5). */
        BATCH,
        /**
         * LayerNorm over each example's whole feature map, {@code LayerNorm([C, H, W])} after a
         * convolution and {@code LayerNorm(F)} after a linear layer: statistics per example, so the
         * same in training and evaluation.
         */
        LAYER
    }

    /**
     * The same shapes with today's choices: batch normalisation after each convolution and hidden
     * linear layer, ReLU instead of sigmoid, max instead of average pooling (trained with Adam).
     */
    public static Sequential modern() {
        return modern(Norm.BATCH);
    }

    /** The modern LeNet with the given normalisation (or none) after each convolution and hidden linear layer. */
    public static Sequential modern(Norm norm) {
        Sequential net = new Sequential();
        net.add(new Conv2d(1, 6, 5, 1, 2));
        addNorm(net, norm, 6, 28, 28);
        net.add(new ReLU());
        net.add(new MaxPool2d(2, 2));
        net.add(new Conv2d(6, 16, 5));
        addNorm(net, norm, 16, 10, 10);
        net.add(new ReLU());
        net.add(new MaxPool2d(2, 2));
        net.add(new Flatten());
        net.add(new Linear(16 * 5 * 5, 120));
        addNorm(net, norm, 120);
        net.add(new ReLU());
        net.add(new Linear(120, 84));
        addNorm(net, norm, 84);
        net.add(new ReLU());
        net.add(new Linear(84, 10));
        return net;
    }

    /** Appends the normalisation for a layer whose output per example has {@code featureShape}. */
    private static void addNorm(Sequential net, Norm norm, int... featureShape) {
        switch (norm) {
            case NONE -> { }
            case BATCH -> net.add(featureShape.length == 3 ? new BatchNorm2d(featureShape[0]) : new BatchNorm1d(featureShape[0]));
            case LAYER -> net.add(new LayerNorm(featureShape));
        }
    }

    /**
     * d2l's {@code init_weights}: {@code nn.init.xavier_uniform_(m.weight)} for Linear and Conv2d,
     * other modules unchanged; {@code net.apply(LeNet::xavierInit)} as the book's
     * {@code net.apply(init_weights)}. AlexNet, VGG and ResNet start the same way.
     */
    public static void xavierInit(Module module) {
        if (module instanceof Linear linear) {
            Init.xavierUniform_(linear.weight, 1.0);
        } else if (module instanceof Conv2d conv) {
            Init.xavierUniform_(conv.weight, 1.0);
        }
    }
}
