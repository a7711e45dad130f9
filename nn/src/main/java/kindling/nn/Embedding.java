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
 * vector of the padding token stays zero through training. PyTorch's {@code max_norm},
 * {@code scale_grad_by_freq} and {@code sparse} options are not provided.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    /** The row that stays zero, in [0, numEmbeddings), or −1 for none. */
    private final int paddingRow;
    /** The table W, shape (numEmbeddings, embeddingDim). */
    public final Tensor weight;

    /** A table without a padding row. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, -1, null);
    }

    /**
     * A table whose row {@code paddingIdx} stays zero and gets no gradient; a negative paddingIdx
     * counts from the end as in PyTorch (−1 is the last row). Use {@link #Embedding(int, int)} for none.
     */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingRow(numEmbeddings, paddingIdx), null);
    }

    private static int paddingRow(int numEmbeddings, int paddingIdx) {
        if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException("Embedding: paddingIdx must be in [" + -numEmbeddings + ", "
                    + numEmbeddings + "), got " + paddingIdx);
        }
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }

    private Embedding(int numEmbeddings, int embeddingDim, int paddingRow, Tensor pretrained) {
        if (numEmbeddings < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be at least 1, got "
                    + "numEmbeddings=" + numEmbeddings + ", embeddingDim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingRow = paddingRow;
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
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be (V, D), got "
                    + Shape.format(embeddings.shape()));
        }
        Tensor copy = Tensor.wrap(embeddings.toArray(), embeddings.shape());
        Embedding table = new Embedding(embeddings.size(0), embeddings.size(1), -1, copy);
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

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Embeddings.embedding(describe(), input, weight, paddingRow);
    }

    @Override
    public String extraRepr() {
        String padding = paddingRow >= 0 ? ", padding_idx=" + paddingRow : "";
        return numEmbeddings + ", " + embeddingDim + padding;
    }
}
