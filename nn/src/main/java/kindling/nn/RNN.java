package kindling.nn;

import kindling.tensor.Tensor;

/**
 * A multi-layer Elman recurrent network, as PyTorch's {@code nn.RNN}: {@link RNNCell}'s step
 * applied at every time step of every layer.
 * <pre>
 *   h_t = tanh(x_t · W_ihᵀ + b_ih + h_{t−1} · W_hhᵀ + b_hh)        (or relu)
 * </pre>
 * Shapes, parameters ({@code weight_ih_l0} (Hid, F_in), ...) and options as in {@link RNNBase}, G = 1.
 * <pre>
 *   RNN rnn = new RNN(10, 20, 2);                                  // nn.RNN(10, 20, 2)
 *   RNNOutput r = rnn.forward(x, h0);                              // output, h_n = rnn(x, h0)
 *   RNN reluRnn = RNN.builder(10, 20).nonlinearity("relu").batchFirst(true).build();
 * </pre>
 */
public class RNN extends RNNBase {
    private final boolean relu;

    /** One layer, tanh. */
    public RNN(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    private RNN(Builder<RNN> b) {
        super(b);
        this.relu = b.cell() == Cell.RNN_RELU;
    }

    public static Builder<RNN> builder(int inputSize, int hiddenSize) {
        return new Builder<>(Cell.RNN_TANH, inputSize, hiddenSize, RNN::new);
    }

    /** "tanh" or "relu". */
    public String nonlinearity() {
        return relu ? "relu" : "tanh";
    }

    /** output and h_n from input and h0 (null: zeros), as PyTorch's {@code rnn(x, h0)}. */
    public RNNOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }
}
