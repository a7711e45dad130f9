package kindling.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 *
 * <p>The reader streams: it reads the header, then at most the announced number of data bytes plus
 * one, the byte that tells "exactly as announced" from "has trailing bytes". So memory is bounded by
 * what the header announces, whatever the file holds: a small gzip file that would inflate to
 * gigabytes is refused after reading one byte too many, not after inflating all of it.
 */
public final class Idx {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;
    /** The first allocation for the data of a gzipped file; it doubles up to the announced size as bytes arrive. */
    private static final int FIRST_CHUNK = 1 << 20;

    private Idx() {
    }

    /** The images as a float tensor (N, 1, rows, columns) scaled to [0, 1] (pixel / 255, as torchvision's ToTensor). */
    public static Tensor readImages(Path file) throws IOException {
        try (Reader reader = Reader.open(file)) {
            return readImages(reader);
        }
    }

    /** The images in {@code content} (the raw or gzipped bytes of {@code file}, which names it in errors). */
    static Tensor readImages(Path file, byte[] content) throws IOException {
        try (Reader reader = new Reader(file, new ByteArrayInputStream(content), content.length)) {
            return readImages(reader);
        }
    }

    private static Tensor readImages(Reader reader) throws IOException {
        reader.checkMagic(IMAGES_MAGIC, "images");
        String truncated = "truncated header: an images file has a 16-byte header";
        int count = reader.headerInt(truncated);
        int rows = reader.headerInt(truncated);
        int columns = reader.headerInt(truncated);
        if (count < 0 || rows < 1 || columns < 1) {
            throw new DataFileException(reader.file, "bad header: " + count + " images of " + rows + "x" + columns);
        }
        byte[] data = reader.data((long) count * rows * columns, count + " images of " + rows + "x" + columns);
        float[] pixels = new float[data.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (data[i] & 0xFF) / 255f;
        }
        return Tensor.wrap(pixels, count, 1, rows, columns);
    }

    /** The labels as a float tensor (N) of class indices. */
    public static Tensor readLabels(Path file) throws IOException {
        try (Reader reader = Reader.open(file)) {
            return readLabels(reader);
        }
    }

    /** The labels in {@code content} (the raw or gzipped bytes of {@code file}, which names it in errors). */
    static Tensor readLabels(Path file, byte[] content) throws IOException {
        try (Reader reader = new Reader(file, new ByteArrayInputStream(content), content.length)) {
            return readLabels(reader);
        }
    }

    private static Tensor readLabels(Reader reader) throws IOException {
        reader.checkMagic(LABELS_MAGIC, "labels");
        int count = reader.headerInt("truncated header: a labels file has an 8-byte header");
        if (count < 0) {
            throw new DataFileException(reader.file, "bad header: " + count + " labels");
        }
        byte[] data = reader.data(count, count + " labels");
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = data[i] & 0xFF;
        }
        return Tensor.wrap(labels, count);
    }

    /** The bytes of one file, decompressed on the fly if gzipped, read only as far as the header asks. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final long rawSize;          // bytes of the file as stored (compressed, if gzipped)
        private final boolean gzip;
        private final InputStream in;
        private long headerBytes;            // read so far by checkMagic and headerInt

        Reader(Path file, InputStream raw, long rawSize) throws IOException {
            this.file = file;
            this.rawSize = rawSize;
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            boolean gzipMagic = buffered.read() == 0x1F && buffered.read() == 0x8B;
            buffered.reset();
            this.gzip = gzipMagic;
            this.in = gzipMagic ? gzipStream(buffered) : buffered;
        }

        static Reader open(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new DataFileException(file, Files.isDirectory(file) ? "is a directory, not an IDX file" : "no such file");
            }
            return new Reader(file, Files.newInputStream(file), Files.size(file));
        }

        private GZIPInputStream gzipStream(InputStream raw) throws IOException {
            try {
                return new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                throw gzipProblem(e);
            }
        }

        private DataFileException gzipProblem(IOException e) {
            if (e instanceof EOFException) {
                return new DataFileException(file, "truncated gzip stream (" + rawSize + " compressed bytes)", e);
            }
            return new DataFileException(file, "corrupt gzip data: " + e.getMessage(), e);
        }

        /** Up to {@code length} bytes into {@code into} from {@code offset}; fewer only at the end of the data. */
        private int readUpTo(byte[] into, int offset, int length) throws DataFileException {
            try {
                return in.readNBytes(into, offset, length);
            } catch (IOException e) {
                throw gzip ? gzipProblem(e) : new DataFileException(file, "cannot read: " + e.getMessage(), e);
            }
        }

        void checkMagic(int expected, String kind) throws DataFileException {
            byte[] four = new byte[4];
            int got = readUpTo(four, 0, 4);
            if (got < 4) {
                throw new DataFileException(file, "too short to be an IDX file (" + got + " bytes)");
            }
            headerBytes += 4;
            int magic = bigEndian(four);
            if (magic != expected) {
                throw new DataFileException(file, "not an IDX " + kind + " file: magic number " + magic
                        + ", expected " + expected);
            }
        }

        int headerInt(String whenShort) throws DataFileException {
            byte[] four = new byte[4];
            if (readUpTo(four, 0, 4) < 4) {
                throw new DataFileException(file, whenShort);
            }
            headerBytes += 4;
            return bigEndian(four);
        }

        /**
         * Exactly {@code expected} data bytes, then a check that nothing follows. A plain file's length
         * is known up front; a gzipped file is inflated only up to the announced length plus one byte.
         */
        byte[] data(long expected, String what) throws DataFileException {
            if (expected > Integer.MAX_VALUE - 8) {
                throw new DataFileException(file, "the header announces " + what + ", " + expected
                        + " data bytes, more than one Java array holds (2^31 - 9)");
            }
            if (!gzip && rawSize - headerBytes != expected) {
                throw lengthProblem(expected, what, Long.toString(rawSize - headerBytes), rawSize - headerBytes < expected);
            }
            byte[] data = new byte[(int) Math.min(expected, gzip ? FIRST_CHUNK : expected)];
            int filled = 0;
            while (true) {
                filled += readUpTo(data, filled, data.length - filled);
                if (filled < data.length || data.length == expected) {
                    break;                                   // the data ended, or all announced bytes are in
                }
                data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
            }
            if (filled < expected) {
                throw lengthProblem(expected, what, Integer.toString(filled), true);
            }
            if (readUpTo(new byte[1], 0, 1) > 0) {
                throw lengthProblem(expected, what, "more than " + expected, false);
            }
            return data;
        }

        private DataFileException lengthProblem(long expected, String what, String followed, boolean truncated) {
            return new DataFileException(file, (truncated ? "truncated" : "has trailing bytes") + ": the header announces "
                    + what + ", " + expected + " data bytes, but " + followed + " follow the header");
        }

        private static int bigEndian(byte[] four) {
            return (four[0] & 0xFF) << 24 | (four[1] & 0xFF) << 16 | (four[2] & 0xFF) << 8 | (four[3] & 0xFF);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
