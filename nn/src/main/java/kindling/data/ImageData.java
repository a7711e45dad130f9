package kindling.data;

/**
 * An image classification data set as loaded: its training and test sets, the class names, and
 * where it came from (printed by the examples, so a student knows which data they trained on).
 */
public record ImageData(String name, TensorDataset train, TensorDataset test, String[] classes, String source) {
    @Override
    public String toString() {
        return name + " from " + source + ": " + train.size() + " training and " + test.size() + " test images";
    }
}
