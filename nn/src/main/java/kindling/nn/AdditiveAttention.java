package kindling.nn;

import kindling.nn.functional.AttentionMask;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Additive attention (Bahdanau, Cho and Bengio 2015), as d2l's {@code AdditiveAttention} (Dive into Deep
 * Learning, 11.3.2): a query and a key, of any two sizes, are projected to a common width h, added, squashed
 * by tanh and scored by one learnt vector; the scores over the keys go through a softmax and weight the values.
 * <pre>
 *   a(q, k) = w_vᵀ · tanh(W_q · q + W_k · k)                 one score per (query, key) pair
 *   α(q, k_i) = softmax_i(a(q, k_i) + M_i)                   M_i = −∞ for a padded key, else 0
 *   output(q) = Σ_i α(q, k_i) · v_i
 * </pre>
 * Unlike scaled dot-product attention, queries and keys need not have the same size, and the score is a
 * small one-hidden-layer network rather than a dot product, which is why the RNN encoder–decoders of 2015
 * used it: the decoder's hidden state (the query) and the encoder's bidirectional states (the keys) differ
 * in width. It costs N·Q·K·h multiply-adds for the tanh features, more than a dot product's N·Q·K·d.
 *
 * <p><b>Shape</b> (N batch, Q queries, K keys): queries (N, Q, querySize), keys (N, K, keySize), values
 * (N, K, V); output (N, Q, V), weights (N, Q, K). The optional key padding mask is (N, K), as
 * {@code AttentionMask.padding(validLens, K)}: d2l's {@code valid_lens}.
 * <p><b>Parameters</b> (d2l's names): {@code W_q.weight} (h, querySize), {@code W_k.weight} (h, keySize),
 * {@code w_v.weight} (1, h), no biases; each a {@link Linear}'s U(−1/√fanIn, 1/√fanIn).
 * Dropout (d2l's default 0 in the examples) applies to the weights in training.
 */
public class AdditiveAttention extends Module {
    /** The attention output (N, Q, V) and weights (N, Q, K). */
    public record Output(Tensor output, Tensor weights) {
    }

    private final int keySize;
    private final int querySize;
    private final int numHiddens;
    public final Linear wK;
    public final Linear wQ;
    public final Linear wV;
    public final Dropout dropout;

    /** Keys of {@code keySize} and queries of {@code querySize} features, scored through {@code numHiddens} tanh units. */
    public AdditiveAttention(int keySize, int querySize, int numHiddens, double dropout) {
        if (keySize < 1 || querySize < 1 || numHiddens < 1) {
            throw new IllegalArgumentException("AdditiveAttention: keySize, querySize and numHiddens must be >= 1, got "
                    + keySize + ", " + querySize + ", " + numHiddens);
        }
        this.keySize = keySize;
        this.querySize = querySize;
        this.numHiddens = numHiddens;
        this.wK = registerModule("W_k", new Linear(keySize, numHiddens, false));
        this.wQ = registerModule("W_q", new Linear(querySize, numHiddens, false));
        this.wV = registerModule("w_v", new Linear(numHiddens, 1, false));
        this.dropout = registerModule("dropout", new Dropout(dropout));
    }

    /** Self-attention without a mask (queries = keys = values), for Sequential and Summary. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null).output();
    }

    /** Attention of {@code queries} over {@code keys} and {@code values}; {@code keyPaddingMask} (N, K) may be null. */
    public Output forward(Tensor queries, Tensor keys, Tensor values, AttentionMask keyPaddingMask) {
        checkInputs(queries, keys, values, keyPaddingMask);
        int n = keys.size(0);
        int k = keys.size(1);
        Tensor q = wQ.forward(queries);                                      // (N, Q, h)
        Tensor key = wK.forward(keys);                                       // (N, K, h)
        Tensor features = q.unsqueeze(2).add(key.unsqueeze(1)).tanh();       // (N, Q, K, h) by broadcasting
        Tensor scores = wV.forward(features).squeeze(-1);                    // (N, Q, K)
        if (keyPaddingMask != null) {
            scores = scores.add(keyPaddingMask.additive().reshape(n, 1, k));  // the same for every query
        }
        Tensor weights = scores.softmax(-1);
        return new Output(dropout.forward(weights).matmul(values), weights);
    }

    private void checkInputs(Tensor queries, Tensor keys, Tensor values, AttentionMask mask) {
        boolean ok = queries.dim() == 3 && keys.dim() == 3 && values.dim() == 3 && queries.size(-1) == querySize
                && keys.size(-1) == keySize && queries.size(0) == keys.size(0) && values.size(0) == keys.size(0)
                && values.size(1) == keys.size(1);
        if (!ok) {
            throw new ShapeException(describe() + ": expected queries (N, Q, " + querySize + "), keys (N, K, " + keySize
                    + ") and values (N, K, V) but got queries " + Shape.format(queries.shape()) + ", keys "
                    + Shape.format(keys.shape()) + ", values " + Shape.format(values.shape()));
        }
        if (mask != null && !(mask.shape().length == 2 && mask.shape()[0] == keys.size(0)
                && mask.shape()[1] == keys.size(1))) {
            throw new ShapeException(describe() + ": expected keyPaddingMask (N, K) = (" + keys.size(0) + ", "
                    + keys.size(1) + ") but got " + Shape.format(mask.shape()));
        }
    }

    @Override
    public String extraRepr() {
        return "key_size=" + keySize + ", query_size=" + querySize + ", num_hiddens=" + numHiddens;
    }

    public int numHiddens() {
        return numHiddens;
    }
}
