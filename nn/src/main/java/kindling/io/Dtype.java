package kindling.io;

import java.nio.ByteBuffer;

/**
 * The safetensors element types Kindling reads, each converted to {@code float} on load. Integers
 * come from PyTorch's integer buffers (BatchNorm's I64 {@code num_batches_tracked}); they become the
 * nearest float, exact up to 2^24.
 */
enum Dtype {
    /** IEEE half precision: 1 sign, 5 exponent, 10 mantissa bits. */
    F16(2),
    /** bfloat16: the top 16 bits of a float32 (1 sign, 8 exponent, 7 mantissa bits). */
    BF16(2),
    /** 32-bit signed integer, little-endian. */
    I32(4),
    /** IEEE single precision, Kindling's own type: read and written without conversion. */
    F32(4),
    /** IEEE double precision, rounded to the nearest float. */
    F64(8),
    /** 64-bit signed integer (PyTorch's {@code torch.long}), little-endian. */
    I64(8);

    final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** The Dtype named {@code name} in a header, or null if Kindling does not read it. */
    static Dtype byName(String name) {
        for (Dtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }

    /** Reads {@code count} little-endian elements from {@code in} into {@code out[from ..]}. */
    void decode(ByteBuffer in, float[] out, int from, int count) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out, from, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[from + i] = (float) in.getDouble(in.position() + 8 * i);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[from + i] = Float.intBitsToFloat((in.getShort(in.position() + 2 * i) & 0xFFFF) << 16);
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    out[from + i] = in.getInt(in.position() + 4 * i);
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    out[from + i] = in.getLong(in.position() + 8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[from + i] = halfToFloat(in.getShort(in.position() + 2 * i) & 0xFFFF);
                }
            }
            default -> throw new IllegalStateException("no decoder for " + this);
        }
        in.position(in.position() + count * bytes);
    }

    /** IEEE binary16 to binary32, exactly (every half is a float). */
    static float halfToFloat(int half) {
        int sign = (half >>> 15) << 31;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0) {                                  // zero or subnormal: mantissa · 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {                               // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
