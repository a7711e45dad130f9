package kindling.train;

import java.util.List;

/**
 * One decoded sequence and its scores.
 *
 * @param tokens        the generated tokens, {@code <bos>} left out, ending with {@code <eos>} when {@code finished}
 * @param logProbability Σ_t log p(y_t | x, y_&lt;t) over the tokens (the natural logarithm)
 * @param score         the length-normalised score the search ranks by, logProbability / T^α with T the
 *                      number of tokens ({@code <eos>} included); equal to logProbability for α = 0
 * @param finished      whether the sequence ended with {@code <eos>} (false: cut at the maximum length)
 */
public record Hypothesis(List<Integer> tokens, double logProbability, double score, boolean finished) {

    public Hypothesis {
        tokens = List.copyOf(tokens);
    }

    /** The tokens without the final {@code <eos>}. */
    public List<Integer> withoutEos() {
        return finished ? tokens.subList(0, tokens.size() - 1) : tokens;
    }
}
