package kindling.examples.models;

import kindling.nn.AdaptiveAvgPool2d;
import kindling.nn.BasicBlock;
import kindling.nn.BatchNorm2d;
import kindling.nn.Conv2d;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.MaxPool2d;
import kindling.nn.Module;
import kindling.nn.ReLU;
import kindling.nn.Sequential;

/**
 * ResNet-18 as in d2l.ai (Dive into Deep Learning, PyTorch edition 0.17, §7.6 "Residual Networks
 * (ResNet)"), and a narrower variant that trains on a 2-core CPU in minutes.
 * <pre>
 *   d2l(), input (N, 1, 96, 96)                                           output shape
 *   b1: Conv2d(1, 64, k=7, s=2, p=3) BN ReLU MaxPool2d(3, s=2, p=1)       (N, 64, 24, 24)
 *   b2: BasicBlock(64, 64)   × 2                                          (N, 64, 24, 24)
 *   b3: BasicBlock(64, 128, stride 2), BasicBlock(128, 128)              (N, 128, 12, 12)
 *   b4: BasicBlock(128, 256, stride 2), BasicBlock(256, 256)             (N, 256, 6, 6)
 *   b5: BasicBlock(256, 512, stride 2), BasicBlock(512, 512)             (N, 512, 3, 3)
 *   AdaptiveAvgPool2d(1) → (N, 512, 1, 1)   Flatten → (N, 512)   Linear(512, 10) → (N, 10)
 *   18 weight layers: 1 + 4·2·2 + 1; 11,175,434 parameters (the book's code has 11,178,378)
 * </pre>
 * Each residual block is {@link BasicBlock}: y = relu(F(x) + shortcut(x)). Where it differs from the
 * book's {@code Residual} class:
 * <ul>
 *   <li>its 3×3 convolutions have no bias (the book's do): the BatchNorm after each subtracts the
 *       per-channel mean, so a bias there does not change what the network computes — 3,840 fewer
 *       parameters;</li>
 *   <li>the projection shortcut (the book's {@code use_1x1conv=True}) is a 1×1 convolution without
 *       bias followed by BatchNorm, as in torchvision and the paper's option B; the book's is a 1×1
 *       convolution with bias and no BatchNorm (BatchNorm's 1,792 parameters here, the book's 896 biases there).</li>
 * </ul>
 * Both choices are torchvision's, so the blocks' state dicts use its names.
 */
public final class ResNet {
    private ResNet() {
    }

    /**
     * d2l's ResNet-18 for Fashion-MNIST resized to 96×96: one input channel, ten classes, initialised
     * as the book's {@code train_ch6} does: every Conv2d and Linear weight (shortcut convolutions
     * included) from Xavier-uniform; biases and BatchNorm keep PyTorch's defaults.
     */
    public static Sequential d2l() {
        Sequential b1 = new Sequential(
                new Conv2d(1, 64, 7, 2, 3), new BatchNorm2d(64), new ReLU(),
                new MaxPool2d(3, 2, 1));
        Sequential net = new Sequential(
                b1,
                stage(64, 64, 2, true),
                stage(64, 128, 2, false),
                stage(128, 256, 2, false),
                stage(256, 512, 2, false),
                new AdaptiveAvgPool2d(1), new Flatten(),
                new Linear(512, 10));
        net.apply(LeNet::xavierInit);
        return net;
    }

    /**
     * The same architecture, narrowed and resized for a CPU: channels 16-32-64-128 instead of
     * 64-128-256-512 (16 times fewer MACs per position), 28×28 inputs (no resize), and a stem of a
     * 3×3 convolution with stride 1 and a 3/2 max pool (28 → 14) instead of 7×7/2 and 3/2 (96 → 24).
     * <pre>
     *   input (N, 1, 28, 28) → b1 (N, 16, 14, 14) → b2 (N, 16, 14, 14) → b3 (N, 32, 7, 7)
     *   → b4 (N, 64, 4, 4) → b5 (N, 128, 2, 2) → pool (N, 128, 1, 1) → (N, 128) → (N, 10)
     * </pre>
     * Every layer keeps PyTorch's default initialisation (it trains with Adam, not the book's recipe).
     */
    public static Sequential small() {
        return smallBase().add(new Linear(128, 10));
    }

    /**
     * {@link #small()} without its classifier: the convolutional base b1 ... b5, the pooling and the
     * flattening, (N, 1, 28, 28) → (N, 128). Its children and state-dict keys are those of
     * {@code small()} before {@code 7.weight}, so a checkpoint of {@code small()} loads into it
     * non-strictly (with the classifier's keys reported as unexpected) — the base for transfer learning.
     */
    public static Sequential smallBase() {
        Sequential b1 = new Sequential(
                Conv2d.builder(1, 16, 3).padding(1).build(), new BatchNorm2d(16), new ReLU(),
                new MaxPool2d(3, 2, 1));
        return new Sequential(
                b1,
                stage(16, 16, 2, true),
                stage(16, 32, 2, false),
                stage(32, 64, 2, false),
                stage(64, 128, 2, false),
                new AdaptiveAvgPool2d(1), new Flatten());
    }

    /**
     * d2l's {@code resnet_block}: {@code numResiduals} blocks; the first halves H and W and changes
     * the channels (with a projection shortcut), unless this is the first stage, whose input already
     * has the right size after b1's max pool.
     */
    public static Sequential stage(int inChannels, int outChannels, int numResiduals, boolean firstStage) {
        Sequential blocks = new Sequential();
        for (int i = 0; i < numResiduals; i++) {
            if (i == 0 && !firstStage) {
                blocks.add(new BasicBlock(inChannels, outChannels, 2));
            } else {
                blocks.add(new BasicBlock(outChannels, outChannels, 1));
            }
        }
        return blocks;
    }
}
