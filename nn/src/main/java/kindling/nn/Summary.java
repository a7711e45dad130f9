package kindling.nn;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import kindling.autograd.NoGrad;
import kindling.ops.MacCounter;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * A model's layers with their output shapes, parameter counts and multiply-accumulates, measured by
 * a real forward pass (as torchinfo's {@code summary(model, input_size)}).
 * <pre>
 *   System.out.println(Summary.of(lenet, 1, 1, 28, 28));
 * </pre>
 * prints, for d2l's LeNet:
 * <pre>
 *   Layer (path)          Type          Output shape       Params       MACs
 *   0                     Conv2d        (1, 6, 28, 28)        156    117,600
 *   1                     Sigmoid       (1, 6, 28, 28)          0          0
 *   ...
 *   Total params: 61,706 (trainable 61,706)    Total MACs: 429,500
 * </pre>
 * The pass runs in eval mode without gradients on zeros of the given shape; each module's training
 * flag is restored afterwards (so a frozen base kept in eval mode inside a training model stays so).
 * {@link Sequential} containers are opened and their children run one by one (nested ones indented),
 * so each row shows its own output; any other module — a block, or your own model class with its own
 * {@code forward}, even one that extends Sequential — is one row whose parameters and MACs include
 * everything inside it, as its forward is what runs. MACs count the multiply-adds of matmul and
 * convolution ({@link MacCounter}); elementwise work is not counted, as in the papers' tables.
 *
 * <p>Frozen parameters (see {@link Module#requiresGrad_}) are counted apart in the totals, as
 * torchinfo's "Non-trainable params"; when a model has any, each row also says whether its
 * parameters are trainable: {@code True}, {@code False} or {@code Partial}.
 */
public final class Summary {
    /**
     * One layer: its dotted path, class name, output shape, parameters (its own and its children's),
     * MACs, and how many of those parameters are trainable (the rest are frozen).
     */
    public record Row(String path, int depth, String type, int[] outputShape, long parameters, long macs,
            long trainableParameters) {
        /** torchinfo's Trainable column: {@code True}, {@code False}, {@code Partial}, or {@code --} without parameters. */
        public String trainable() {
            return parameters == 0 ? "--" : trainableParameters == parameters ? "True"
                    : trainableParameters == 0 ? "False" : "Partial";
        }
    }

    private final List<Row> rows;
    private final int[] inputShape;
    private final long totalParameters;
    private final long trainableParameters;
    private final long totalMacs;

    private Summary(List<Row> rows, int[] inputShape, Module model) {
        this.rows = rows;
        this.inputShape = inputShape;
        long total = 0;
        long trainable = 0;
        for (Tensor p : model.parameters()) {
            total += p.numel();
            trainable += p.requiresGrad() ? p.numel() : 0;
        }
        this.totalParameters = total;
        this.trainableParameters = trainable;
        long macs = 0;
        for (Row row : rows) {
            macs += row.depth() == 0 ? row.macs() : 0;
        }
        this.totalMacs = macs;
    }

    /** Runs {@code model} on zeros of {@code inputShape} and records every layer. */
    public static Summary of(Module model, int... inputShape) {
        Map<String, Boolean> modes = model.trainingModes();
        model.eval();
        List<Row> rows = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            run(model, "", 0, Tensor.zeros(inputShape), rows, true);
        } finally {
            model.restoreTrainingModes(modes);
        }
        return new Summary(rows, inputShape.clone(), model);
    }

    /** Runs {@code module} on {@code input}, adding its rows; returns its output. */
    private static Tensor run(Module module, String path, int depth, Tensor input, List<Row> rows, boolean top) {
        if (Sequential.chainsItsChildren(module)) {
            Tensor x = input;
            for (Map.Entry<String, Module> child : module.namedChildren().entrySet()) {
                String childPath = path.isEmpty() ? child.getKey() : path + "." + child.getKey();
                int rowIndex = rows.size();
                try (MacCounter.Counting counting = MacCounter.start()) {
                    x = run(child.getValue(), childPath, top ? depth : depth + 1, x, rows, false);
                    if (Sequential.chainsItsChildren(child.getValue())) {   // its row goes above its children's
                        Module sequential = child.getValue();
                        rows.add(rowIndex, new Row(childPath, top ? depth : depth + 1, sequential.name(), x.shape(),
                                sequential.numParameters(), counting.total(), sequential.numTrainableParameters()));
                    }
                }
            }
            return x;
        }
        try (MacCounter.Counting counting = MacCounter.start()) {
            Tensor output = module.forward(input);
            rows.add(new Row(path.isEmpty() ? "(model)" : path, depth, module.name(),
                    output.shape(), module.numParameters(), counting.total(), module.numTrainableParameters()));
            return output;
        }
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    public long totalParameters() {
        return totalParameters;
    }

    public long trainableParameters() {
        return trainableParameters;
    }

    public long totalMacs() {
        return totalMacs;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        boolean anyFrozen = trainableParameters < totalParameters;
        String header = String.format("%-28s %-20s %-20s %12s %15s", "Layer (path)", "Type", "Output shape", "Params", "MACs")
                + (anyFrozen ? String.format(" %10s", "Trainable") : "") + String.format("%n");
        s.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Row row : rows) {
            s.append(String.format("%-28s %-20s %-20s %,12d %,15d", "  ".repeat(row.depth()) + row.path(), row.type(),
                    Shape.format(row.outputShape()), row.parameters(), row.macs()));
            s.append(anyFrozen ? String.format(" %10s", row.trainable()) : "").append(String.format("%n"));
        }
        s.append("-".repeat(header.length() - 1)).append('\n');
        s.append(String.format("Input shape: %s%n", Shape.format(inputShape)));
        s.append(String.format("Total params: %,d (trainable %,d, non-trainable %,d), %.2f MB as float32%n",
                totalParameters, trainableParameters, totalParameters - trainableParameters, totalParameters * 4 / 1e6));
        s.append(String.format("Total MACs: %,d (%.2f M) for this input%n", totalMacs, totalMacs / 1e6));
        return s.toString();
    }

    /**
     * The d2l shape trace: runs {@code input} through each child of {@code model} in turn and prints
     * each layer's class name and output shape, as the book's
     * {@code for layer in net: X = layer(X); print(layer.__class__.__name__, 'output shape:\t', X.shape)}
     * (shapes printed as tuples, e.g. {@code (1, 6, 28, 28)}, where PyTorch writes torch.Size([1, 6, 28, 28])).
     * It runs in eval mode, so a batch of one passes BatchNorm, and restores the training flag.
     * Returns the final output.
     */
    public static Tensor traceShapes(Module model, Tensor input, PrintStream out) {
        Tensor x = input;
        Map<String, Boolean> modes = model.trainingModes();
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Module layer : model.namedChildren().values()) {
                x = layer.forward(x);
                out.println(layer.getClass().getSimpleName() + " output shape:\t" + Shape.format(x.shape()));
            }
        } finally {
            model.restoreTrainingModes(modes);
        }
        return x;
    }
}
