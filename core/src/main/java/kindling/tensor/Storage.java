package kindling.tensor;

/**
 * The flat {@code float[]} behind a tensor and every view of it, with a version counter that each
 * in-place write bumps. Autograd compares versions to catch a saved tensor changed before backward.
 */
final class Storage {
    final float[] data;
    long version;
    /** Whether a view ({@link Tensor#asStrided}, which every view op uses) has been made over this storage. */
    boolean viewed;

    Storage(float[] data) {
        this.data = data;
    }
}
