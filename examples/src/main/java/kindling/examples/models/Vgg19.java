package kindling.examples.models;

import kindling.nn.Conv2d;
import kindling.nn.MaxPool2d;
import kindling.nn.ReLU;
import kindling.nn.Sequential;

/**
 * torchvision's VGG-19 convolutional part, {@code vgg19().features}, with torchvision's module
 * indices, so that its ImageNet weights load by their PyTorch names ({@code features.0.weight},
 * {@code features.2.bias}, ..., {@code features.34.weight}).
 * <pre>
 *   configuration "E": 64 64 M 128 128 M 256 256 256 256 M 512 512 512 512 M 512 512 512 512 M
 *   each number: Conv2d(in, out, 3, padding 1) then ReLU     (two indices)
 *   M:           MaxPool2d(2, 2)                            (one index)
 *   conv1_1 = 0, relu1_1 = 1, relu2_1 = 6, relu3_1 = 11, relu4_1 = 20, relu4_2 = 22, relu5_1 = 29
 * </pre>
 * Input: RGB images (N, 3, H, W) normalised with ImageNet's mean (0.485, 0.456, 0.406) and standard
 * deviation (0.229, 0.224, 0.225), as torchvision's weights expect. 20,024,384 parameters.
 */
public final class Vgg19 {
    /** Configuration "E" of the VGG paper: output channels, 0 for a max pool. */
    private static final int[] CONFIG = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0,
        512, 512, 512, 512, 0};

    /** ImageNet's per-channel mean and standard deviation, RGB. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private Vgg19() {
    }

    /** The model {@code {features: Sequential(...)}}: its state-dict keys are torchvision's {@code features.*}. */
    public static Sequential withFeatures() {
        Sequential model = new Sequential();
        model.add("features", features());
        return model;
    }

    /** The 37 modules of {@code vgg19().features}, indexed as torchvision indexes them. */
    public static Sequential features() {
        Sequential features = new Sequential();
        int in = 3;
        for (int out : CONFIG) {
            if (out == 0) {
                features.add(new MaxPool2d(2, 2));
            } else {
                features.add(new Conv2d(in, out, 3, 1, 1));
                features.add(new ReLU());
                in = out;
            }
        }
        return features;
    }
}
