package kindling.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kindling.autograd.NoGrad;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Generating a sequence from a {@link NextTokenModel}: greedy search and beam search, as d2l's 10.8 and the
 * course teach them.
 * <pre>
 *   greedy:  y_t = argmax_v log p(v | x, y_&lt;t)                 one sequence, each step locally best
 *
 *   beam (width k):
 *       live = { [&lt;bos&gt;] }
 *       repeat up to maxLen times, while some sequence is live:
 *           extend every live sequence by every token v:  log P(y, v) = log P(y) + log p(v | x, y)
 *           keep the k extensions with the highest log P over all of them
 *           those that end in &lt;eos&gt; are set aside as finished; the others stay live
 *       add the sequences still live at maxLen; rank everything by
 *           score(y) = (1 / T^α) · Σ_{t=1..T} log p(y_t | x, y_&lt;t)      T = length of y, &lt;eos&gt; included
 * </pre>
 * Greedy search can lose: a first token that looks best may lead only to unlikely continuations, while the
 * second-best first token leads to a sequence of higher total probability; beam search keeps k prefixes and
 * finds it. With k = 1 beam search is greedy search. Neither is guaranteed to find the most probable sequence
 * (that would need all V^T of them).
 *
 * <p>Length normalisation: each token multiplies the probability by a number below 1, so Σ log p favours short
 * sequences. Dividing by T^α compensates: α = 0 ranks by the plain log-probability, α = 1 by the mean per token,
 * and α ≈ 0.7 (the course's choice; d2l suggests 0.75) lies between. The normalisation only ranks the
 * finished candidates; which extensions survive each step is decided by the plain log-probability, as in d2l.
 *
 * <p>Cost: step t calls {@link NextTokenModel#logProbs} once with up to k prefixes of length t, and picks the
 * k best of k·V extensions; what the call itself costs (rerunning the prefix, or a key/value cache) is said
 * by the model, see {@link NextTokenModel}. A {@link CachedNextTokenModel} is decoded step by step instead:
 * one {@link CachedNextTokenModel#startDecoding()} per search, and each step passes, beside the prefixes, the
 * index of the previous step's prefix that each one extends, so the model can reorder its cache. Runs
 * without building a graph ({@link NoGrad}).
 */
public final class SequenceSearch {

    private SequenceSearch() {
    }

    /**
     * Greedy search from {@code <bos>} = {@code bos}: the most probable next token at every step, until
     * {@code eos} or {@code maxLen} tokens. The hypothesis's score is its log-probability (α = 0).
     */
    public static Hypothesis greedy(NextTokenModel model, int bos, int eos, int maxLen) {
        checkMaxLen(maxLen);
        List<Integer> tokens = new ArrayList<>();
        int[] prefix = {bos};
        double logProbability = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            CachedNextTokenModel.Decoding decoding = startDecoding(model);
            for (int step = 0; step < maxLen; step++) {
                int[] parents = step == 0 ? null : new int[] {0};        // the one sequence continues
                float[] row = logProbs(decoding, new int[][] {prefix}, parents)[0];
                int best = 0;
                for (int v = 1; v < row.length; v++) {        // the first of equal maxima, as argmax
                    if (row[v] > row[best]) {
                        best = v;
                    }
                }
                logProbability += row[best];
                tokens.add(best);
                if (best == eos) {
                    return new Hypothesis(tokens, logProbability, logProbability, true);
                }
                prefix = append(prefix, best);
            }
        }
        return new Hypothesis(tokens, logProbability, logProbability, false);
    }

    /**
     * Beam search of width {@code beamWidth} with length normalisation exponent {@code alpha}: every hypothesis
     * that ended with {@code eos} along the way and those cut at {@code maxLen}, best score first. At most
     * {@code beamWidth} stay live at each step, but finished ones accumulate, so there may be more.
     */
    public static List<Hypothesis> beam(NextTokenModel model, int bos, int eos, int beamWidth, int maxLen, double alpha) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("SequenceSearch.beam: beamWidth must be >= 1, got " + beamWidth);
        }
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("SequenceSearch.beam: alpha must be >= 0, got " + alpha);
        }
        checkMaxLen(maxLen);
        List<Beam> live = List.of(new Beam(new int[] {bos}, 0, -1));
        List<Hypothesis> done = new ArrayList<>();
        try (NoGrad ignored = NoGrad.enter()) {
            CachedNextTokenModel.Decoding decoding = startDecoding(model);
            for (int step = 0; step < maxLen && !live.isEmpty(); step++) {
                int[][] prefixes = new int[live.size()][];
                int[] parents = step == 0 ? null : new int[live.size()];
                for (int b = 0; b < live.size(); b++) {
                    prefixes[b] = live.get(b).prefix;
                    if (parents != null) {
                        parents[b] = live.get(b).parent;                 // which sequence of the last step it extends
                    }
                }
                float[][] rows = logProbs(decoding, prefixes, parents);
                List<Extension> best = bestExtensions(live, rows, beamWidth);
                List<Beam> next = new ArrayList<>();
                for (Extension e : best) {
                    int[] prefix = append(live.get(e.beam).prefix, e.token);
                    if (e.token == eos) {
                        done.add(hypothesis(prefix, e.logProbability, alpha, true));
                    } else {
                        next.add(new Beam(prefix, e.logProbability, e.beam));
                    }
                }
                live = next;
            }
        }
        for (Beam b : live) {
            done.add(hypothesis(b.prefix, b.logProbability, alpha, false));
        }
        done.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        return done;
    }

    /** score = logProbability / T^α, T the number of generated tokens. */
    public static double lengthNormalised(double logProbability, int length, double alpha) {
        return logProbability / Math.pow(length, alpha);
    }

    /**
     * A live prefix ({@code <bos>} first), its log-probability, and the index of the live prefix of the previous
     * step it extends (−1 for the first).
     */
    private record Beam(int[] prefix, double logProbability, int parent) {
    }

    /** Live beam {@code beam} extended by {@code token}, with the extension's total log-probability. */
    private record Extension(int beam, int token, double logProbability) {
    }

    /**
     * The {@code k} extensions with the highest total log-probability, highest first; among equals the one
     * from the earlier beam and the lower token comes first, so width 1 picks what greedy search picks.
     * Extensions of probability 0 (log p = −∞) are never kept.
     */
    private static List<Extension> bestExtensions(List<Beam> live, float[][] rows, int k) {
        List<Extension> best = new ArrayList<>(k + 1);
        for (int b = 0; b < live.size(); b++) {
            for (int v = 0; v < rows[b].length; v++) {
                double total = live.get(b).logProbability + rows[b][v];
                if (total == Double.NEGATIVE_INFINITY || (best.size() == k && total <= best.get(k - 1).logProbability)) {
                    continue;
                }
                int at = best.size();
                while (at > 0 && best.get(at - 1).logProbability < total) {   // insertion into the short sorted list
                    at--;
                }
                best.add(at, new Extension(b, v, total));
                if (best.size() > k) {
                    best.remove(k);
                }
            }
        }
        return best;
    }

    private static Hypothesis hypothesis(int[] prefix, double logProbability, double alpha, boolean finished) {
        List<Integer> tokens = new ArrayList<>(prefix.length - 1);
        for (int i = 1; i < prefix.length; i++) {            // without <bos>
            tokens.add(prefix[i]);
        }
        return new Hypothesis(tokens, logProbability, lengthNormalised(logProbability, tokens.size(), alpha), finished);
    }

    /**
     * The model's own step-by-step decoding if it is a {@link CachedNextTokenModel}; otherwise one that asks
     * {@link NextTokenModel#logProbs} for the whole prefixes every step and needs no parents.
     */
    private static CachedNextTokenModel.Decoding startDecoding(NextTokenModel model) {
        if (model instanceof CachedNextTokenModel cached) {
            return cached.startDecoding();
        }
        return new Rerun(model);
    }

    /** A plain {@link NextTokenModel} seen as a decoding: the whole prefixes every step, no parents needed. */
    private record Rerun(NextTokenModel model) implements CachedNextTokenModel.Decoding {
        @Override
        public Tensor logProbs(int[][] prefixes, int[] parentBeams) {
            return model.logProbs(prefixes);
        }
    }

    /** The model's answer as rows, after checking it is (B, V). */
    private static float[][] logProbs(CachedNextTokenModel.Decoding decoding, int[][] prefixes, int[] parentBeams) {
        Tensor out = decoding.logProbs(prefixes, parentBeams);
        if (out.dim() != 2 || out.size(0) != prefixes.length) {
            String called = decoding instanceof Rerun ? "NextTokenModel.logProbs" : "CachedNextTokenModel.Decoding.logProbs";
            throw new ShapeException("SequenceSearch: " + called + " should return log-probabilities (B, V) with B = "
                    + prefixes.length + " prefixes of length " + prefixes[0].length + " but returned "
                    + Shape.format(out.shape()));
        }
        float[] flat = out.toArray();
        int vocab = out.size(1);
        float[][] rows = new float[prefixes.length][vocab];
        for (int b = 0; b < prefixes.length; b++) {
            System.arraycopy(flat, b * vocab, rows[b], 0, vocab);
        }
        return rows;
    }

    private static int[] append(int[] prefix, int token) {
        int[] longer = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        longer[prefix.length] = token;
        return longer;
    }

    private static void checkMaxLen(int maxLen) {
        if (maxLen < 1) {
            throw new IllegalArgumentException("SequenceSearch: maxLen must be >= 1, got " + maxLen);
        }
    }
}
