package kindling.nn;

import java.util.List;
import kindling.tensor.Tensor;

/**
 * One step of a gated recurrent unit (Cho et al. 2014), as PyTorch's {@code nn.GRUCell}.
 * <pre>
 *   r  = σ(W_ir x + b_ir + W_hr h + b_hr)            reset gate
 *   z  = σ(W_iz x + b_iz + W_hz h + b_hz)            update gate
 *   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   candidate state
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The reset gate multiplies W_hn h + b_hn, bias included — PyTorch's (and cuDNN's) variant; the
 * paper applies r to h before the matrix product. z near 1 copies h through unchanged.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, F_in), or unbatched (F_in);
 *   <li>hidden h (N, Hid), or (Hid) — zeros when not given;
 *   <li>output h' (N, Hid), or (Hid).
 * </ul>
 * <b>Parameters</b> (gate order r, z, n, as PyTorch): {@code weight_ih} (3·Hid, F_in) = [W_ir; W_iz; W_in],
 * {@code weight_hh} (3·Hid, Hid), {@code bias_ih} (3·Hid), {@code bias_hh} (3·Hid), all U(−1/√Hid, 1/√Hid).
 * PyTorch's default: bias true. Run it over a sequence with {@link GRU}.
 */
public class GRUCell extends RNNCellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super("GRUCell", inputSize, hiddenSize, bias, 3);
    }

    /**
     * The cell's arithmetic once the two projections are done (shared with {@link GRU}):
     * gi = x · W_ihᵀ + b_ih and gh = h · W_hhᵀ + b_hh, each (N, 3·Hid); h is (N, Hid).
     */
    public static Tensor step(Tensor gi, Tensor gh, Tensor h) {
        List<Tensor> fromInput = gi.chunk(3, -1);            // W_ir x + b_ir, W_iz x + b_iz, W_in x + b_in
        List<Tensor> fromHidden = gh.chunk(3, -1);           // W_hr h + b_hr, W_hz h + b_hz, W_hn h + b_hn
        Tensor r = fromInput.get(0).add(fromHidden.get(0)).sigmoid();
        Tensor z = fromInput.get(1).add(fromHidden.get(1)).sigmoid();
        Tensor n = fromInput.get(2).add(r.mul(fromHidden.get(2))).tanh();
        Tensor oneMinusZ = z.neg().add(1f);
        return oneMinusZ.mul(n).add(z.mul(h));
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
        Tensor hNext = step(inputProjection(x), hiddenProjection(h), h);
        return unbatched ? hNext.squeeze(0) : hNext;
    }
}
