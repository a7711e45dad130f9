package kindling.nn;

import kindling.nn.init.Init;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * What {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share, as PyTorch's {@code nn.RNNCellBase}:
 * two weight matrices and two biases, holding the G gates of the cell stacked on top of each other
 * (G = 1 for RNNCell, 4 for LSTMCell, 3 for GRUCell), and the two projections every gate starts from:
 * <pre>
 *   gi = x · W_ihᵀ + b_ih        (N, G·Hid)   the input's contribution to every gate
 *   gh = h · W_hhᵀ + b_hh        (N, G·Hid)   the previous hidden state's contribution
 * </pre>
 * <b>Parameters</b> (all initialised U(−1/√Hid, 1/√Hid), PyTorch's {@code reset_parameters})
 * <ul>
 *   <li>{@code weight_ih} (G·Hid, inputSize): rows [k·Hid, (k+1)·Hid) belong to gate k;
 *   <li>{@code weight_hh} (G·Hid, Hid);
 *   <li>{@code bias_ih}, {@code bias_hh} (G·Hid); absent when built with {@code bias=false}.
 * </ul>
 * Two biases where one would do (b_ih + b_hh) is cuDNN's layout, which PyTorch adopted; keeping it
 * means PyTorch state dicts load unchanged. For the GRU the two are not redundant: b_hn sits inside r ⊙ (·).
 */
public abstract class RNNCellBase extends Module {
    private final String cellName;
    private final int inputSize;
    private final int hiddenSize;
    /** W_ih, shape (G·Hid, inputSize). */
    public final Tensor weightIh;
    /** W_hh, shape (G·Hid, Hid). */
    public final Tensor weightHh;
    /** b_ih, shape (G·Hid), or null. */
    public final Tensor biasIh;
    /** b_hh, shape (G·Hid), or null. */
    public final Tensor biasHh;

    protected RNNCellBase(String cellName, int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(cellName + ": inputSize and hiddenSize must be at least 1, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.cellName = cellName;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.weightIh = registerParameter("weight_ih", Tensor.zeros(gates * hiddenSize, inputSize));
        this.weightHh = registerParameter("weight_hh", Tensor.zeros(gates * hiddenSize, hiddenSize));
        this.biasIh = registerParameter("bias_ih", bias ? Tensor.zeros(gates * hiddenSize) : null);
        this.biasHh = registerParameter("bias_hh", bias ? Tensor.zeros(gates * hiddenSize) : null);
        resetParameters();
    }

    /** Redraws every weight and bias from U(−1/√Hid, 1/√Hid) with the global generator. */
    public void resetParameters() {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor parameter : parameters()) {
            Init.uniform_(parameter, -bound, bound);
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** x · Wᵀ + b (b may be null): one affine map for all the gates at once. */
    static Tensor project(Tensor x, Tensor weight, Tensor bias) {
        Tensor product = x.matmul(weight.t());
        return bias == null ? product : product.add(bias);
    }

    /** gi = x · W_ihᵀ + b_ih, shape (N, G·Hid). */
    protected Tensor inputProjection(Tensor x) {
        return project(x, weightIh, biasIh);
    }

    /** gh = h · W_hhᵀ + b_hh, shape (N, G·Hid). */
    protected Tensor hiddenProjection(Tensor h) {
        return project(h, weightHh, biasHh);
    }

    /** Checks input (N, inputSize) or unbatched (inputSize) and returns it as (N, inputSize). */
    protected Tensor batchedInput(Tensor input) {
        boolean ok = (input.dim() == 1 || input.dim() == 2) && input.size(input.dim() - 1) == inputSize;
        if (!ok) {
            throw new ShapeException(describe() + ": expected input (N, " + inputSize + ") or ("
                    + inputSize + ") but got " + Shape.format(input.shape()));
        }
        return input.dim() == 1 ? input.unsqueeze(0) : input;
    }

    /**
     * A state (h or c) for a batched input of {@code batch} rows: zeros when null, else checked to be
     * (N, Hid) — or (Hid) when the input was unbatched — and returned as (N, Hid).
     */
    protected Tensor batchedState(String name, Tensor state, int batch, boolean unbatched) {
        if (state == null) {
            return Tensor.zeros(batch, hiddenSize);
        }
        int[] expected = unbatched ? new int[] {hiddenSize} : new int[] {batch, hiddenSize};
        if (!Shape.same(expected, state.shape())) {
            throw new ShapeException(describe() + ": expected " + name + " " + Shape.format(expected)
                    + " but got " + Shape.format(state.shape()));
        }
        return unbatched ? state.unsqueeze(0) : state;
    }

    /**
     * The prefix of this cell's shape errors.
     *
     * @deprecated every module's errors start with {@link #describe()} now; this returns it
     */
    @Deprecated
    protected String describeForErrors() {
        return describe();
    }

    @Override
    public String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
