package kindling.train;

import kindling.tensor.Tensor;

/**
 * What a decoding search needs from a sequence model: given the tokens so far, the log-probabilities of the
 * next token. Both {@link SequenceSearch#greedy} and {@link SequenceSearch#beam} ask only this, so one search
 * serves a Transformer decoder, an RNN decoder or a hand-made table.
 * <pre>
 *   prefixes (B, t)  →  log p(y_t | x, y_0..y_{t−1})  (B, V)      row b: a log-softmax over the V tokens
 * </pre>
 * Every call passes B prefixes of the same length t, each starting with {@code <bos>}; B is the number of
 * live beams (1 for greedy search). The source x is whatever the implementation captured, e.g. the encoder's
 * memory computed once before the search.
 *
 * <p>What one call costs is the implementation's choice, and the search's running time follows from it. A
 * Transformer decoder that simply reruns on the whole prefix does t positions of work at step t (its causal
 * mask makes the earlier positions' outputs the same as last time), so a sequence of length T costs
 * 1 + 2 + … + T ≈ T²/2 position-steps per beam; a decoder that keeps each layer's keys and values from the
 * previous steps (a key/value cache) projects and feeds forward one position per step, T in all (its
attention still reads, and its cache copies, the t earlier keys and values: O(t) per step, with a small constant). An RNN decoder that keeps its
 * hidden state does one step per call; rerun from the prefix it costs T²/2 like the uncached Transformer.
 * A model that keeps such state between calls implements {@link CachedNextTokenModel}, which the searches
 * use when they are given one: they then tell it, at every step, which earlier prefix each new one extends.
 */
@FunctionalInterface
public interface NextTokenModel {

    /**
     * The next-token log-probabilities (B, V) after each of the B {@code prefixes}, all of the same length
     * t ≥ 1 and starting with {@code <bos>}. Called inside {@code NoGrad}.
     */
    Tensor logProbs(int[][] prefixes);
}
