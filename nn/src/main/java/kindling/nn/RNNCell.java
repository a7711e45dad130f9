package kindling.nn;

import kindling.tensor.Tensor;

/**
 * One step of an Elman recurrent network, as PyTorch's {@code nn.RNNCell}.
 * <pre>
 *   h' = tanh(x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh)          (or relu instead of tanh)
 * </pre>
 * <b>Shape</b>
 * <ul>
 *   <li>input (N, F_in), or unbatched (F_in);
 *   <li>hidden h (N, Hid), or (Hid) — zeros when not given;
 *   <li>output h' (N, Hid), or (Hid).
 * </ul>
 * <b>Parameters</b>: {@code weight_ih} (Hid, F_in), {@code weight_hh} (Hid, Hid), {@code bias_ih} (Hid),
 * {@code bias_hh} (Hid), all U(−1/√Hid, 1/√Hid) (see {@link RNNCellBase}). PyTorch's defaults: bias true,
 * nonlinearity "tanh". Run it over a sequence with {@link RNN}.
 */
public class RNNCell extends RNNCellBase {
    private final boolean relu;

    /** A tanh cell with biases. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /** {@code nonlinearity} is "tanh" or "relu". */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super("RNNCell", inputSize, hiddenSize, bias, 1);
        this.relu = isRelu("RNNCell", nonlinearity);
    }

    static boolean isRelu(String owner, String nonlinearity) {
        if (!"tanh".equals(nonlinearity) && !"relu".equals(nonlinearity)) {
            throw new IllegalArgumentException(owner + ": unknown nonlinearity '" + nonlinearity
                    + "'; expected \"tanh\" or \"relu\"");
        }
        return "relu".equals(nonlinearity);
    }

    /** "tanh" or "relu". */
    public String nonlinearity() {
        return relu ? "relu" : "tanh";
    }

    /**
     * The cell's arithmetic once the two projections are done (shared with {@link RNN}):
     * h' = act(gi + gh) with gi = x · W_ihᵀ + b_ih and gh = h · W_hhᵀ + b_hh, each (N, Hid).
     */
    public static Tensor step(Tensor gi, Tensor gh, boolean relu) {
        Tensor preActivation = gi.add(gh);
        return relu ? preActivation.relu() : preActivation.tanh();
    }

    /** One step from a zero hidden state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** One step: h' from input x and hidden state h (null: zeros). */
    public Tensor forward(Tensor input, Tensor hx) {
        Tensor x = batchedInput(input);
        boolean unbatched = input.dim() == 1;
        Tensor h = batchedState("hx", hx, x.size(0), unbatched);
        Tensor hNext = step(inputProjection(x), hiddenProjection(h), relu);
        return unbatched ? hNext.squeeze(0) : hNext;
    }

    @Override
    public String extraRepr() {
        return super.extraRepr() + (relu ? ", nonlinearity=relu" : "");
    }
}
