package kindling.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * MNIST (LeCun, Cortes and Burges): 60,000 training and 10,000 test images of handwritten digits,
 * 28×28 grey. Found as {@link FashionMnist} is, in directories named {@code mnist}, or downloaded
 * from the mirror torchvision uses; no subset is bundled.
 */
public final class Mnist {
    /** The class names in label order. */
    public static final String[] CLASSES = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    static final IdxDataSet FILES = new IdxDataSet("MNIST", "mnist", CLASSES,
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            new String[] {"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"});

    private Mnist() {
    }

    /** MNIST from the first place that has it. */
    public static ImageData load() throws IOException {
        return FILES.lookUp();
    }

    /** MNIST from {@code directory}, which must hold the four IDX files (gzipped or not). */
    public static ImageData load(Path directory) throws IOException {
        return FILES.load(directory, "");
    }
}
