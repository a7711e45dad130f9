package kindling.examples.style;

import java.util.List;
import java.util.Map;
import kindling.nn.MSELoss;
import kindling.tensor.Tensor;

/**
 * The losses of neural style transfer (Gatys, Ecker and Bethge, 2016, "Image Style Transfer Using
 * Convolutional Neural Networks"), composed from differentiable tensor ops, so autograd gives their
 * gradient with respect to the image. For a feature map F of one image, shape (1, C, H, W):
 * <pre>
 *   F_r  = F reshaped to (C, H·W)                   one row per channel, one column per position
 *   G    = F_r · F_rᵀ / (C·H·W)                     Gram matrix (C, C): G[i][j] = how much channels
 *                                                    i and j fire together, summed over positions
 *   content loss  = mean((F_l(x) − F_l(c))²)        at one layer l
 *   style loss    = Σ_l mean((G(F_l(x)) − G(F_l(s)))²)   over several layers
 *   total         = contentWeight · content + styleWeight · style
 * </pre>
 * Summing over positions throws away where things are and keeps which features occur together:
 * texture, colour, brush strokes — the style. The content loss compares the maps position by
 * position, so it keeps the layout. Dividing G by C·H·W makes layers of different sizes comparable.
 */
public final class StyleLosses {
    private static final MSELoss MSE = new MSELoss();

    private StyleLosses() {
    }

    /** The Gram matrix (C, C) of a feature map (1, C, H, W), divided by C·H·W. */
    public static Tensor gram(Tensor features) {
        int[] shape = features.shape();
        if (shape.length != 4 || shape[0] != 1) {
            throw new IllegalArgumentException("gram: expected a feature map (1, C, H, W), got "
                    + kindling.tensor.Shape.format(shape));
        }
        int c = shape[1];
        int positions = shape[2] * shape[3];
        Tensor rows = features.reshape(c, positions);
        return rows.matmul(rows.t()).div((float) c * positions);
    }

    /** mean((x − target)²) of one layer's feature maps. */
    public static Tensor contentLoss(Tensor features, Tensor target) {
        return MSE.forward(features, target);
    }

    /** Σ over {@code layers} of mean((G(x_l) − G_l)²), where {@code targetGrams} holds the style image's Gram matrices. */
    public static Tensor styleLoss(Map<String, Tensor> features, Map<String, Tensor> targetGrams, List<String> layers) {
        Tensor total = null;
        for (String layer : layers) {
            Tensor term = MSE.forward(gram(features.get(layer)), targetGrams.get(layer));
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
