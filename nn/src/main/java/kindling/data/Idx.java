package kindling.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import kindling.tensor.Tensor;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST, plain or gzip-compressed (recognised by the gzip
 * magic bytes 1F 8B, not by the file name).
 * <pre>
 *   offset  bytes  images file (magic 2051)         labels file (magic 2049)
 *   0       4      0x00000803                       0x00000801
 *   4       4      N, big-endian                    N, big-endian
 *   8       4      rows (28)                        then N label bytes, 0..9
 *   12      4      columns (28)
 *   16      N·rows·columns pixel bytes, 0..255, row by row
 * </pre>
 * Everything is checked: the magic number, and that the data is exactly as long as the header says
 * (a truncated download or a file with trailing bytes is an error, naming the file and both lengths).
 */
public final class Idx {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    private Idx() {
    }

    /** The images as a float tensor (N, 1, rows, columns) scaled to [0, 1] (pixel / 255, as torchvision's ToTensor). */
    public static Tensor readImages(Path file) throws IOException {
        return readImages(file, readFile(file));
    }

    /** The images in {@code content} (the raw or gzipped bytes of {@code file}, which names it in errors). */
    static Tensor readImages(Path file, byte[] content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(decompress(file, content));
        checkMagic(file, bytes, IMAGES_MAGIC, "images");
        if (bytes.remaining() < 12) {
            throw new DataFileException(file, "truncated header: an images file has a 16-byte header");
        }
        int count = bytes.getInt();
        int rows = bytes.getInt();
        int columns = bytes.getInt();
        if (count < 0 || rows < 1 || columns < 1) {
            throw new DataFileException(file, "bad header: " + count + " images of " + rows + "x" + columns);
        }
        checkLength(file, bytes, (long) count * rows * columns, count + " images of " + rows + "x" + columns);
        float[] pixels = new float[count * rows * columns];
        byte[] array = bytes.array();
        int start = bytes.position();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (array[start + i] & 0xFF) / 255f;
        }
        return Tensor.wrap(pixels, count, 1, rows, columns);
    }

    /** The labels as a float tensor (N) of class indices. */
    public static Tensor readLabels(Path file) throws IOException {
        return readLabels(file, readFile(file));
    }

    /** The labels in {@code content} (the raw or gzipped bytes of {@code file}, which names it in errors). */
    static Tensor readLabels(Path file, byte[] content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(decompress(file, content));
        checkMagic(file, bytes, LABELS_MAGIC, "labels");
        if (bytes.remaining() < 4) {
            throw new DataFileException(file, "truncated header: a labels file has an 8-byte header");
        }
        int count = bytes.getInt();
        if (count < 0) {
            throw new DataFileException(file, "bad header: " + count + " labels");
        }
        checkLength(file, bytes, count, count + " labels");
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes.get() & 0xFF;
        }
        return Tensor.wrap(labels, count);
    }

    private static void checkMagic(Path file, ByteBuffer bytes, int expected, String kind) throws DataFileException {
        if (bytes.remaining() < 4) {
            throw new DataFileException(file, "too short to be an IDX file (" + bytes.remaining() + " bytes)");
        }
        int magic = bytes.getInt();
        if (magic != expected) {
            throw new DataFileException(file, "not an IDX " + kind + " file: magic number " + magic
                    + ", expected " + expected);
        }
    }

    private static void checkLength(Path file, ByteBuffer bytes, long expected, String what) throws DataFileException {
        if (bytes.remaining() != expected) {
            String problem = bytes.remaining() < expected ? "truncated" : "has trailing bytes";
            throw new DataFileException(file, problem + ": the header announces " + what + ", " + expected
                    + " data bytes, but " + bytes.remaining() + " follow the header");
        }
    }

    private static byte[] readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "no such file");
        }
        return Files.readAllBytes(file);
    }

    /** {@code raw} decompressed if it starts with the gzip magic 1F 8B, else as it is. */
    private static byte[] decompress(Path file, byte[] raw) throws IOException {
        if (raw.length < 2 || (raw[0] & 0xFF) != 0x1F || (raw[1] & 0xFF) != 0x8B) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
            in.transferTo(out);
            return out.toByteArray();
        } catch (EOFException e) {
            throw new DataFileException(file, "truncated gzip stream (" + raw.length + " compressed bytes)", e);
        } catch (IOException e) {
            throw new DataFileException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }
}
