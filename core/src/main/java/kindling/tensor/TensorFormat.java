package kindling.tensor;

import java.util.Locale;

/**
 * Prints a tensor as PyTorch does, so output can be compared with the book line by line:
 * <pre>
 *   tensor([[0.1000, 0.2000],
 *           [0.3000, 0.4000]], gradFn=MulOp)
 * </pre>
 * Four decimals; integers print as {@code 1.}; scientific notation when the magnitudes span more
 * than a factor of 1000 or exceed 1e8; a tensor with more than 1000 elements shows its first and
 * last three entries along each dim with {@code ...} between.
 */
final class TensorFormat {
    private static final int SUMMARIZE_ABOVE = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {
    }

    static String format(Tensor tensor) {
        int[] shape = tensor.shape();
        float[] values = tensor.toArray();
        boolean summarize = values.length > SUMMARIZE_ABOVE;
        StringBuilder out = new StringBuilder(PREFIX);
        if (values.length == 0) {
            out.append("[]");
            if (shape.length != 1) {
                out.append(", size=").append(Shape.format(shape));
            }
        } else {
            NumberStyle style = NumberStyle.choose(values);
            appendDim(out, values, shape, Shape.contiguousStrides(shape), 0, 0, style, summarize);
        }
        if (tensor.gradFn() != null) {
            out.append(", gradFn=").append(tensor.gradFn().name());
        } else if (tensor.requiresGrad()) {
            out.append(", requiresGrad=true");
        }
        return out.append(')').toString();
    }

    private static void appendDim(StringBuilder out, float[] values, int[] shape, int[] strides, int dim,
                                  int start, NumberStyle style, boolean summarize) {
        if (dim == shape.length) {
            out.append(style.format(values[start]));
            return;
        }
        int size = shape[dim];
        boolean cut = summarize && size > 2 * EDGE_ITEMS;
        String separator = dim == shape.length - 1 ? ", "
                : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(PREFIX.length() + dim + 1);
        out.append('[');
        for (int i = 0; i < size; i++) {
            if (cut && i == EDGE_ITEMS) {
                out.append("...").append(separator);
                i = size - EDGE_ITEMS;
            }
            appendDim(out, values, shape, strides, dim + 1, start + i * strides[dim], style, summarize);
            if (i < size - 1) {
                out.append(separator);
            }
        }
        out.append(']');
    }

    /** One notation and width for every element, chosen from the finite values as PyTorch does. */
    private static final class NumberStyle {
        private final boolean integers;
        private final boolean scientific;
        private final int width;

        private NumberStyle(boolean integers, boolean scientific, int width) {
            this.integers = integers;
            this.scientific = scientific;
            this.width = width;
        }

        static NumberStyle choose(float[] values) {
            boolean integers = true;
            double largest = 0;
            double smallest = Double.MAX_VALUE;
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    continue;
                }
                integers &= v == Math.rint(v);
                double magnitude = Math.abs(v);
                if (magnitude != 0) {
                    largest = Math.max(largest, magnitude);
                    smallest = Math.min(smallest, magnitude);
                }
            }
            boolean scientific = largest > 0
                    && (largest / smallest > 1000 || largest > 1e8 || (!integers && smallest < 1e-4));
            if (integers && largest <= 1e8) {
                scientific = false;
            }
            NumberStyle style = new NumberStyle(integers, scientific, 0);
            int width = 0;
            for (float v : values) {
                width = Math.max(width, style.plain(v).length());
            }
            return new NumberStyle(integers, scientific, width);
        }

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
                return String.format(Locale.ROOT, "%.4e", value);
            }
            if (integers) {
                return String.format(Locale.ROOT, "%.0f.", value);
            }
            return String.format(Locale.ROOT, "%.4f", value);
        }
    }
}
