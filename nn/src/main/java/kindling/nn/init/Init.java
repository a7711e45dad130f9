package kindling.nn.init;

import kindling.autograd.NoGrad;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Weight initialisation, as PyTorch's {@code torch.nn.init}: each method overwrites a tensor in place
 * (without recording, under {@link NoGrad}) and returns it. Random draws come from a
 * {@link Generator}; the overloads without one use {@link Generator#global()}.
 *
 * <p><b>Fans.</b> For a weight of shape (out, in, k1, k2, ...) — Linear (out, in), Conv2d
 * (C_out, C_in, kH, kW) — PyTorch's {@code _calculate_fan_in_and_fan_out} gives
 * <pre>
 *   receptive = k1 · k2 · ...            (1 for a matrix)
 *   fan_in    = in  · receptive
 *   fan_out   = out · receptive
 * </pre>
 * and needs at least 2 dims.
 *
 * <p><b>Which to use.</b> Xavier/Glorot (Glorot and Bengio 2010) keeps the variance of activations
 * and gradients equal through tanh/sigmoid layers: Var[w] = 2 / (fan_in + fan_out). Kaiming/He
 * (He et al. 2015) keeps it through ReLU layers: Var[w] = gain² / fan.
 */
public final class Init {
    private Init() {
    }

    /** The fans PyTorch computes; index 0 is fan_in, index 1 is fan_out. */
    public static int[] fanInAndFanOut(Tensor tensor) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions, got shape " + kindling.tensor.Shape.format(tensor.shape()));
        }
        int receptive = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptive *= tensor.size(d);
        }
        return new int[] {tensor.size(1) * receptive, tensor.size(0) * receptive};
    }

    /**
     * The recommended gain for a nonlinearity, as PyTorch's {@code calculate_gain}:
     * linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid → 1; tanh → 5/3; relu → √2;
     * leaky_relu → √(2 / (1 + slope²)) with {@code param} the slope (default 0.01 when NaN); selu → 3/4.
     */
    public static double calculateGain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                    "conv_transpose3d", "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3.0;
            case "relu":
                return Math.sqrt(2.0);
            case "leaky_relu":
                double slope = Double.isNaN(param) ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4.0;
            default:
                throw new IllegalArgumentException("calculateGain: unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@code calculateGain(nonlinearity, NaN)}: the leaky_relu slope defaults to 0.01. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /** Fills with U(a, b): each value a + (b − a) · u, u uniform in [0, 1). */
    public static Tensor uniform_(Tensor tensor, double a, double b, Generator generator) {
        if (!(a <= b)) {
            throw new IllegalArgumentException("uniform_: expected a <= b, got a=" + a + ", b=" + b);
        }
        return overwrite(tensor, Tensor.rand(generator, tensor.shape()).mul((float) (b - a)).add((float) a));
    }

    /** {@link #uniform_(Tensor, double, double, Generator)} from the global generator. */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        return uniform_(tensor, a, b, Generator.global());
    }

    /** Fills with N(mean, std²): each value mean + std · z, z standard normal. */
    public static Tensor normal_(Tensor tensor, double mean, double std, Generator generator) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal_: std must be >= 0, got " + std);
        }
        return overwrite(tensor, Tensor.randn(generator, tensor.shape()).mul((float) std).add((float) mean));
    }

    /** {@link #normal_(Tensor, double, double, Generator)} from the global generator. */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        return normal_(tensor, mean, std, Generator.global());
    }

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor tensor, double value) {
        try (NoGrad ignored = NoGrad.enter()) {
            tensor.fill_((float) value);
        }
        return tensor;
    }

    /** Fills with 0. */
    public static Tensor zeros_(Tensor tensor) {
        return constant_(tensor, 0.0);
    }

    /** Fills with 1. */
    public static Tensor ones_(Tensor tensor) {
        return constant_(tensor, 1.0);
    }

    /** Xavier/Glorot uniform: U(−a, a) with a = gain · √(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor tensor, double gain, Generator generator) {
        int[] fans = fanInAndFanOut(tensor);
        double a = gain * Math.sqrt(6.0 / (fans[0] + fans[1]));
        return uniform_(tensor, -a, a, generator);
    }

    /** {@link #xavierUniform_(Tensor, double, Generator)} from the global generator (PyTorch's gain default is 1). */
    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        return xavierUniform_(tensor, gain, Generator.global());
    }

    /** Xavier/Glorot normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor tensor, double gain, Generator generator) {
        int[] fans = fanInAndFanOut(tensor);
        return normal_(tensor, 0.0, gain * Math.sqrt(2.0 / (fans[0] + fans[1])), generator);
    }

    /** {@link #xavierNormal_(Tensor, double, Generator)} from the global generator. */
    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        return xavierNormal_(tensor, gain, Generator.global());
    }

    /**
     * Kaiming/He uniform: U(−bound, bound) with bound = gain · √(3 / fan), gain =
     * {@code calculateGain(nonlinearity, a)}, fan = fan_in or fan_out by {@code mode}
     * ("fan_in" or "fan_out"). PyTorch's defaults: a = 0, mode = "fan_in", nonlinearity = "leaky_relu".
     * Linear and Conv use a = √5, which gives bound = 1/√fan_in.
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity,
                                         Generator generator) {
        if (tensor.numel() == 0) {
            return tensor;                                     // PyTorch: zero-element tensors are a no-op
        }
        double bound = calculateGain(nonlinearity, a) * Math.sqrt(3.0 / fan(tensor, mode));
        return uniform_(tensor, -bound, bound, generator);
    }

    /** {@link #kaimingUniform_(Tensor, double, String, String, Generator)} from the global generator. */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingUniform_(tensor, a, mode, nonlinearity, Generator.global());
    }

    /** Kaiming/He normal: N(0, std²) with std = gain / √fan; arguments as {@link #kaimingUniform_}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity,
                                        Generator generator) {
        if (tensor.numel() == 0) {
            return tensor;
        }
        return normal_(tensor, 0.0, calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode)), generator);
    }

    /** {@link #kaimingNormal_(Tensor, double, String, String, Generator)} from the global generator. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingNormal_(tensor, a, mode, nonlinearity, Generator.global());
    }

    private static int fan(Tensor tensor, String mode) {
        int[] fans = fanInAndFanOut(tensor);
        switch (mode) {
            case "fan_in":
                return fans[0];
            case "fan_out":
                return fans[1];
            default:
                throw new IllegalArgumentException("Mode " + mode + " not supported, please use one of fan_in, fan_out");
        }
    }

    /** Copies {@code values} into {@code tensor} without recording: initialisation is not part of the graph. */
    private static Tensor overwrite(Tensor tensor, Tensor values) {
        try (NoGrad ignored = NoGrad.enter()) {
            tensor.copy_(values);
        }
        return tensor;
    }
}
