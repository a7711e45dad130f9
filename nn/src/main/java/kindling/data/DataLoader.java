package kindling.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * Cuts a data set into mini-batches, as PyTorch's {@code DataLoader}: one pass of the iterator is
 * one epoch.
 * <pre>
 *   DataLoader train = DataLoader.builder(trainSet).batchSize(256).shuffle(42).build();
 *   for (Batch batch : train) {
 *       Tensor images = batch.inputs();      // (256, 1, 28, 28)
 *       Tensor labels = batch.targets();     // (256)
 *   }
 * </pre>
 * With {@code shuffle(seed)} every epoch visits the examples in a new order: epoch e's order comes
 * from a generator seeded with (seed, e), so the sequence of epochs is the same on every run, and a
 * resumed run ({@link #setEpoch}) sees the orders it would have seen. {@code dropLast} drops the last
 * batch when it is smaller than the batch size. A {@code transform} is applied to each input as it
 * is batched (random crops and flips give a different picture every epoch).
 *
 * <p>A {@link TensorDataset} without a transform is batched by copying rows of its arrays straight
 * into the batch (one {@code System.arraycopy} per example); any other data set goes example by
 * example and is stacked.
 */
public final class DataLoader implements Batches {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int epoch;                      // the epoch the next iterator() serves
    private final boolean dropLast;
    private final Transform transform;      // null: inputs as they are

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
    }

    /** The options for a loader over {@code dataset}: batch size 1, in order, keep the last batch. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    @Override
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Makes the next pass serve epoch {@code e} (counting from 0); each pass then moves on by one. */
    public void setEpoch(int e) {
        epoch = e;
    }

    @Override
    public Iterator<Batch> iterator() {
        int[] order = order(epoch++);
        int batches = numBatches();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
                }
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                next++;
                return batch(order, from, to);
            }
        };
    }

    /** Epoch e's order of example indices: 0, 1, 2, ... or a shuffle (Fisher–Yates) seeded by (seed, e). */
    private int[] order(int e) {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Generator generator = new Generator(seed * 0x9E3779B97F4A7C15L + e);
            for (int i = order.length - 1; i > 0; i--) {
                int j = generator.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    private Batch batch(int[] order, int from, int to) {
        if (dataset instanceof TensorDataset tensors && transform == null) {
            return new Batch(rows(tensors.inputs(), order, from, to), rows(tensors.targets(), order, from, to));
        }
        List<Tensor> inputs = new ArrayList<>(to - from);
        List<Tensor> targets = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Dataset.Example example = dataset.get(order[i]);
            inputs.add(transform == null ? example.input() : transform.apply(example.input()));
            targets.add(example.target());
        }
        return new Batch(Tensor.stack(inputs, 0), Tensor.stack(targets, 0));
    }

    /** Rows order[from..to) of a contiguous tensor, copied into a new (to − from, *) tensor. */
    private static Tensor rows(Tensor source, int[] order, int from, int to) {
        float[] data = source.data();
        int rowLength = source.size(0) == 0 ? 0 : data.length / source.size(0);
        float[] out = new float[(to - from) * rowLength];
        for (int i = from; i < to; i++) {
            System.arraycopy(data, order[i] * rowLength, out, (i - from) * rowLength, rowLength);
        }
        int[] shape = source.shape();
        shape[0] = to - from;
        return Tensor.wrap(out, shape);
    }

    /** Options for a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private Transform transform;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + size);
            }
            batchSize = size;
            return this;
        }

        /** A new order every epoch, from a generator seeded with {@code seed}. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        public Builder dropLast(boolean drop) {
            dropLast = drop;
            return this;
        }

        /** Applied to every input as it is batched. */
        public Builder transform(Transform t) {
            transform = t;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
