package kindling.nn;

import java.math.BigDecimal;

/**
 * Numbers and flags spelled as Python prints them, so that {@code extraRepr()} matches PyTorch's
 * {@code print(model)} character for character: {@code 0.01}, {@code 1.0}, {@code 1e-05}, {@code True}.
 */
final class PyRepr {
    private PyRepr() {
    }

    /** Python's {@code repr(float)}: plain between 1e-4 and 1e16, else {@code 1e-05} style. */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (value == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value < 0 ? "-" : "";
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** Python's {@code True} / {@code False}. */
    static String bool(boolean value) {
        return value ? "True" : "False";
    }
}
