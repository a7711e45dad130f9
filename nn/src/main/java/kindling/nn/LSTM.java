package kindling.nn;

import kindling.tensor.Tensor;

/**
 * A multi-layer long short-term memory network, as PyTorch's {@code nn.LSTM}: {@link LSTMCell}'s
 * step applied at every time step of every layer.
 * <pre>
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)                      with projSize:  h_t = W_hr (o_t ⊙ tanh(c_t))
 * </pre>
 * Shapes, parameters ({@code weight_ih_l0} (4·Hid, F_in) = [W_ii; W_if; W_ig; W_io], ...) and options as
 * in {@link RNNBase}, G = 4. {@link RNNBase.Builder#projSize} is PyTorch's {@code proj_size} (the LSTMP of
 * Sak et al. 2014): the state h that is fed back and output is a learned projection of o_t ⊙ tanh(c_t)
 * to fewer features, while the cell c keeps hiddenSize.
 * <pre>
 *   LSTM lstm = LSTM.builder(5, 4).numLayers(2).batchFirst(true).build();   // nn.LSTM(5, 4, 2, batch_first=True)
 *   RNNOutput r = lstm.forward(x, h0, c0);                                  // output, (h_n, c_n) = lstm(x, (h0, c0))
 *   LSTM lstmp = LSTM.builder(5, 4).projSize(2).build();                    // nn.LSTM(5, 4, proj_size=2)
 * </pre>
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    private LSTM(Builder<LSTM> b) {
        super(b);
    }

    public static Builder<LSTM> builder(int inputSize, int hiddenSize) {
        return new Builder<>(Cell.LSTM, inputSize, hiddenSize, LSTM::new);
    }

    /** output, h_n and c_n from input and initial states h0, c0 (null: zeros), as {@code lstm(x, (h0, c0))}. */
    public RNNOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }
}
