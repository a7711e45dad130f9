package kindling.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link FashionMnist#load()} looks, and what it says when a place does not have the data. */
class DataLookUpTest {
    @TempDir
    Path root;

    private void writeFiles(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve("train-images-idx3-ubyte"), IdxTest.images(4, 28, 28));
        Files.write(directory.resolve("train-labels-idx1-ubyte"), IdxTest.labels(4));
        Files.write(directory.resolve("t10k-images-idx3-ubyte"), IdxTest.images(2, 28, 28));
        Files.write(directory.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(2));
    }

    @Test
    void kindlingDataIsTheFolderAboveFashionMnistAsForTheOtherPlaces() throws IOException {
        writeFiles(root.resolve("data/fashion-mnist"));
        ImageData data = FashionMnist.FILES.lookUp(root.resolve("data").toString(), root.resolve("user"),
                root.resolve("system"), false);
        assertEquals(root.resolve("data/fashion-mnist").toString(), data.source());
        assertEquals(4, data.train().size());
    }

    @Test
    void whenNothingHasTheDataTheMessageSaysWhereItLookedAndWhyEachFailed() throws IOException {
        writeFiles(root.resolve("data"));                              // a common slip: the files right in $KINDLING_DATA
        Files.createDirectories(root.resolve("system/fashion-mnist"));
        Files.write(root.resolve("system/fashion-mnist/train-images-idx3-ubyte.gz"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.FILES.lookUp(root.resolve("data").toString(),
                root.resolve("user"), root.resolve("system"), false));
        String message = e.getMessage();
        assertTrue(message.startsWith("Fashion-MNIST not found. Looked in:\n"), message);
        assertTrue(message.contains(root.resolve("data/fashion-mnist") + " (no such directory; $KINDLING_DATA itself "
                + "holds the files, but it names the folder above fashion-mnist/)"), message);
        assertTrue(message.contains(root.resolve("user/fashion-mnist") + " (no such directory)"), message);
        assertTrue(message.contains(root.resolve("system/fashion-mnist")
                + " (no train-labels-idx1-ubyte.gz nor train-labels-idx1-ubyte)"), message);
        assertTrue(message.contains("a download (switched off by -Dkindling.download=false)"), message);

        IOException unset = assertThrows(IOException.class, () -> FashionMnist.FILES.lookUp(null,
                root.resolve("user"), root.resolve("system"), false));
        assertTrue(unset.getMessage().contains("$KINDLING_DATA/fashion-mnist ($KINDLING_DATA is not set)"),
                unset.getMessage());
    }
}
