package kindling.nn;

import kindling.tensor.Tensor;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} return when asked for their final states, as
 * PyTorch's {@code output, h_n} (and {@code (h_n, c_n)} for the LSTM).
 * <ul>
 *   <li>{@code output} (L, N, D·Hid), (N, L, D·Hid) with batchFirst, or (L, D·Hid) unbatched: the last
 *       layer's hidden state at every time step, both directions side by side;
 *   <li>{@code hN} (numLayers·D, N, Hid), or (numLayers·D, Hid) unbatched: every layer's final hidden
 *       state, row {@code layer·D + direction} (the reverse direction's "final" is its state after t = 0);
 *   <li>{@code cN}: the LSTM's final cell states, shaped as hN; null for RNN and GRU.
 * </ul>
 * D is 2 for a bidirectional network, else 1.
 */
public record RNNOutput(Tensor output, Tensor hN, Tensor cN) {
}
