package kindling.data;

import kindling.tensor.Tensor;

/** A change made to one input as it is batched, such as normalising or flipping an image (C, H, W). */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor input);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        return input -> next.apply(apply(input));
    }
}
