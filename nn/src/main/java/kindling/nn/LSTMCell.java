package kindling.nn;

import java.util.List;
import kindling.tensor.Tensor;

/**
 * One step of a long short-term memory cell (Hochreiter and Schmidhuber 1997), as PyTorch's
 * {@code nn.LSTMCell}.
 * <pre>
 *   i  = σ(W_ii x + b_ii + W_hi h + b_hi)        input gate:   how much of g to write
 *   f  = σ(W_if x + b_if + W_hf h + b_hf)        forget gate:  how much of c to keep
 *   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)     candidate cell values
 *   o  = σ(W_io x + b_io + W_ho h + b_ho)        output gate:  how much of the cell to show
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * The cell state c is carried by additions only (f ⊙ c + ...), so its gradient flows back through
 * time multiplied by f rather than by a weight matrix: that is what lets an LSTM learn long gaps.
 *
 * <p><b>Shape</b>
 * <ul>
 *   <li>input (N, F_in), or unbatched (F_in);
 *   <li>state h, c (N, Hid), or (Hid) — zeros when not given;
 *   <li>output h', c' (N, Hid), or (Hid).
 * </ul>
 * <b>Parameters</b> (gate order i, f, g, o, as PyTorch): {@code weight_ih} (4·Hid, F_in) = [W_ii; W_if;
 * W_ig; W_io], {@code weight_hh} (4·Hid, Hid), {@code bias_ih} (4·Hid), {@code bias_hh} (4·Hid), all
 * U(−1/√Hid, 1/√Hid). PyTorch's default: bias true. Run it over a sequence with {@link LSTM}.
 */
public class LSTMCell extends RNNCellBase {
    /** The two halves of an LSTM's state: h (the output) and c (the cell), each (N, Hid) or (Hid). */
    public record State(Tensor h, Tensor c) {
    }

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super("LSTMCell", inputSize, hiddenSize, bias, 4);
    }

    /**
     * The cell's arithmetic once the two projections are done (shared with {@link LSTM}):
     * gi = x · W_ihᵀ + b_ih and gh = h · W_hhᵀ + b_hh, each (N, 4·Hid); c is (N, Hid).
     */
    public static State step(Tensor gi, Tensor gh, Tensor c) {
        List<Tensor> gates = gi.add(gh).chunk(4, -1);       // four (N, Hid) views, in the order i, f, g, o
        Tensor i = gates.get(0).sigmoid();
        Tensor f = gates.get(1).sigmoid();
        Tensor g = gates.get(2).tanh();
        Tensor o = gates.get(3).sigmoid();
        Tensor cNext = f.mul(c).add(i.mul(g));
        Tensor hNext = o.mul(cNext.tanh());
        return new State(hNext, cNext);
    }

    /** One step from zero states; returns h' only, so the cell can sit in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).h();
    }

    /** One step: (h', c') from input x and state (h, c) (null, or a null part: zeros). */
    public State forward(Tensor input, State state) {
        Tensor x = batchedInput(input);
        boolean unbatched = input.dim() == 1;
        Tensor h = batchedState("h", state == null ? null : state.h(), x.size(0), unbatched);
        Tensor c = batchedState("c", state == null ? null : state.c(), x.size(0), unbatched);
        State next = step(inputProjection(x), hiddenProjection(h), c);
        return unbatched ? new State(next.h().squeeze(0), next.c().squeeze(0)) : next;
    }
}
