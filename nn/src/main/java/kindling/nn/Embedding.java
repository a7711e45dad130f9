package kindling.nn;

import kindling.autograd.NoGrad;
import kindling.nn.functional.Embeddings;
import kindling.nn.init.Init;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * A lookup table of learned vectors, one row per token, as PyTorch's {@code nn.Embedding}.
 * <pre>
 *   out[..., :] = W[index[...], :]
 * </pre>
 * Looking up row v is the same as multiplying the one-hot vector of v by W, without building the
 * one-hot vector: e_v · W = W[v, :].
 *
 * <b>Shape</b>
 * <ul>
 *   <li>input (*): whole numbers in [0, numEmbeddings), any shape — (N, L) for a batch of sequences;
 *   <li>output (*, embeddingDim).
 * </ul>
 * <b>Parameters</b>
 * <ul>
 *   <li>{@code weight} (numEmbeddings, embeddingDim), initialised N(0, 1) as PyTorch does, with the
 *       {@code paddingIdx} row set to zeros.
 * </ul>
 * With a {@code paddingIdx} (PyTorch's {@code padding_idx}), that row receives no gradient, so the
 * vector of the padding token stays zero through training. With a {@code maxNorm} (PyTorch's
 * {@code max_norm}), each forward first scales down, in place, every row the input picks whose
 * p-norm ({@code normType}, default 2) is above it, so no vector in use grows past that length:
 * <pre>
 *   Embedding table = Embedding.builder(10_000, 64).paddingIdx(0).maxNorm(1.0).build();
 * </pre>
 * PyTorch's {@code scale_grad_by_freq} and {@code sparse} options are not provided.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    /** The row that stays zero, in [0, numEmbeddings), or −1 for none. */
    private final int paddingRow;
    /** The largest norm a picked row may have, or NaN for no limit. */
    private final double maxNorm;
    /** The p of the p-norm maxNorm limits. */
    private final double normType;
    /** The table W, shape (numEmbeddings, embeddingDim). */
    public final Tensor weight;

    /** A table without a padding row. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(builder(numEmbeddings, embeddingDim), null);
    }

    /**
     * A table whose row {@code paddingIdx} stays zero and gets no gradient; a negative paddingIdx
     * counts from the end as in PyTorch (−1 is the last row). Use {@link #Embedding(int, int)} for none.
     */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(builder(numEmbeddings, embeddingDim).paddingIdx(paddingIdx), null);
    }

    /** The options of a table of {@code numEmbeddings} rows of {@code embeddingDim}: padding row, max norm. */
    public static Builder builder(int numEmbeddings, int embeddingDim) {
        return new Builder(numEmbeddings, embeddingDim);
    }

    private static int paddingRow(int numEmbeddings, int paddingIdx) {
        if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException("Embedding: paddingIdx must be in [" + -numEmbeddings + ", "
                    + numEmbeddings + "), got " + paddingIdx);
        }
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }

    /** The table {@code b} describes, holding {@code pretrained} if given, else drawn from N(0, 1). */
    private Embedding(Builder b, Tensor pretrained) {
        if (!Double.isNaN(b.maxNorm) && !(b.maxNorm > 0)) {
            throw new IllegalArgumentException("Embedding: maxNorm must be > 0, got " + b.maxNorm);
        }
        if (Double.isNaN(b.normType)) {
            throw new IllegalArgumentException("Embedding: normType must be a number, got NaN");
        }
        int paddingRow = b.paddingIdx == null ? -1 : paddingRow(b.numEmbeddings, b.paddingIdx);
        if (b.numEmbeddings < 1 || b.embeddingDim < 1) {
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be at least 1, got "
                    + "numEmbeddings=" + b.numEmbeddings + ", embeddingDim=" + b.embeddingDim);
        }
        this.numEmbeddings = b.numEmbeddings;
        this.embeddingDim = b.embeddingDim;
        this.paddingRow = paddingRow;
        this.maxNorm = b.maxNorm;
        this.normType = b.normType;
        this.weight = registerParameter("weight", pretrained != null ? pretrained : Tensor.zeros(numEmbeddings,
                embeddingDim));
        if (pretrained == null) {
            resetParameters();
        }
    }

    /**
     * A table holding a copy of {@code embeddings} (V, D), as {@code nn.Embedding.from_pretrained};
     * with {@code freeze} (PyTorch's default) the table is not trained.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        return fromPretrained(embeddings, freeze, Double.NaN, 2);
    }

    /**
     * As {@link #fromPretrained(Tensor, boolean)}, with PyTorch's {@code max_norm} and {@code norm_type}:
     * each forward first scales down, in place, every picked row whose {@code normType}-norm is above
     * {@code maxNorm} (NaN for no limit). A frozen table is scaled down too, as in PyTorch: it gets no
     * gradient, but the lookup still changes the rows it picks. Only the copy changes, never
     * {@code embeddings} (PyTorch's table shares the given tensor's storage, so there it would).
     * <pre>
     *   Embedding glove = Embedding.fromPretrained(weight, true, 1.0, 2);    // weight (V, D); rows in use at most 1 long
     * </pre>
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, double maxNorm, double normType) {
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be (V, D), got "
                    + Shape.format(embeddings.shape()));
        }
        Tensor copy = Tensor.wrap(embeddings.toArray(), embeddings.shape());
        Embedding table = new Embedding(builder(embeddings.size(0), embeddings.size(1)).maxNorm(maxNorm)
                .normType(normType), copy);
        if (freeze) {
            table.weight.requiresGrad_(false);
        }
        return table;
    }

    /** Redraws W from N(0, 1) (global generator) and zeroes the padding row. */
    public void resetParameters() {
        Init.normal_(weight, 0, 1);
        if (paddingRow >= 0) {
            try (NoGrad ignored = NoGrad.enter()) {
                weight.select(0, paddingRow).zero_();
            }
        }
    }

    /** The padding row as an index in [0, numEmbeddings), or −1 for none. */
    public int paddingIdx() {
        return paddingRow;
    }

    /**
     * The whole numbers {@code values} as an (n) tensor of indices (tensors hold floats), the input an
     * Embedding and {@code Tensor.indexSelect} take: {@code x.indexSelect(0, Embedding.indices(2, 0, 0))}.
     */
    public static Tensor indices(int... values) {
        float[] data = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = values[i];
        }
        return Tensor.wrap(data, values.length);
    }

    /**
     * Columns {@code from} .. t − 1 of B rows of length t, as a (B, t − from) tensor of indices: the tokens
     * of B prefixes for an Embedding, all of them ({@code from} = 0) or only the newest ({@code from} = t − 1).
     */
    public static Tensor indices(int[][] rows, int from) {
        int t = rows[0].length - from;
        int[] flat = new int[rows.length * t];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, flat, b * t, t);
        }
        return indices(flat).reshape(rows.length, t);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The largest p-norm a picked row may have, or NaN when there is no limit. */
    public double maxNorm() {
        return maxNorm;
    }

    /** The p of the p-norm {@link #maxNorm} limits (2 unless set). */
    public double normType() {
        return normType;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!Double.isNaN(maxNorm)) {
            return Embeddings.embedding(describe(), input, weight, paddingRow, maxNorm, normType);
        }
        return Embeddings.embedding(describe(), input, weight, paddingRow);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder(numEmbeddings + ", " + embeddingDim);
        if (paddingRow >= 0) {
            s.append(", padding_idx=").append(paddingRow);
        }
        if (!Double.isNaN(maxNorm)) {
            s.append(", max_norm=").append(PyRepr.floatRepr(maxNorm));
        }
        if (normType != 2) {
            s.append(", norm_type=").append(PyRepr.floatRepr(normType));
        }
        return s.toString();
    }

    /** Embedding's options, with PyTorch's defaults: no padding row, no max norm, norm type 2. */
    public static final class Builder {
        private final int numEmbeddings;
        private final int embeddingDim;
        private Integer paddingIdx;
        private double maxNorm = Double.NaN;
        private double normType = 2;

        private Builder(int numEmbeddings, int embeddingDim) {
            this.numEmbeddings = numEmbeddings;
            this.embeddingDim = embeddingDim;
        }

        /** The row that stays zero and gets no gradient; negative counts from the end (−1 is the last row). */
        public Builder paddingIdx(int paddingIdx) {
            this.paddingIdx = paddingIdx;
            return this;
        }

        /**
         * Rows the input picks are scaled down, before each lookup, to a p-norm of at most this (&gt; 0;
         * NaN, the default, for no limit).
         */
        public Builder maxNorm(double maxNorm) {
            this.maxNorm = maxNorm;
            return this;
        }

        /** The p of the p-norm maxNorm limits: 2 (length) by default, 1, ∞ or any other p. */
        public Builder normType(double normType) {
            this.normType = normType;
            return this;
        }

        public Embedding build() {
            return new Embedding(this, null);
        }
    }
}
