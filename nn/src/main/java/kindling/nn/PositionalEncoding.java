package kindling.nn;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5), written as d2l's
 * {@code PositionalEncoding} (Dive into Deep Learning, 11.6.3): adds to each position i a fixed
 * vector P[i, :] of sines and cosines of decreasing frequency, then applies dropout.
 * <pre>
 *   P[i, 2j]     = sin(i / 10000^(2j/d))
 *   P[i, 2j + 1] = cos(i / 10000^(2j/d))
 *   y = dropout(x + P[:L, :])
 * </pre>
 * Column pair (2j, 2j+1) turns at frequency 1/10000^(2j/d): the first columns change from one
 * position to the next, the last ones hardly at all, like the low and high digits of a binary counter.
 * For any offset k, P[i + k] is a fixed rotation of P[i], which lets attention learn relative positions.
 *
 * <p><b>Shape</b>: input (N, L, d) — batch first, as d2l — with L ≤ maxLen; output the same.
 * No parameters: P (1, maxLen, d) is a non-persistent buffer (not in the state dict, as d2l keeps it
 * out of the parameters). PyTorch itself has no such module; its tutorial's version is sequence-first.
 */
public class PositionalEncoding extends Module {
    private final int numHiddens;
    private final int maxLen;
    /** The table P, shape (1, maxLen, numHiddens). */
    public final Tensor table;
    private final Dropout dropout;

    /** d2l's default maxLen = 1000. */
    public PositionalEncoding(int numHiddens, double dropout) {
        this(numHiddens, dropout, 1000);
    }

    public PositionalEncoding(int numHiddens, double dropout, int maxLen) {
        if (numHiddens < 1 || maxLen < 1) {
            throw new IllegalArgumentException("PositionalEncoding: numHiddens and maxLen must be >= 1, got numHiddens="
                    + numHiddens + ", maxLen=" + maxLen);
        }
        this.numHiddens = numHiddens;
        this.maxLen = maxLen;
        this.table = registerBuffer("P", sinusoids(maxLen, numHiddens), false);
        this.dropout = registerModule("dropout", new Dropout(dropout));
    }

    /** P (1, maxLen, d) by the formula above; an odd d ends with a sine column. */
    static Tensor sinusoids(int maxLen, int d) {
        float[] p = new float[maxLen * d];
        for (int i = 0; i < maxLen; i++) {                      // position
            for (int c = 0; c < d; c++) {                       // column c = 2j or 2j + 1
                int twoJ = c - c % 2;
                // d2l computes i / 10000^(2j/d) in float32: arange(L)/pow(10000, arange(0, d, 2)/d).
                float angle = (float) i / (float) Math.pow(10000, (float) twoJ / d);
                p[i * d + c] = (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return Tensor.wrap(p, 1, maxLen, d);
    }

    @Override
    protected String describeArguments() {
        return "numHiddens=" + numHiddens + ", maxLen=" + maxLen;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, 0);
    }

    /**
     * The encoding of positions {@code start} .. {@code start} + L − 1: y = dropout(x + P[start:start+L, :]).
     * Step-by-step decoding with a {@link KeyValueCache} feeds one new position at a time, the one at
     * {@code start} = the number of positions already decoded; {@code forward(x)} is {@code forward(x, 0)}.
     */
    public Tensor forward(Tensor input, int start) {
        if (start < 0) {
            throw new IllegalArgumentException(describe() + ": expected start >= 0 (the number of positions already "
                    + "encoded) but got " + start);
        }
        if (input.dim() != 3 || input.size(2) != numHiddens || start + input.size(1) > maxLen) {
            throw new ShapeException(describe() + ": expected input (N, L, " + numHiddens + ") with "
                    + (start == 0 ? "L" : "start + L") + " <= " + maxLen + " but got " + Shape.format(input.shape())
                    + (start == 0 ? "" : " at start " + start));
        }
        return dropout.forward(input.add(table.narrow(1, start, input.size(1))));
    }

    public int numHiddens() {
        return numHiddens;
    }

    public int maxLen() {
        return maxLen;
    }
}
