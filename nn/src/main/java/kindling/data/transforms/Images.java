package kindling.data.transforms;

import kindling.tensor.Shape;
import kindling.tensor.ShapeException;
import kindling.tensor.Tensor;

/** What every image transform checks first. */
final class Images {
    private Images() {
    }

    /**
     * Checks that {@code image} is (C, H, W) and returns its elements as a fresh row-major array,
     * which the transform may then overwrite.
     */
    static float[] pixels(String who, Tensor image) {
        if (image.dim() != 3) {
            throw new ShapeException(who + ": expected an image (C, H, W) but got "
                    + Shape.format(image.shape()));
        }
        return image.toArray();
    }
}
