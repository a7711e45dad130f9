package kindling.examples.models;

import java.util.ArrayList;
import java.util.List;
import kindling.nn.Conv2d;
import kindling.nn.Dropout;
import kindling.nn.Flatten;
import kindling.nn.Linear;
import kindling.nn.MaxPool2d;
import kindling.nn.ReLU;
import kindling.nn.Sequential;

/**
 * VGG (Simonyan and Zisserman, 2014) as d2l.ai builds it for Fashion-MNIST (Dive into Deep Learning,
 * PyTorch edition 0.17, §7.2 "Networks Using Blocks (VGG)"): a network made of repeated blocks.
 * <pre>
 *   vgg_block(numConvs, in, out) = [Conv2d(in, out, k=3, p=1) ReLU] × numConvs, MaxPool2d(2, 2)
 *       each conv keeps H and W (⌊(H + 2 − 3) / 1⌋ + 1 = H); the pool halves them
 *
 *   VGG-11, conv_arch ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)), input (N, 1, 224, 224):
 *   block 1: 1 conv  1 → 64     → (N, 64, 112, 112)
 *   block 2: 1 conv 64 → 128    → (N, 128, 56, 56)
 *   block 3: 2 convs   → 256    → (N, 256, 28, 28)
 *   block 4: 2 convs   → 512    → (N, 512, 14, 14)
 *   block 5: 2 convs   → 512    → (N, 512, 7, 7)
 *   Flatten → (N, 25088)
 *   Linear(25088, 4096) ReLU Dropout(0.5) → Linear(4096, 4096) ReLU Dropout(0.5) → Linear(4096, 10)
 *   8 convolutions + 3 linear layers = 11 weight layers; 128,806,154 parameters
 * </pre>
 * Weights are initialised as the book's {@code train_ch6} does: Xavier-uniform for every Conv2d and
 * Linear weight, PyTorch's default for biases.
 */
public final class Vgg {
    /** The image size {@link #small()} expects: Fashion-MNIST's 28×28 resized up (see there). */
    public static final int SMALL_INPUT = 32;

    /** One block's shape: how many 3×3 convolutions and their output channels. */
    public record Block(int numConvs, int outChannels) {
    }

    /** The book's {@code conv_arch} for VGG-11. */
    public static final List<Block> VGG11 = List.of(new Block(1, 64), new Block(1, 128), new Block(2, 256),
            new Block(2, 512), new Block(2, 512));

    private Vgg() {
    }

    /** d2l's {@code vgg_block}: numConvs 3×3 convolutions (padding 1) with ReLU, then a 2×2 max-pool. */
    public static Sequential block(int numConvs, int inChannels, int outChannels) {
        Sequential block = new Sequential();
        for (int i = 0; i < numConvs; i++) {
            block.add(new Conv2d(inChannels, outChannels, 3, 1, 1));
            block.add(new ReLU());
            inChannels = outChannels;
        }
        return block.add(new MaxPool2d(2, 2));
    }

    /**
     * d2l's {@code vgg(conv_arch)} for inputs of {@code inputSize}×{@code inputSize} (the book: 224):
     * the blocks, then the classifier on the (C, inputSize/32, inputSize/32) map, with {@code hidden}
     * units in its two hidden layers (the book: 4096).
     */
    public static Sequential vgg(List<Block> convArch, int inputSize, int hidden) {
        int side = inputSize >> convArch.size();
        if (side < 1 || inputSize % (1 << convArch.size()) != 0) {
            throw new IllegalArgumentException("Vgg: inputSize must be a multiple of " + (1 << convArch.size())
                    + " for " + convArch.size() + " blocks, got " + inputSize);
        }
        Sequential net = new Sequential();
        int in = 1;
        for (Block b : convArch) {
            net.add(block(b.numConvs(), in, b.outChannels()));
            in = b.outChannels();
        }
        net.add(new Flatten());
        net.add(new Linear(in * side * side, hidden)).add(new ReLU()).add(new Dropout(0.5));
        net.add(new Linear(hidden, hidden)).add(new ReLU()).add(new Dropout(0.5));
        net.add(new Linear(hidden, 10));
        net.apply(LeNet::xavierInit);
        return net;
    }

    /** The book's VGG-11 at 224×224 (its §7.2.2 {@code net = vgg(conv_arch)}). */
    public static Sequential vgg11() {
        return vgg(VGG11, 224, 4096);
    }

    /**
     * The network the book trains (§7.2.3): VGG-11 with every channel count divided by
     * {@code ratio = 4} (16, 32, 64, 128, 128), still at 224×224 with 4096 hidden units:
     * 43,093,322 parameters, about half a billion multiply-adds per image.
     */
    public static Sequential d2l() {
        return vgg(narrow(VGG11, 4), 224, 4096);
    }

    /** {@code conv_arch} with every channel count divided by {@code ratio}, as the book's {@code small_conv_arch}. */
    public static List<Block> narrow(List<Block> convArch, int ratio) {
        List<Block> narrow = new ArrayList<>();
        for (Block b : convArch) {
            narrow.add(new Block(b.numConvs(), b.outChannels() / ratio));
        }
        return narrow;
    }

    /**
     * A VGG-11 for the CPU: the book's own narrowing (§7.2.3, {@code ratio = 4}: channels 16, 32, 64,
     * 128, 128) taken further to ratio 8 (8, 16, 32, 64, 64), inputs of {@value #SMALL_INPUT}×{@value #SMALL_INPUT}
     * instead of 224×224 (so the last map is 64×1×1), and 256 instead of 4096 hidden units.
     */
    public static Sequential small() {
        return vgg(narrow(VGG11, 8), SMALL_INPUT, 256);
    }
}
