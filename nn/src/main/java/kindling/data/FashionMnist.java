package kindling.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando, 2017): 60,000 training and 10,000 test images
 * of clothing, 28×28 grey, in 10 classes — the data set of d2l's LeNet chapter.
 * <pre>
 *   ImageData data = FashionMnist.load();        // looks in the usual places, see below
 *   System.out.println(data);                     // says which source it used
 *   Tensor images = data.train().inputs();    // (60000, 1, 28, 28) in [0, 1]
 *   Tensor labels = data.train().targets();   // (60000) class indices 0..9, named by {@link #CLASSES}
 * </pre>
 * {@link #load()} looks in {@code $KINDLING_DATA/fashion-mnist}, {@code ~/.kindling/datasets/fashion-mnist},
 * {@code /usr/share/datasets/fashion-mnist} (Debian: {@code apt-get install dataset-fashion-mnist}),
 * then downloads (unless {@code -Dkindling.download=false}), then falls back to the subset bundled
 * with the examples (6,000 training and 1,000 test images, balanced over the classes).
 */
public final class FashionMnist {
    /** The class names in label order, as torchvision's {@code FashionMNIST.classes}. */
    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

    static final IdxDataSet FILES = new IdxDataSet("Fashion-MNIST", "fashion-mnist", CLASSES,
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            new String[] {"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"});

    private FashionMnist() {
    }

    /** Fashion-MNIST from the first place that has it (see the class comment). */
    public static ImageData load() throws IOException {
        return FILES.lookUp();
    }

    /** Fashion-MNIST from {@code directory}, which must hold the four IDX files (gzipped or not). */
    public static ImageData load(Path directory) throws IOException {
        return FILES.load(directory, "");
    }

    /** The subset bundled with the examples module. */
    public static ImageData loadBundledSubset() throws IOException {
        ImageData data = FILES.loadBundled();
        if (data == null) {
            throw new IOException("the bundled Fashion-MNIST subset is not on the classpath: it ships in kindling-examples");
        }
        return data;
    }
}
