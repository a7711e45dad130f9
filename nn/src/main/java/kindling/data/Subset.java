package kindling.data;

/** The examples of {@code dataset} at {@code indices}, in that order, as PyTorch's {@code Subset}. */
public record Subset(Dataset dataset, int[] indices) implements Dataset {
    public Subset {
        for (int index : indices) {
            if (index < 0 || index >= dataset.size()) {
                throw new IndexOutOfBoundsException("Subset: index " + index + " is out of range for a data set of "
                        + dataset.size() + " examples");
            }
        }
        indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        return dataset.get(indices[index]);
    }
}
