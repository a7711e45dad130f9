package kindling.nn;

/**
 * The options that {@link TransformerEncoderLayer}, {@link TransformerDecoderLayer} and {@link Transformer}
 * share, with PyTorch's defaults, and the parts every layer builds from them alike: the argument checks,
 * the attention sub-layers and the LayerNorms. Each public {@code Builder} extends this class, so its
 * setters return that builder ({@code B}).
 *
 * @param <B> the builder that extends this class
 */
abstract class TransformerLayerOptions<B extends TransformerLayerOptions<B>> {
    int dModel;
    int nhead;
    int dimFeedforward = 2048;
    double dropout = 0.1;
    String activation = "relu";
    double layerNormEps = 1e-5;
    boolean batchFirst = false;
    boolean normFirst = false;

    TransformerLayerOptions(int dModel, int nhead) {
        this.dModel = dModel;
        this.nhead = nhead;
    }

    /** This builder, typed as the subclass so that setters chain. */
    abstract B self();

    /** Width of the feed-forward network's hidden layer (default 2048). */
    public B dimFeedforward(int size) {
        this.dimFeedforward = size;
        return self();
    }

    /** Dropout probability everywhere, attention weights included (default 0.1). */
    public B dropout(double p) {
        this.dropout = p;
        return self();
    }

    /** "relu" (default) or "gelu". */
    public B activation(String name) {
        this.activation = name;
        return self();
    }

    /** The LayerNorms' ε (default 1e-5). */
    public B layerNormEps(double eps) {
        this.layerNormEps = eps;
        return self();
    }

    /** Inputs and outputs batch first, (N, S, E) instead of (S, N, E) (default false). */
    public B batchFirst(boolean on) {
        this.batchFirst = on;
        return self();
    }

    /** Pre-norm: LayerNorm before each sub-layer instead of after (default false). */
    public B normFirst(boolean on) {
        this.normFirst = on;
        return self();
    }

    /** {@code target} with this builder's options (dModel and nhead included); returns {@code target}. */
    <T extends TransformerLayerOptions<T>> T copyTo(T target) {
        target.dModel = dModel;
        target.nhead = nhead;
        return target.dimFeedforward(dimFeedforward).dropout(dropout).activation(activation)
                .layerNormEps(layerNormEps).batchFirst(batchFirst).normFirst(normFirst);
    }

    /** The checks a layer makes before building anything; {@code layer} names it in the message. */
    void check(String layer) {
        if (dimFeedforward < 1) {
            throw new IllegalArgumentException(layer + ": dimFeedforward must be >= 1, got " + dimFeedforward);
        }
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw new IllegalArgumentException(layer + ": activation should be relu/gelu, not " + activation);
        }
    }

    /** A self-attention or cross-attention sub-layer: MultiheadAttention(E, nhead, dropout). */
    MultiheadAttention newAttention() {
        return MultiheadAttention.builder(dModel, nhead).dropout(dropout).batchFirst(batchFirst).build();
    }

    /** A LayerNorm(E, eps) with its affine parameters. */
    LayerNorm newLayerNorm() {
        return new LayerNorm(new int[] {dModel}, layerNormEps, true);
    }
}
