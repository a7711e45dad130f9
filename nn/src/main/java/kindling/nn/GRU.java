package kindling.nn;

import kindling.tensor.Tensor;

/**
 * A multi-layer gated recurrent unit network, as PyTorch's {@code nn.GRU}: {@link GRUCell}'s step
 * applied at every time step of every layer.
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * </pre>
 * Shapes, parameters ({@code weight_ih_l0} (3·Hid, F_in) = [W_ir; W_iz; W_in], ...) and options as in
 * {@link RNNBase}, G = 3.
 * <pre>
 *   GRU gru = GRU.builder(10, 20).numLayers(2).batchFirst(true).build();
 *   RNNOutput r = gru.forward(x, null);                            // output, h_n = gru(x)
 * </pre>
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    private GRU(Builder<GRU> b) {
        super(b);
    }

    public static Builder<GRU> builder(int inputSize, int hiddenSize) {
        return new Builder<>(Cell.GRU, inputSize, hiddenSize, GRU::new);
    }

    /** output and h_n from input and h0 (null: zeros), as PyTorch's {@code gru(x, h0)}. */
    public RNNOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }
}
