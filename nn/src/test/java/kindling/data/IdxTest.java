package kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX images file of {@code count} 2×3 images whose pixel k of image i is 10·i + k. */
    static byte[] images(int magic, int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * 6).putInt(magic).putInt(count).putInt(2).putInt(3);
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < 6; k++) {
                b.put((byte) (10 * i + k));
            }
        }
        return b.array();
    }

    /** An IDX images file of {@code count} images of rows×columns, every pixel 7. */
    static byte[] images(int count, int rows, int columns) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * columns).putInt(2051).putInt(count).putInt(rows)
                .putInt(columns);
        Arrays.fill(b.array(), 16, b.capacity(), (byte) 7);
        return b.array();
    }

    static byte[] labels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(2049).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void readsRawAndGzippedFilesTheSame() throws IOException {
        Tensor raw = Idx.readImages(write("raw", images(2051, 3)));
        Tensor gz = Idx.readImages(write("named-without-gz", gzip(images(2051, 3))));
        assertArrayEquals(new int[] {3, 1, 2, 3}, raw.shape());
        assertArrayEquals(raw.toArray(), gz.toArray());
        assertEquals(25 / 255f, raw.get(2, 0, 1, 2));
        assertArrayEquals(new float[] {0, 1, 2, 3}, Idx.readLabels(write("labels.gz", gzip(labels(4)))).toArray());
    }

    @Test
    void aWrongMagicNumberNamesTheFileAndBothNumbers() throws IOException {
        Path file = write("labels-as-images", labels(3));
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(file));
        assertEquals(file + ": not an IDX images file: magic number 2049, expected 2051", e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void truncatedFilesAreReportedWithTheirPathAndLengths() throws IOException {
        byte[] whole = images(2051, 3);
        Path cut = write("cut", Arrays.copyOf(whole, whole.length - 5));
        assertEquals(cut + ": truncated: the header announces 3 images of 2x3, 18 data bytes, but 13 follow the header",
                assertThrows(DataFileException.class, () -> Idx.readImages(cut)).getMessage());
        Path cutLabels = write("cut-labels", Arrays.copyOf(labels(5), 10));
        assertTrue(assertThrows(DataFileException.class, () -> Idx.readLabels(cutLabels)).getMessage()
                .startsWith(cutLabels + ": truncated"));
        byte[] gz = gzip(whole);
        Path cutGzip = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertTrue(assertThrows(DataFileException.class, () -> Idx.readImages(cutGzip)).getMessage()
                .startsWith(cutGzip + ": truncated gzip stream"));
        Path header = write("header", Arrays.copyOf(whole, 10));
        assertTrue(assertThrows(DataFileException.class, () -> Idx.readImages(header)).getMessage()
                .startsWith(header + ": truncated header"));
    }

    @Test
    void trailingBytesAreAnErrorToo() throws IOException {
        Path file = write("long", Arrays.copyOf(labels(3), 8 + 3 + 2));
        assertEquals(file + ": has trailing bytes: the header announces 3 labels, 3 data bytes, but 5 follow the header",
                assertThrows(DataFileException.class, () -> Idx.readLabels(file)).getMessage());
    }

    @Test
    void aDirectoryLoadsAndCountsMustAgree() throws IOException {
        write("train-images-idx3-ubyte.gz", gzip(images(4, 28, 28)));
        write("train-labels-idx1-ubyte", labels(4));
        write("t10k-images-idx3-ubyte", images(2, 28, 28));
        write("t10k-labels-idx1-ubyte.gz", gzip(labels(2)));
        ImageData data = FashionMnist.load(dir);
        assertEquals(4, data.train().size());
        assertEquals(2, data.test().size());
        assertEquals("Fashion-MNIST from " + dir + ": 4 training and 2 test images", data.toString());
        write("t10k-labels-idx1-ubyte.gz", gzip(labels(3)));
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("3 labels but " + dir.resolve("t10k-images-idx3-ubyte") + " has 2 images"),
                e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": no such file (nor without .gz)", e.getMessage());
    }

    @Test
    void imagesOfAnotherSizeAreNotFashionMnist() throws IOException {
        write("train-images-idx3-ubyte", images(2, 27, 29));
        write("train-labels-idx1-ubyte", labels(2));
        write("t10k-images-idx3-ubyte", images(2, 28, 28));
        write("t10k-labels-idx1-ubyte", labels(2));
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte")
                + ": holds images of 27x29; Fashion-MNIST images are 28x28", e.getMessage());
    }

    @Test
    void aLabelOutsideTheClassesIsRefusedNamingItsIndex() throws IOException {
        write("train-images-idx3-ubyte", images(3, 28, 28));
        byte[] labels = labels(3);
        labels[8 + 2] = (byte) 200;
        write("train-labels-idx1-ubyte", labels);
        write("t10k-images-idx3-ubyte", images(2, 28, 28));
        write("t10k-labels-idx1-ubyte", labels(2));
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": label 2 is 200; MNIST has 10 classes, 0..9",
                e.getMessage());
    }

    /** Bytes allocated by this thread so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void aSmallGzipThatInflatesFarBeyondItsHeaderIsRefusedWithoutInflatingIt() throws IOException {
        // One 28×28 image announced, then 64 MB of zeros: a few hundred KB compressed.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 1 << 16) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);   // the test's own time: compress quickly
            }
        }) {
            gz.write(images(1, 28, 28));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        Path bomb = write("bomb.gz", compressed.toByteArray());
        long before = allocatedBytes();
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(bomb));
        long allocated = allocatedBytes() - before;
        assertEquals(bomb + ": has trailing bytes: the header announces 1 images of 28x28, 784 data bytes, but more "
                + "than 784 follow the header", e.getMessage());
        assertTrue(allocated < 16L << 20, "read " + allocated + " bytes for a 784-byte image: it inflated the rest");
    }

    @Test
    void aHeaderAnnouncingMoreThanTheGzipHoldsIsTruncatedWithoutAllocatingTheAnnouncedSize() throws IOException {
        byte[] header = ByteBuffer.allocate(16 + 100).putInt(2051).putInt(1_000_000).putInt(28).putInt(28).array();
        Path liar = write("liar.gz", gzip(header));
        long before = allocatedBytes();
        DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(liar));
        assertEquals(liar + ": truncated: the header announces 1000000 images of 28x28, 784000000 data bytes, but 100 "
                + "follow the header", e.getMessage());
        assertTrue(allocatedBytes() - before < 16L << 20, "allocated the announced 784 MB up front");
        Path huge = write("huge", ByteBuffer.allocate(16).putInt(2051).putInt(100_000).putInt(200).putInt(200).array());
        assertEquals(huge + ": the header announces 100000 images of 200x200, 4000000000 data bytes, more than one Java "
                + "array holds (2^31 - 9)", assertThrows(DataFileException.class, () -> Idx.readImages(huge)).getMessage());
    }

    @Test
    void aGzippedFileWithTrailingBytesOrCutShortIsNamed() throws IOException {
        byte[] longer = Arrays.copyOf(labels(3), 8 + 3 + 2);
        Path file = write("long.gz", gzip(longer));
        assertEquals(file + ": has trailing bytes: the header announces 3 labels, 3 data bytes, but more than 3 follow "
                + "the header", assertThrows(DataFileException.class, () -> Idx.readLabels(file)).getMessage());
        Path dirAsFile = Files.createDirectory(dir.resolve("labels-dir"));
        assertEquals(dirAsFile + ": is a directory, not an IDX file",
                assertThrows(DataFileException.class, () -> Idx.readLabels(dirAsFile)).getMessage());
    }
}
