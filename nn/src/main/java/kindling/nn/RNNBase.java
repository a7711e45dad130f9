package kindling.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kindling.nn.init.Init;
import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share, as PyTorch's {@code nn.RNNBase}: a stack of
 * {@code numLayers} recurrent layers, each run over the whole sequence, optionally in both directions.
 * <pre>
 *   for layer k = 0 .. numLayers−1, for each direction:
 *       for t = 0 .. L−1   (L−1 .. 0 for the reverse direction):
 *           gi    = x_t · W_ihᵀ + b_ih
 *           gh    = h · W_hhᵀ + b_hh
 *           h (, c) = cell step(gi, gh, h (, c))          RNNCell.step, LSTMCell.step or GRUCell.step
 *           out[t] = h
 *       layer output = out, or [out_forward, out_reverse] along the features (bidirectional)
 *       next layer's x = dropout(layer output)             (training only, not after the last layer)
 * </pre>
 * Backpropagation through time is ordinary backward through this unrolled graph; the graph is walked
 * iteratively, so hundreds of steps do not overflow the stack. Between layers the sequence is kept as
 * a list of per-step (N, features) tensors rather than one (L, N, features) tensor: a slice's
 * gradient is as large as the tensor it was cut from, so slicing every step out of one big tensor
 * would make the backward pass O(L²) in time.
 *
 * <p><b>Shape</b> (L sequence length, N batch, F_in = inputSize, Hid = hiddenSize, H_out = projSize if set
 * (LSTM only) else Hid, D = 2 if bidirectional else 1)
 * <ul>
 *   <li>input (L, N, F_in), or (N, L, F_in) with batchFirst, or unbatched (L, F_in);
 *   <li>h0 (numLayers·D, N, H_out) and c0 (numLayers·D, N, Hid), or without N unbatched — zeros when not given;
 *   <li>output (L, N, D·H_out), or (N, L, D·H_out) with batchFirst, or (L, D·H_out); h_n, c_n as h0, c0.
 * </ul>
 * <b>Parameters</b>, for each layer k and direction ({@code _reverse} suffix for the backward one), all
 * U(−1/√Hid, 1/√Hid): {@code weight_ih_l{k}} (G·Hid, F_in) for k = 0 and (G·Hid, D·H_out) above,
 * {@code weight_hh_l{k}} (G·Hid, H_out), {@code bias_ih_l{k}} and {@code bias_hh_l{k}} (G·Hid), and with
 * projections {@code weight_hr_l{k}} (H_out, Hid).
 * <p>PyTorch's defaults: numLayers 1, bias true, batchFirst false, dropout 0, bidirectional false.
 */
public abstract class RNNBase extends Module {
    /** The cell each layer runs, and its gate count G. */
    enum Cell {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        /** The module's name in messages: RNN, LSTM or GRU. */
        String moduleName() {
            return this == LSTM ? "LSTM" : this == GRU ? "GRU" : "RNN";
        }
    }

    private final Cell cell;
    private final int inputSize;
    private final int hiddenSize;
    private final int projSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final Generator dropoutGenerator;      // null: the global generator
    private final boolean bidirectional;
    /**
     * Per layer and direction (index layer·D + direction): {W_ih, W_hh, b_ih, b_hh, W_hr}, biases null
     * without bias, W_hr null without projections.
     */
    private final List<Tensor[]> weights = new ArrayList<>();

    RNNBase(Builder<?> b) {
        String name = b.cell.moduleName();
        check(b.inputSize >= 1 && b.hiddenSize >= 1, name + ": inputSize and hiddenSize must be at least 1, got inputSize="
                + b.inputSize + ", hiddenSize=" + b.hiddenSize);
        check(b.numLayers >= 1, name + ": numLayers must be at least 1, got " + b.numLayers);
        check(b.dropout >= 0 && b.dropout <= 1, name + ": dropout must be in [0, 1], got " + b.dropout);
        check(b.projSize >= 0, name + ": projSize must be positive, or 0 for no projections, got " + b.projSize);
        check(b.projSize < b.hiddenSize, name + ": projSize must be smaller than hiddenSize, got projSize="
                + b.projSize + ", hiddenSize=" + b.hiddenSize);
        this.cell = b.cell;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.projSize = b.projSize;
        this.numLayers = b.numLayers;
        this.bias = b.bias;
        this.batchFirst = b.batchFirst;
        this.dropout = b.dropout;
        this.dropoutGenerator = registerGenerator("generator", b.generator);
        this.bidirectional = b.bidirectional;
        int gateRows = cell.gates * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++) {
            int layerInput = layer == 0 ? inputSize : numDirections() * outputSize();
            for (int direction = 0; direction < numDirections(); direction++) {
                String suffix = "_l" + layer + (direction == 1 ? "_reverse" : "");
                weights.add(new Tensor[] {
                    registerParameter("weight_ih" + suffix, Tensor.zeros(gateRows, layerInput)),
                    registerParameter("weight_hh" + suffix, Tensor.zeros(gateRows, outputSize())),
                    registerParameter("bias_ih" + suffix, bias ? Tensor.zeros(gateRows) : null),
                    registerParameter("bias_hh" + suffix, bias ? Tensor.zeros(gateRows) : null),
                    registerParameter("weight_hr" + suffix, projSize > 0 ? Tensor.zeros(projSize, hiddenSize) : null)});
            }
        }
        resetParameters();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Redraws every weight and bias from U(−1/√Hid, 1/√Hid) with the global generator. */
    public void resetParameters() {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor parameter : parameters()) {
            Init.uniform_(parameter, -bound, bound);
        }
    }

    /** The output sequence only (PyTorch's {@code output, _ = rnn(x)}), so the network fits in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null).output();
    }

    /** The whole pass: input (see the class's Shape section), initial states h0 and c0 (null: zeros). */
    RNNOutput run(Tensor input, Tensor h0, Tensor c0) {
        boolean unbatched = checkInput(input);
        // Work time-major: x is (L, N, F_in) whatever the caller's layout.
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        int batch = x.size(1);
        Tensor hInit = initialState("h0", h0, batch, unbatched, outputSize());
        Tensor cInit = cell == Cell.LSTM ? initialState("c0", c0, batch, unbatched, hiddenSize) : null;
        // The sequence as a list of L time steps, each (N, features); each layer turns one list into the next.
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < x.size(0); t++) {
            steps.add(x.select(0, t));
        }
        List<Tensor> hLast = new ArrayList<>();
        List<Tensor> cLast = new ArrayList<>();
        for (int layer = 0; layer < numLayers; layer++) {
            if (layer > 0) {
                steps = dropoutBetweenLayers(steps);
            }
            List<List<Tensor>> outputs = new ArrayList<>();
            for (int direction = 0; direction < numDirections(); direction++) {
                int index = layer * numDirections() + direction;
                Tensor[] last = new Tensor[2];
                outputs.add(runDirection(steps, weights.get(index), hInit.select(0, index),
                        cInit == null ? null : cInit.select(0, index), direction == 1, last));
                hLast.add(last[0]);
                cLast.add(last[1]);
            }
            steps = bidirectional ? concatenateDirections(outputs.get(0), outputs.get(1)) : outputs.get(0);
        }
        Tensor output = Tensor.stack(steps, 0);                               // (L, N, D·H_out)
        Tensor hN = Tensor.stack(hLast, 0);
        Tensor cN = cell == Cell.LSTM ? Tensor.stack(cLast, 0) : null;
        if (unbatched) {
            return new RNNOutput(output.squeeze(1), hN.squeeze(1), cN == null ? null : cN.squeeze(1));
        }
        return new RNNOutput(batchFirst ? output.transpose(0, 1) : output, hN, cN);
    }

    /**
     * One layer in one direction over the time steps xs (each (N, F_in)) from state h (N, H_out) and c
     * (N, Hid) (LSTM only): returns the hidden state of every step, in time order, and puts the final h
     * and c into {@code last}.
     */
    private List<Tensor> runDirection(List<Tensor> xs, Tensor[] w, Tensor h, Tensor c, boolean reverse, Tensor[] last) {
        int steps = xs.size();
        Tensor[] out = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor gi = RNNCellBase.project(xs.get(t), w[0], w[2]);           // x_t · W_ihᵀ + b_ih   (N, G·Hid)
            Tensor gh = RNNCellBase.project(h, w[1], w[3]);                   // h · W_hhᵀ + b_hh     (N, G·Hid)
            switch (cell) {
                case RNN_TANH -> h = RNNCell.step(gi, gh, false);
                case RNN_RELU -> h = RNNCell.step(gi, gh, true);
                case GRU -> h = GRUCell.step(gi, gh, h);
                case LSTM -> {
                    LSTMCell.State state = LSTMCell.step(gi, gh, c);
                    // With projections the state fed back and shown is W_hr · h_t: (N, projSize).
                    h = w[4] == null ? state.h() : RNNCellBase.project(state.h(), w[4], null);
                    c = state.c();
                }
                default -> throw new IllegalStateException("unknown cell " + cell);
            }
            out[t] = h;
        }
        last[0] = h;
        last[1] = c;
        return List.of(out);
    }

    /** [forward_t, reverse_t] along the features at every step: (N, 2·H_out). */
    private static List<Tensor> concatenateDirections(List<Tensor> forward, List<Tensor> reverse) {
        List<Tensor> both = new ArrayList<>(forward.size());
        for (int t = 0; t < forward.size(); t++) {
            both.add(Tensor.cat(1, forward.get(t), reverse.get(t)));
        }
        return both;
    }

    /** Inverted dropout on a layer's output before the next layer reads it, as {@link Dropout}: a fresh mask per step. */
    private List<Tensor> dropoutBetweenLayers(List<Tensor> steps) {
        if (!isTraining() || dropout == 0) {
            return steps;
        }
        List<Tensor> dropped = new ArrayList<>(steps.size());
        for (Tensor x : steps) {
            if (dropout == 1) {
                dropped.add(x.mul(0f));
            } else {
                Generator source = dropoutGenerator != null ? dropoutGenerator : Generator.global();
                Tensor keep = Tensor.rand(source, x.shape()).lt((float) (1 - dropout))
                        .mul((float) (1 / (1 - dropout)));
                dropped.add(x.mul(keep));
            }
        }
        return dropped;
    }

    /** Checks the input's shape; true when it is unbatched (L, F_in). */
    private boolean checkInput(Tensor input) {
        String batched = batchFirst ? "(N, L, " + inputSize + ") with batchFirst=true"
                : "(L, N, " + inputSize + ") with batchFirst=false";
        if (input.dim() == 3 && input.size(2) == inputSize && input.size(batchFirst ? 1 : 0) > 0) {
            return false;
        }
        if (input.dim() == 2 && input.size(1) == inputSize && input.size(0) > 0) {
            return true;
        }
        boolean emptySequence = (input.dim() == 3 && input.size(2) == inputSize && input.size(batchFirst ? 1 : 0) == 0)
                || (input.dim() == 2 && input.size(1) == inputSize && input.size(0) == 0);
        if (emptySequence) {
            throw new ShapeException(describe() + ": the sequence is empty: expected "
                    + (input.dim() == 2 ? "unbatched input (L, " + inputSize + ")" : "input " + batched)
                    + " with L >= 1 but got " + Shape.format(input.shape()) + ", L = 0");
        }
        String expected = input.dim() == 2 ? "unbatched input (L, " + inputSize + ")" : "input " + batched;
        throw new ShapeException(describe() + ": expected " + expected + " but got "
                + Shape.format(input.shape()) + (input.dim() == 3 || input.dim() == 2 ? "" : " (3 dims, or 2 unbatched)"));
    }

    /**
     * h0 or c0 as (numLayers·D, N, size): zeros when null, else checked against the input's batch; size is
     * H_out for h0 and Hid for c0.
     */
    private Tensor initialState(String name, Tensor state, int batch, boolean unbatched, int size) {
        int layers = numLayers * numDirections();
        if (state == null) {
            return Tensor.zeros(layers, batch, size);
        }
        int[] expected = unbatched ? new int[] {layers, size} : new int[] {layers, batch, size};
        if (!Shape.same(expected, state.shape())) {
            String sizeName = name.equals("h0") && projSize > 0 ? "projSize" : "hiddenSize";
            throw new ShapeException(describe() + ": expected " + name + " " + Shape.format(expected)
                    + " (numLayers·numDirections" + (unbatched ? "" : ", N") + ", " + sizeName + ") but got "
                    + Shape.format(state.shape()));
        }
        return unbatched ? state.unsqueeze(1) : state;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** LSTM only: the size of the projected hidden state h_t = W_hr · (o_t ⊙ tanh c_t); 0 (the default) for none. */
    public int projSize() {
        return projSize;
    }

    /** H_out, the features of each step's output and of h: projSize when it is set, else hiddenSize. */
    public int outputSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean bias() {
        return bias;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public double dropout() {
        return dropout;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    /** D: 2 for a bidirectional network, else 1. */
    public int numDirections() {
        return bidirectional ? 2 : 1;
    }

    /** PyTorch's repr: {@code LSTM(5, 4, num_layers=2, batch_first=True)}, defaults left out (also the RNN's nonlinearity). */
    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) {
            s.append(", proj_size=").append(projSize);
        }
        if (numLayers != 1) {
            s.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            s.append(", bias=False");
        }
        if (batchFirst) {
            s.append(", batch_first=True");
        }
        if (dropout != 0) {
            s.append(", dropout=").append(PyRepr.floatRepr(dropout));
        }
        if (bidirectional) {
            s.append(", bidirectional=True");
        }
        return s.toString();
    }

    /**
     * Options for an {@link RNN}, {@link LSTM} or {@link GRU} (from their {@code builder} methods); each
     * setter returns the builder and {@link #build()} makes the network.
     */
    public static final class Builder<M extends RNNBase> {
        private Cell cell;
        private final int inputSize;
        private final int hiddenSize;
        private final Function<Builder<M>, M> factory;
        private int numLayers = 1;
        private boolean bias = true;
        private boolean batchFirst;
        private double dropout;
        private Generator generator;
        private boolean bidirectional;
        private int projSize;

        Builder(Cell cell, int inputSize, int hiddenSize, Function<Builder<M>, M> factory) {
            this.cell = cell;
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
            this.factory = factory;
        }

        /** Stacked layers, each reading the one below (default 1). */
        public Builder<M> numLayers(int numLayers) {
            this.numLayers = numLayers;
            return this;
        }

        /** Whether the layers have b_ih and b_hh (default true). */
        public Builder<M> bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Input and output as (N, L, features) instead of (L, N, features); h_n keeps (layers·D, N, Hid). */
        public Builder<M> batchFirst(boolean batchFirst) {
            this.batchFirst = batchFirst;
            return this;
        }

        /** Dropout probability on every layer's output except the last, in training mode only (default 0). */
        public Builder<M> dropout(double p) {
            this.dropout = p;
            return this;
        }

        /**
         * Where the dropout masks come from (default: {@link Generator#global()}), as {@link Dropout}'s
         * generator: a run of its own, independent of what else draws from the global generator. It is
         * registered as the module's {@code generator} ({@link Module#namedGenerators()}), so a
         * {@code Trainer} checkpoint saves its state.
         */
        public Builder<M> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Also run each layer from the last step to the first and concatenate both outputs (default false). */
        public Builder<M> bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        /**
         * LSTM only: project each step's hidden state to projSize features with a learned W_hr (projSize,
         * Hid), h_t = W_hr · (o_t ⊙ tanh c_t), as PyTorch's {@code proj_size} (default 0: no projection).
         * Then h0, h_n and the output have projSize features per direction, and W_hh is (4·Hid, projSize).
         */
        public Builder<M> projSize(int projSize) {
            if (cell != Cell.LSTM) {
                throw new IllegalStateException(cell.moduleName() + ": projSize is an option of LSTM only");
            }
            this.projSize = projSize;
            return this;
        }

        /** RNN only: "tanh" (default) or "relu". */
        public Builder<M> nonlinearity(String nonlinearity) {
            if (cell != Cell.RNN_TANH && cell != Cell.RNN_RELU) {
                throw new IllegalStateException(cell.moduleName() + ": nonlinearity is an option of RNN only");
            }
            this.cell = RNNCell.isRelu("RNN", nonlinearity) ? Cell.RNN_RELU : Cell.RNN_TANH;
            return this;
        }

        Cell cell() {
            return cell;
        }

        public M build() {
            return factory.apply(this);
        }
    }
}
