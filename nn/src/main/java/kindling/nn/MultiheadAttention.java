package kindling.nn;

import kindling.nn.functional.Attention;
import kindling.nn.functional.AttentionMask;
import kindling.nn.init.Init;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Multi-head attention (Vaswani et al. 2017, section 3.2.2), as PyTorch's {@code nn.MultiheadAttention}:
 * h heads each attend in their own d = E/h dimensional projection of the queries, keys and values;
 * their outputs are concatenated and projected back to E.
 * <pre>
 *   Q = query · W_qᵀ + b_q     K = key · W_kᵀ + b_k     V = value · W_vᵀ + b_v        (W_q, W_k, W_v: rows of in_proj_weight)
 *   head_i = softmax(Q_i · K_iᵀ / √d + M) · V_i       Q_i = columns i·d .. (i+1)·d − 1 of Q, d = E / h
 *   output = concat(head_1, ..., head_h) · W_oᵀ + b_o                                  (out_proj)
 * </pre>
 * M adds the masks: {@code attnMask} (L, S) or (N·h, L, S) and {@code keyPaddingMask} (N, S), which
 * blocks padded keys for every query and head. Each is an {@link AttentionMask}: PyTorch's bool
 * mask (1 = may not attend) or float mask (added). A causal mask is {@code AttentionMask.causal(L)}.
 *
 * <p><b>Shape</b> (E = embedDim, L queries, S keys, N batch):
 * <ul>
 *   <li>query (L, N, E), key and value (S, N, E); (N, L, E) and (N, S, E) with {@code batchFirst};
 *       unbatched (L, E) and (S, E);
 *   <li>output like query; weights (N, L, S) averaged over the heads, or (N, h, L, S) per head;
 *       unbatched (L, S) or (h, L, S).
 * </ul>
 * <b>Parameters</b>
 * <ul>
 *   <li>{@code in_proj_weight} (3E, E): W_q, W_k, W_v stacked, Xavier-uniform
 *       U(−√(6/(E + 3E)), √(6/(E + 3E))) over the whole (3E, E) matrix, as PyTorch;
 *   <li>{@code in_proj_bias} (3E), zeros (absent with {@code bias(false)});
 *   <li>{@code out_proj.weight} (E, E), Linear's U(−1/√E, 1/√E); {@code out_proj.bias} (E), zeros.
 * </ul>
 * PyTorch's defaults: dropout 0 (on the attention weights, training only), bias true, batchFirst
 * false, needWeights true, averageAttnWeights true. Not provided: {@code kdim}/{@code vdim} different
 * from E, {@code add_bias_kv}, {@code add_zero_attn}.
 * <pre>
 *   MultiheadAttention mha = MultiheadAttention.builder(100, 5).batchFirst(true).build();
 *   MultiheadAttention.Output o = mha.forward(x, y, y, AttentionMask.padding(lengths, 6), null, true, true);
 * </pre>
 */
public class MultiheadAttention extends Module {
    /** The attention output and, when asked for, the weights (else null). */
    public record Output(Tensor output, Tensor weights) {
    }

    /**
     * Keys and values already projected and split into heads, each (N, h, S, d): K = key · W_kᵀ + b_k and
     * V = value · W_vᵀ + b_v, feature i·d + j in head i, column j, as {@link #projectKeyValue} makes them.
     * What a {@link KeyValueCache} keeps per attention sub-layer, so that a decoder step projects only its new
     * positions ({@link #append}) and the memory's keys and values are projected once.
     *
     * @param keys   (N, h, S, d)
     * @param values (N, h, S, d)
     */
    public record KeyValue(Tensor keys, Tensor values) {

        /** These S positions followed by {@code next}'s S', along dim 2: (N, h, S + S', d). */
        public KeyValue append(KeyValue next) {
            return new KeyValue(Tensor.cat(2, keys, next.keys), Tensor.cat(2, values, next.values));
        }

        /** The sequences {@code index} (1-D, whole numbers; repeats allowed) of the batch, in that order. */
        public KeyValue indexSelect(Tensor index) {
            return new KeyValue(keys.indexSelect(0, index), values.indexSelect(0, index));
        }

        /** N, the number of sequences. */
        public int batchSize() {
            return keys.size(0);
        }

        /** S, the number of key positions. */
        public int length() {
            return keys.size(2);
        }
    }

    private final int embedDim;
    private final int numHeads;
    private final int headDim;
    private final double dropout;
    private final boolean batchFirst;
    /** W_q, W_k, W_v stacked, shape (3E, E). */
    public final Tensor inProjWeight;
    /** b_q, b_k, b_v stacked, shape (3E), or null. */
    public final Tensor inProjBias;
    /** W_o and b_o. */
    public final Linear outProj;

    /** PyTorch's defaults: no dropout, with biases, sequence first (L, N, E). */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(builder(embedDim, numHeads));
    }

    /** The options for attention over {@code embedDim} features split among {@code numHeads} heads. */
    public static Builder builder(int embedDim, int numHeads) {
        return new Builder(embedDim, numHeads);
    }

    private MultiheadAttention(Builder b) {
        if (b.embedDim < 1 || b.numHeads < 1) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim and numHeads must be >= 1, got embedDim="
                    + b.embedDim + ", numHeads=" + b.numHeads);
        }
        if (b.embedDim % b.numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + b.embedDim
                    + " must be divisible by numHeads " + b.numHeads);
        }
        if (!(b.dropout >= 0 && b.dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + b.dropout);
        }
        this.embedDim = b.embedDim;
        this.numHeads = b.numHeads;
        this.headDim = b.embedDim / b.numHeads;
        this.dropout = b.dropout;
        this.batchFirst = b.batchFirst;
        this.inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim));
        this.inProjBias = registerParameter("in_proj_bias", b.bias ? Tensor.zeros(3 * embedDim) : null);
        this.outProj = registerModule("out_proj", new OutProjection(embedDim, b.bias));
        resetParameters();
    }

    /** in_proj_weight from Xavier-uniform, the biases to zero, out_proj.weight as a Linear's. */
    public void resetParameters() {
        Init.xavierUniform_(inProjWeight, 1.0);
        outProj.resetParameters();
        if (inProjBias != null) {
            Init.zeros_(inProjBias);
            Init.zeros_(outProj.bias);
        }
    }

    /** Self-attention without masks: the output of {@code forward(x, x, x)}, for Sequential and Summary. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, null, false, true).output();
    }

    /** Attention without masks, returning the weights averaged over heads (PyTorch's defaults). */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, null, true, true);
    }

    /**
     * Attention of {@code query} over {@code key}/{@code value}, as PyTorch's
     * {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights)}.
     * Either mask may be null. Without {@code needWeights} the weights of the output are null.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, AttentionMask keyPaddingMask, AttentionMask attnMask,
            boolean needWeights, boolean averageAttnWeights) {
        checkInputs(query, key, value);
        return forward(query, projectKeyValue(key, value), keyPaddingMask, attnMask, needWeights, averageAttnWeights);
    }

    /**
     * The keys and values projected and split into heads, (N, h, S, d) each; key and value as in
     * {@link #forward(Tensor, Tensor, Tensor, AttentionMask, AttentionMask, boolean, boolean) forward}: (S, N, E),
     * (N, S, E) with batchFirst, or unbatched (S, E) (then N = 1).
     * <pre>
     *   K = key · W_kᵀ + b_k      V = value · W_vᵀ + b_v      (N, S, E) → (N, S, h, d) → (N, h, S, d)
     * </pre>
     */
    public KeyValue projectKeyValue(Tensor key, Tensor value) {
        if ((key.dim() != 2 && key.dim() != 3) || key.size(-1) != embedDim
                || !java.util.Arrays.equals(key.shape(), value.shape())) {
            String layout = batchFirst ? "(N, S, E)" : "(S, N, E)";
            throw new ShapeException(describe() + ": projectKeyValue expected key and value " + layout.replace("E", ""
                    + embedDim) + " or unbatched (S, " + embedDim + "), both the same shape, but got key "
                    + Shape.format(key.shape()) + ", value " + Shape.format(value.shape()));
        }
        boolean batched = key.dim() == 3;
        Tensor k = toBatchFirst(key, batched);                           // (N, S, E)
        Tensor v = toBatchFirst(value, batched);
        int n = k.size(0);
        int s = k.size(1);
        return new KeyValue(splitHeads(project(k, 1), n, s), splitHeads(project(v, 2), n, s));   // (N, h, S, d)
    }

    /**
     * Attention of {@code query} over keys and values already projected into heads (for instance those a
     * {@link KeyValueCache} kept from earlier decoding steps); otherwise as
     * {@link #forward(Tensor, Tensor, Tensor, AttentionMask, AttentionMask, boolean, boolean) forward}, which is
     * this method on {@code projectKeyValue(key, value)}. query (L, N, E), (N, L, E) with batchFirst, or
     * unbatched (L, E); keyValue (N, h, S, d) with N = 1 for an unbatched query.
     */
    public Output forward(Tensor query, KeyValue keyValue, AttentionMask keyPaddingMask, AttentionMask attnMask,
            boolean needWeights, boolean averageAttnWeights) {
        boolean batched = query.dim() == 3;
        int n = batched ? query.size(batchFirst ? 0 : 1) : 1;
        int[] expected = {n, numHeads, keyValue.length(), headDim};
        if ((query.dim() != 2 && query.dim() != 3) || query.size(-1) != embedDim
                || !java.util.Arrays.equals(keyValue.keys().shape(), expected)
                || !java.util.Arrays.equals(keyValue.values().shape(), expected)) {
            String layout = batchFirst ? "(N, L, E)" : "(L, N, E)";
            throw new ShapeException(describe() + ": expected query " + layout.replace("E", "" + embedDim)
                    + " (or unbatched (L, " + embedDim + "), N = 1) and keys and values (N, numHeads, S, headDim) = (N, "
                    + numHeads + ", S, " + headDim + ") with the same N but got query " + Shape.format(query.shape())
                    + ", keys " + Shape.format(keyValue.keys().shape()) + ", values "
                    + Shape.format(keyValue.values().shape()));
        }
        Tensor q = toBatchFirst(query, batched);                         // (N, L, E)
        int l = q.size(1);
        int s = keyValue.length();
        AttentionMask mask = combineMasks(keyPaddingMask, attnMask, batched, n, l, s);
        Tensor qHeads = splitHeads(project(q, 0), n, l);                  // (N, h, L, d)
        Tensor kHeads = keyValue.keys();                                  // (N, h, S, d)
        Tensor vHeads = keyValue.values();                                // (N, h, S, d)
        Attention.Result attended = Attention.scaledDotProduct(qHeads, kHeads, vHeads, mask,
                isTraining() ? dropout : 0, null);
        Tensor concat = attended.output().permute(0, 2, 1, 3).reshape(n, l, embedDim);  // heads side by side
        Tensor out = outProj.forward(concat);                             // (N, L, E)
        out = batched ? (batchFirst ? out : out.transpose(0, 1)) : out.squeeze(0);
        if (!needWeights) {
            return new Output(out, null);
        }
        Tensor weights = averageAttnWeights ? attended.weights().mean(1) : attended.weights();
        return new Output(out, batched ? weights : weights.squeeze(0));
    }

    /** x · W_iᵀ + b_i for projection i = 0 (query), 1 (key), 2 (value): rows i·E .. (i+1)·E − 1. */
    private Tensor project(Tensor x, int i) {
        Tensor projected = x.matmul(inProjWeight.narrow(0, i * embedDim, embedDim).t());
        return inProjBias == null ? projected : projected.add(inProjBias.narrow(0, i * embedDim, embedDim));
    }

    /** (N, T, E) → (N, h, T, d): feature e = i·d + j goes to head i, column j. */
    private Tensor splitHeads(Tensor x, int n, int t) {
        return x.reshape(n, t, numHeads, headDim).permute(0, 2, 1, 3);
    }

    private Tensor toBatchFirst(Tensor x, boolean batched) {
        return !batched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
    }

    /** The sum of both masks as one additive mask broadcastable to (N, h, L, S), or null. */
    private AttentionMask combineMasks(AttentionMask keyPadding, AttentionMask attn, boolean batched, int n, int l, int s) {
        Tensor sum = null;
        if (attn != null) {
            int[] m = attn.shape();
            boolean perHead = m.length == 3 && m[0] == (batched ? n * numHeads : numHeads) && m[1] == l && m[2] == s;
            if (!(m.length == 2 && m[0] == l && m[1] == s) && !perHead) {
                throw new ShapeException(describe() + ": expected attnMask (L, S) = (" + l + ", " + s + ") or ("
                        + (batched ? "N·numHeads" : "numHeads") + ", L, S) = (" + (batched ? n * numHeads : numHeads)
                        + ", " + l + ", " + s + ") but got " + Shape.format(m));
            }
            sum = perHead ? attn.additive().reshape(n, numHeads, l, s) : attn.additive();
        }
        if (keyPadding != null) {
            int[] m = keyPadding.shape();
            boolean ok = batched ? m.length == 2 && m[0] == n && m[1] == s : m.length == 1 && m[0] == s;
            if (!ok) {
                throw new ShapeException(describe() + ": expected keyPaddingMask " + (batched ? "(N, S) = ("
                        + n + ", " : "(S) = (") + s + ") but got " + Shape.format(m));
            }
            Tensor padding = keyPadding.additive().reshape(n, 1, 1, s);   // the same for every head and query
            sum = sum == null ? padding : sum.add(padding);
        }
        return sum == null ? null : AttentionMask.additive(sum);
    }

    /** Checks ranks and sizes; returns whether the inputs are batched. */
    private boolean checkInputs(Tensor query, Tensor key, Tensor value) {
        int rank = query.dim();
        String layout = rank == 2 ? "(L, E), key and value (S, E)" : batchFirst ? "(N, L, E), key and value (N, S, E)"
                : "(L, N, E), key and value (S, N, E)";
        boolean ok = (rank == 2 || rank == 3) && key.dim() == rank && value.dim() == rank
                && query.size(-1) == embedDim && java.util.Arrays.equals(key.shape(), value.shape())
                && key.size(-1) == embedDim;
        int batchDim = batchFirst ? 0 : 1;
        if (ok && rank == 3) {
            ok = query.size(batchDim) == key.size(batchDim);
        }
        if (!ok) {
            throw new ShapeException(describe() + ": expected query " + layout.replace("E", "" + embedDim)
                    + (rank == 2 || rank == 3 ? "" : " (or batched, 3 dims)") + " but got query "
                    + Shape.format(query.shape()) + ", key " + Shape.format(key.shape()) + ", value "
                    + Shape.format(value.shape()));
        }
        return rank == 3;
    }

    /** "MultiheadAttention(embed_dim=8, num_heads=2) at layers.0.self_attn", the start of shape errors. */
    @Override
    protected String describeArguments() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + ", batch_first=" + PyRepr.bool(batchFirst);
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    /** d = E / h. */
    public int headDim() {
        return headDim;
    }

    public double dropout() {
        return dropout;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    /**
     * The output projection: a plain {@link Linear} which prints as PyTorch's
     * {@code NonDynamicallyQuantizableLinear} (a Linear subclass PyTorch uses only to steer its
     * quantization tools), so {@code print(model)} reads the same in both.
     */
    static final class OutProjection extends Linear {
        OutProjection(int embedDim, boolean bias) {
            super(embedDim, embedDim, bias);
        }

        @Override
        public String name() {
            return "NonDynamicallyQuantizableLinear";
        }
    }

    /** The options of a {@link MultiheadAttention}, with PyTorch's defaults. */
    public static final class Builder {
        private final int embedDim;
        private final int numHeads;
        private double dropout = 0;
        private boolean bias = true;
        private boolean batchFirst = false;

        private Builder(int embedDim, int numHeads) {
            this.embedDim = embedDim;
            this.numHeads = numHeads;
        }

        /** Dropout probability on the attention weights in training (default 0). */
        public Builder dropout(double p) {
            this.dropout = p;
            return this;
        }

        /** Biases in the input and output projections (default true). */
        public Builder bias(boolean on) {
            this.bias = on;
            return this;
        }

        /** Inputs and outputs (N, L, E) instead of (L, N, E) (default false). */
        public Builder batchFirst(boolean on) {
            this.batchFirst = on;
            return this;
        }

        public MultiheadAttention build() {
            return new MultiheadAttention(this);
        }
    }
}
