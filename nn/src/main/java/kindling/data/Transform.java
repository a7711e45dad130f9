package kindling.data;

import kindling.tensor.Tensor;

/**
 * A change made to one input as it is batched, such as normalising or flipping an image (C, H, W),
 * as torchvision's tensor transforms. A transform returns a new tensor; its input stays unchanged.
 * Transforms chain left to right:
 * <pre>
 *   Transform t = Transform.compose(new RandomCrop(28, 4, gen), new Normalize(mean, std));
 *   Tensor out = t.apply(x);      // Normalize(RandomCrop(x))
 * </pre>
 * as {@code torchvision.transforms.Compose([RandomCrop(28, padding=4), Normalize(mean, std)])}.
 * A {@link DataLoader} applies its transform to each example's input before stacking. The image
 * transforms live in {@link kindling.data.transforms}.
 */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor input);

    /** This transform, then {@code next}: x ↦ next(this(x)). */
    default Transform andThen(Transform next) {
        return input -> next.apply(apply(input));
    }

    /** The transforms applied in order, first to last; with none, the identity. */
    static Transform compose(Transform... transforms) {
        Transform[] chain = transforms.clone();
        return input -> {
            Tensor x = input;
            for (Transform t : chain) {
                x = t.apply(x);
            }
            return x;
        };
    }
}
