package kindling.train;

import kindling.tensor.Tensor;

/**
 * A {@link NextTokenModel} that also decodes step by step, keeping what it computed for the earlier tokens
 * (a Transformer decoder's {@link kindling.nn.KeyValueCache}, an RNN decoder's hidden state) so that each
 * step feeds only the newest token. {@link SequenceSearch#greedy} and {@link SequenceSearch#beam} use it when
 * the model offers it: one {@link #startDecoding()} per search, then one {@link Decoding#logProbs} per step,
 * told which earlier sequence each new prefix extends.
 * <pre>
 *   step 0:  prefixes {[&lt;bos&gt;]},  parentBeams null           the state starts empty
 *   step t:  prefixes[b] = (prefix parentBeams[b] of step t − 1) followed by one new token
 *            → the model reorders its state by parentBeams (beam search keeps, repeats or drops sequences),
 *              then feeds the B new tokens, one position each
 * </pre>
 * The answers must be those of {@link #logProbs(int[][])} on the same prefixes (to float rounding), which stays
 * the uncached way: a search given {@code model::logProbs}, a plain NextTokenModel, reruns the whole prefixes.
 */
public interface CachedNextTokenModel extends NextTokenModel {

    /** A decoding with empty state, for one search; the state belongs to it alone. */
    Decoding startDecoding();

    /** The state of one search, carried from step to step. */
    interface Decoding {

        /**
         * The next-token log-probabilities (B, V) after each of the B {@code prefixes} (all of length t ≥ 1,
         * starting with {@code <bos>}). {@code prefixes[b]} is prefix {@code parentBeams[b]} of the previous call
         * followed by one new token, its last; at the first call every prefix is {@code [<bos>]} and
         * {@code parentBeams} is null. Called inside {@code NoGrad}.
         */
        Tensor logProbs(int[][] prefixes, int[] parentBeams);
    }
}
