package kindling.nn.functional;

import kindling.tensor.Generator;
import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/**
 * Scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need", eq. 1), written
 * from differentiable tensor ops so that each step can be watched in a debugger.
 * <pre>
 *   scores  = Q · Kᵀ / √d + M           scores[l, s] = Σ_e Q[l, e] · K[s, e] / √d + M[l, s]
 *   weights = softmax(scores)           along s: each query's weights over the keys sum to 1
 *   output  = weights · V               output[l, :] = Σ_s weights[l, s] · V[s, :]
 * </pre>
 * M is the additive mask ({@link AttentionMask#additive()}): 0 where query l may attend to key s,
 * −∞ where it may not, so that weight becomes exp(−∞) = 0. Dividing by √d keeps the scores' variance
 * near 1 when Q and K have unit-variance entries, so the softmax does not saturate as d grows.
 * As PyTorch's {@code multi_head_attention_forward}, Q is divided by √d before the product (L·d
 * divisions instead of L·S).
 *
 * <p><b>Shape</b> (the leading dims * broadcast, as in {@code matmul}):
 * <ul>
 *   <li>query (*, L, d), key (*, S, d), value (*, S, d_v) — L queries, S keys/values;
 *   <li>mask: broadcastable to (*, L, S), e.g. (L, S) or (N, 1, 1, S);
 *   <li>output (*, L, d_v), weights (*, L, S).
 * </ul>
 * The backward pass needs nothing special: it is the chain of MatMulOp, DivOp, AddOp and SoftmaxOp.
 */
public final class Attention {

    /** The attended values and the attention weights that produced them. */
    public record Result(Tensor output, Tensor weights) {
    }

    private Attention() {
    }

    /** softmax(Q · Kᵀ / √d + M) · V, without dropout; {@code mask} may be null. */
    public static Tensor scaledDotProduct(Tensor query, Tensor key, Tensor value, AttentionMask mask) {
        return scaledDotProduct(query, key, value, mask, 0, null).output();
    }

    /**
     * softmax(Q · Kᵀ / √d + M) · V with dropout of probability {@code dropoutP} on the weights (pass 0
     * in evaluation). The returned weights are those multiplied with V: after dropout, as PyTorch's
     * {@code nn.MultiheadAttention} returns them. {@code generator} draws the dropout mask (null: the
     * global generator).
     */
    public static Result scaledDotProduct(Tensor query, Tensor key, Tensor value, AttentionMask mask,
            double dropoutP, Generator generator) {
        checkShapes(query, key, value, mask);
        if (!(dropoutP >= 0 && dropoutP <= 1)) {
            throw new IllegalArgumentException("scaledDotProduct: dropoutP must be in [0, 1], got " + dropoutP);
        }
        int d = query.size(-1);
        Tensor scaledQuery = query.div((float) Math.sqrt(d));                 // Q / √d      (*, L, d)
        Tensor scores = scaledQuery.matmul(key.transpose(-2, -1));            // Q·Kᵀ / √d   (*, L, S)
        if (mask != null) {
            scores = scores.add(mask.additive());                             // + M: −∞ blocks a key
        }
        Tensor weights = scores.softmax(-1);                                  // each row sums to 1
        if (dropoutP > 0) {
            Generator source = generator != null ? generator : Generator.global();
            Tensor keep = Tensor.rand(source, weights.shape()).lt((float) (1 - dropoutP))
                    .mul((float) (1 / (1 - dropoutP)));
            weights = weights.mul(keep);
        }
        return new Result(weights.matmul(value), weights);                   // weights · V (*, L, d_v)
    }

    private static void checkShapes(Tensor query, Tensor key, Tensor value, AttentionMask mask) {
        if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2) {
            throw new ShapeException("scaledDotProduct: query, key and value need at least 2 dims (*, L, d), got "
                    + shapes(query, key, value));
        }
        if (query.size(-1) != key.size(-1)) {
            throw new ShapeException("scaledDotProduct: query and key must have the same last dim d, got "
                    + shapes(query, key, value));
        }
        if (key.size(-2) != value.size(-2)) {
            throw new ShapeException("scaledDotProduct: key and value must have the same number of positions S, got "
                    + shapes(query, key, value));
        }
        if (mask != null) {
            int[] m = mask.shape();
            int rows = m.length >= 2 ? m[m.length - 2] : 1;
            int columns = m.length >= 1 ? m[m.length - 1] : 1;
            if ((columns != 1 && columns != key.size(-2)) || (rows != 1 && rows != query.size(-2))) {
                throw new ShapeException("scaledDotProduct: mask " + Shape.format(m) + " does not broadcast to (*, L, S) = (*, "
                        + query.size(-2) + ", " + key.size(-2) + ") for " + shapes(query, key, value));
            }
        }
    }

    private static String shapes(Tensor query, Tensor key, Tensor value) {
        return "query " + Shape.format(query.shape()) + ", key " + Shape.format(key.shape()) + ", value "
                + Shape.format(value.shape());
    }
}
