package kindling.data;

/**
 * A source of mini-batches that knows how many it will give per pass, so a training loop can show
 * progress and an ETA. {@code DataLoader} is the usual one; a test may use a fixed list.
 */
public interface Batches extends Iterable<Batch> {
    /** Batches in one pass (one epoch). */
    int numBatches();
}
