package kindling.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a tensor as PyTorch 1.13 does ({@code torch/_tensor_str.py}), so output can be compared
 * with the book line by line:
 * <pre>
 *   tensor([[0.1000, 0.2000],
 *           [0.3000, 0.4000]], gradFn=MulOp)
 * </pre>
 * The rules, all taken from PyTorch:
 * <ul>
 *   <li>One notation and width for every element, chosen from the nonzero finite values that are
 *       printed: integers print as {@code 1.}; otherwise four decimals; scientific notation
 *       ({@code 1.0000e-05}) when the largest magnitude exceeds 1000 times the smallest or 1e8, or,
 *       for non-integers, when the smallest is below 1e-4.</li>
 *   <li>Numbers are rounded half-to-even on their exact binary value, as Python's {@code format}.</li>
 *   <li>More than 1000 elements: each dim longer than 6 shows its first and last three entries with
 *       {@code ...} between.</li>
 *   <li>Lines are wrapped at 80 characters; blocks of a 3-D tensor are separated by a blank line.</li>
 * </ul>
 * Kindling's suffixes are {@code requiresGrad=true} and {@code gradFn=MulOp} where PyTorch prints
 * {@code requires_grad=True} and {@code grad_fn=<MulBackward0>}.
 */
final class TensorFormat {
    private static final int SUMMARIZE_ABOVE = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {
    }

    static String format(Tensor tensor) {
        int[] shape = tensor.shape();
        float[] values = tensor.toArray();
        StringBuilder out = new StringBuilder(PREFIX);
        if (values.length == 0) {
            out.append("[]");
            if (shape.length != 1) {
                out.append(", size=").append(Shape.format(shape));
            }
        } else {
            boolean summarize = values.length > SUMMARIZE_ABOVE;
            int[] strides = Shape.contiguousStrides(shape);
            List<Float> shown = new ArrayList<>();
            collectShown(values, shape, strides, 0, 0, summarize, shown);
            NumberStyle style = NumberStyle.choose(shown);
            appendDim(out, values, shape, strides, 0, 0, PREFIX.length(), style, summarize);
        }
        if (tensor.gradFn() != null) {
            out.append(", gradFn=").append(tensor.gradFn().name());
        } else if (tensor.requiresGrad()) {
            out.append(", requiresGrad=true");
        }
        return out.append(')').toString();
    }

    /** Whether a dim of this size is cut to its edges. */
    private static boolean cut(int size, boolean summarize) {
        return summarize && size > 2 * EDGE_ITEMS;
    }

    /** The values that will be printed: PyTorch chooses the number style from these only. */
    private static void collectShown(float[] values, int[] shape, int[] strides, int dim, int start,
                                     boolean summarize, List<Float> shown) {
        if (dim == shape.length) {
            shown.add(values[start]);
            return;
        }
        int size = shape[dim];
        boolean cut = cut(size, summarize);
        for (int i = 0; i < size; i++) {
            if (cut && i == EDGE_ITEMS) {
                i = size - EDGE_ITEMS;
            }
            collectShown(values, shape, strides, dim + 1, start + i * strides[dim], summarize, shown);
        }
    }

    /** The sub-tensor at {@code start} from {@code dim} on, its brackets at column {@code indent}. */
    private static void appendDim(StringBuilder out, float[] values, int[] shape, int[] strides, int dim,
                                  int start, int indent, NumberStyle style, boolean summarize) {
        if (dim == shape.length) {
            out.append(style.format(values[start]));              // a 0-dim tensor
            return;
        }
        int size = shape[dim];
        boolean cut = cut(size, summarize);
        if (dim == shape.length - 1) {
            appendVector(out, values, size, strides[dim], start, indent, style, cut);
            return;
        }
        // Rows of a matrix on their own lines; blocks of a 3-D tensor separated by a blank line.
        String separator = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        out.append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(separator);
            }
            if (cut && i == EDGE_ITEMS) {
                out.append("...").append(separator);
                i = size - EDGE_ITEMS;
            }
            appendDim(out, values, shape, strides, dim + 1, start + i * strides[dim], indent + 1, style, summarize);
        }
        out.append(']');
    }

    /** The last dim: as many elements per line as fit in 80 characters after the indent. */
    private static void appendVector(StringBuilder out, float[] values, int size, int stride, int start,
                                     int indent, NumberStyle style, boolean cut) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (cut && i == EDGE_ITEMS) {
                items.add(" ...");
                i = size - EDGE_ITEMS;
            }
            items.add(style.format(values[start + i * stride]));
        }
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (style.width + 2));  // 2 for ", "
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
            }
            out.append(items.get(i));
        }
        out.append(']');
    }

    /** One notation and width for every element, chosen as PyTorch's {@code _Formatter} does. */
    private static final class NumberStyle {
        private static final int PRECISION = 4;

        private final boolean integers;
        private final boolean scientific;
        private final int width;

        private NumberStyle(boolean integers, boolean scientific, int width) {
            this.integers = integers;
            this.scientific = scientific;
            this.width = width;
        }

        static NumberStyle choose(List<Float> shown) {
            boolean integers = true;
            double largest = 0;
            double smallest = Double.MAX_VALUE;
            int nonzeroFinite = 0;
            for (float v : shown) {
                if (!Float.isFinite(v) || v == 0) {
                    continue;                        // PyTorch looks at nonzero finite values only
                }
                nonzeroFinite++;
                integers &= v == Math.ceil(v);
                largest = Math.max(largest, Math.abs(v));
                smallest = Math.min(smallest, Math.abs(v));
            }
            if (nonzeroFinite == 0) {
                return new NumberStyle(true, false, 1);
            }
            boolean scientific = largest / smallest > 1000 || largest > 1e8 || (!integers && smallest < 1e-4);
            NumberStyle style = new NumberStyle(integers, scientific, 0);
            int width = 1;
            for (float v : shown) {
                if (Float.isFinite(v) && v != 0) {
                    width = Math.max(width, style.plain(v).length());
                }
            }
            return new NumberStyle(integers, scientific, width);
        }

        /** The value right-aligned in the common width (longer values, such as {@code -inf}, overflow it). */
        String format(float value) {
            String text = plain(value);
            return " ".repeat(Math.max(0, width - text.length())) + text;
        }

        private String plain(float value) {
            if (Float.isNaN(value)) {
                return "nan";
            }
            if (Float.isInfinite(value)) {
                return value > 0 ? "inf" : "-inf";
            }
            if (scientific) {
                return scientific(value);
            }
            if (integers) {
                return fixed(value, 0) + ".";
            }
            return fixed(value, PRECISION);
        }

        /** Python's {@code '{:.Nf}'}: exact value, rounded half-to-even, sign kept for −0. */
        private static String fixed(float value, int decimals) {
            String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            return withSign(value, text);
        }

        /** Python's {@code '{:.4e}'}: five significant digits and an exponent of at least two digits. */
        private static String scientific(float value) {
            String digits = "00000";
            int exponent = 0;
            if (value != 0) {
                BigDecimal rounded = new BigDecimal(Math.abs(value))
                        .round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
                String unscaled = rounded.unscaledValue().toString();
                exponent = unscaled.length() - 1 - rounded.scale();
                digits = (unscaled + "00000").substring(0, PRECISION + 1);
            }
            String text = digits.charAt(0) + "." + digits.substring(1) + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            return withSign(value, text);
        }

        private static String withSign(float value, String text) {
            boolean negative = Math.copySign(1f, value) < 0;
            return negative && !text.startsWith("-") ? "-" + text : text;
        }
    }
}
