package kindling.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * Reads and writes the <a href="https://huggingface.co/docs/safetensors">safetensors</a> format, the
 * checkpoint format of Hugging Face and of {@code safetensors.torch.save_file(model.state_dict(), path)}.
 * A file is (see {@code docs/saving.md} for the byte-level picture):
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   UTF-8 JSON: {"__metadata__": {"k": "v"},
 *                          "0.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}, ...}
 *             padded with spaces to a multiple of 8
 *   the rest  the tensors' raw little-endian bytes, row-major, back to back;
 *             data_offsets [begin, end) count from the first byte after the header
 * </pre>
 * Unlike a pickle, reading a file never runs code: the header is parsed by {@link JsonReader}, which
 * builds only maps, lists, strings and integers.
 *
 * <p><b>Writing</b> produces the same bytes as the Rust {@code safetensors} library: compact JSON,
 * {@code __metadata__} first, tensors sorted by name (all are F32, so the library's first sort key,
 * dtype alignment, ties), data in that order. The file is written to a temporary file in the same
 * directory, forced to disk, then renamed over the target in one atomic step, so a crash leaves
 * either the old file or the new one, never half of one.
 *
 * <p><b>Reading</b> accepts F32, and converts F64, F16 and BF16 to float; any other dtype is
 * rejected naming the tensor. Everything is checked before a tensor is built: header length against
 * the file size, UTF-8, JSON syntax, each entry's fields, offsets contiguous from 0 to the end of the
 * file, and byte length = numel × dtype size. Each failure throws {@link SafeTensorsException}
 * naming the file and the problem.
 */
public final class SafeTensors {
    /** The Rust library refuses headers above 100 MB; so does Kindling, before allocating anything. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    /** Writes {@code tensors} to {@code file} as F32, atomically. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} as F32 and the free-form string {@code metadata} (omitted when empty) to
     * {@code file}, atomically: an existing file is replaced only once the new one is complete.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        List<String> names = sortedNames(tensors, file);
        long[] offsets = new long[names.size() + 1];
        for (int i = 0; i < names.size(); i++) {
            offsets[i + 1] = offsets[i] + 4L * tensors.get(names.get(i)).numel();
        }
        byte[] header = header(tensors, names, offsets, metadata, file);
        writeAtomically(file, out -> {
            out.write(littleEndianLong(header.length));
            out.write(header);
            for (String name : names) {
                writeFloats(tensors.get(name).toArray(), out);
            }
        });
    }

    /** Tensor names in the order the Rust library writes them: by name, compared as UTF-8 bytes. */
    private static List<String> sortedNames(Map<String, Tensor> tensors, Path file) throws SafeTensorsException {
        List<String> names = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new SafeTensorsException(file, "cannot save a tensor named " + (name == null ? "null"
                        : "'" + name + "'") + "; names must be non-empty and not " + METADATA_KEY);
            }
            if (entry.getValue() == null) {
                throw new SafeTensorsException(file, "cannot save tensor '" + name + "': it is null");
            }
            names.add(name);
        }
        names.sort(Comparator.comparing((String name) -> name.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return names;
    }

    /** The JSON header as serde_json writes it (no spaces), padded with spaces to a multiple of 8. */
    private static byte[] header(Map<String, Tensor> tensors, List<String> names, long[] offsets,
            Map<String, String> metadata, Path file) throws SafeTensorsException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                if (entry.getValue() == null) {
                    throw new SafeTensorsException(file, "metadata value for '" + entry.getKey() + "' is null");
                }
                json.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
                first = false;
            }
            json.append('}');
        }
        for (int i = 0; i < names.size(); i++) {
            int[] shape = tensors.get(names.get(i)).shape();
            json.append(json.length() == 1 ? "" : ",").append(quote(names.get(i)))
                    .append(":{\"dtype\":\"F32\",\"shape\":[");
            for (int d = 0; d < shape.length; d++) {
                json.append(d == 0 ? "" : ",").append(shape[d]);
            }
            json.append("],\"data_offsets\":[").append(offsets[i]).append(',').append(offsets[i + 1]).append("]}");
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        return padded;
    }

    /** A JSON string literal, escaped as serde_json does: quote, backslash and control characters. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static byte[] littleEndianLong(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static void writeFloats(float[] values, OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(4L, 4L * values.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = bytes.capacity() / 4;
        for (int from = 0; from < values.length; from += perChunk) {
            int count = Math.min(perChunk, values.length - from);
            bytes.clear();
            bytes.asFloatBuffer().put(values, from, count);
            out.write(bytes.array(), 0, count * 4);
        }
    }

    /** What writes a file's bytes; {@link #writeAtomically} gives it the stream of a temporary file. */
    interface ByteWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Runs {@code writer} on a new temporary file next to {@code target} (same directory, so the
     * rename cannot cross file systems), forces it to disk, and renames it over {@code target}. If
     * anything fails, the temporary file is deleted and {@code target} is untouched.
     */
    static void writeAtomically(Path target, ByteWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (a few network mounts) cannot rename atomically; replace as well as they can.
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A new empty hidden file {@code .<name>.<random>.tmp} beside {@code target}, with default permissions. */
    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------------------------------

    /** One tensor's entry in the header. */
    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {
    }

    /** A parsed and validated header: the entries in data order, the metadata, where the data starts. */
    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /**
     * Reads every tensor of {@code file} as a float tensor, in the order of their data in the file.
     * The whole file is validated before any tensor is built.
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry entry : header.entries) {
                float[] values = new float[Shape.numel(entry.shape)];
                readValues(file, channel, header.dataStart + entry.begin, entry.dtype, values);
                out.put(entry.name, Tensor.wrap(values, entry.shape));
            }
            return out;
        }
    }

    /** The {@code __metadata__} strings of {@code file} (empty when it has none), after the same checks as {@link #load}. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel).metadata;
        }
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsException(file, "file is " + fileSize
                    + " bytes, too short for the 8-byte header length (truncated or not a safetensors file)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        // An unsigned value above 2^63 reads as negative here: too long either way.
        if (headerLength < 0 || headerLength > fileSize - 8) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the " + (fileSize - 8) + " bytes after the length field"
                    + " (truncated or not a safetensors file)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "header length " + headerLength + " is above the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes, 8);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "header is not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw new SafeTensorsException(file, "header must be a JSON object, got " + kind(parsed));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> item : top.entrySet()) {
            String name = (String) item.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, item.getValue(), metadata);
            } else {
                entries.add(entry(file, name, item.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long dataStart = 8 + headerLength;
        checkOffsets(file, entries, fileSize - dataStart);
        return new Header(entries, metadata, dataStart);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> metadata) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be an object of strings, got " + kind(value));
        }
        for (Map.Entry<?, ?> item : map.entrySet()) {
            if (!(item.getValue() instanceof String text)) {
                throw new SafeTensorsException(file, METADATA_KEY + " value for '" + item.getKey()
                        + "' must be a string, got " + kind(item.getValue()));
            }
            metadata.put((String) item.getKey(), text);
        }
    }

    /** Checks one tensor's {dtype, shape, data_offsets}; other fields are ignored, as the Rust reader does. */
    private static Entry entry(Path file, String name, Object value) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafeTensorsException(file, "tensor '" + name + "': expected an object with dtype, shape "
                    + "and data_offsets, got " + kind(value));
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new SafeTensorsException(file, "tensor '" + name + "': dtype must be a string, got "
                    + kind(info.get("dtype")));
        }
        Dtype dtype = Dtype.byName(dtypeName);
        if (dtype == null) {
            throw new SafeTensorsException(file, "tensor '" + name + "' has dtype " + dtypeName
                    + "; Kindling reads F32, F64, F16 and BF16 (converted to float)");
        }
        long[] sizes = integers(file, name, "shape", info.get("shape"));
        int[] shape = new int[sizes.length];
        long numel = 1;
        for (int d = 0; d < sizes.length; d++) {
            numel *= sizes[d];
            if (sizes[d] < 0 || sizes[d] > Integer.MAX_VALUE || numel > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, "tensor '" + name + "': shape " + Arrays.toString(sizes)
                        + " is negative or has more elements than a Java array can hold");
            }
            shape[d] = (int) sizes[d];
        }
        long[] offsets = integers(file, name, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new SafeTensorsException(file, "tensor '" + name + "': data_offsets " + Arrays.toString(offsets)
                    + " must be [begin, end] with 0 <= begin <= end");
        }
        long expectedBytes = numel * dtype.bytes;
        if (offsets[1] - offsets[0] != expectedBytes) {
            throw new SafeTensorsException(file, "tensor '" + name + "': shape " + Shape.format(shape) + " of "
                    + dtypeName + " needs " + expectedBytes + " bytes but data_offsets " + Arrays.toString(offsets)
                    + " span " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] integers(Path file, String name, String field, Object value) throws SafeTensorsException {
        if (!(value instanceof List<?> list)) {
            throw new SafeTensorsException(file, "tensor '" + name + "': " + field + " must be an array of integers, got "
                    + kind(value));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long number)) {
                throw new SafeTensorsException(file, "tensor '" + name + "': " + field + " must be an array of "
                        + "integers, but element " + i + " is " + kind(list.get(i)));
            }
            out[i] = number;
        }
        return out;
    }

    /** The tensors, sorted by begin, must tile the data section exactly: no gap, no overlap, no excess. */
    private static void checkOffsets(Path file, List<Entry> entries, long dataBytes) throws SafeTensorsException {
        long expectedBegin = 0;
        for (Entry entry : entries) {
            if (entry.begin != expectedBegin) {
                throw new SafeTensorsException(file, "tensor '" + entry.name + "': data_offsets [" + entry.begin
                        + ", " + entry.end + "] should begin at " + expectedBegin
                        + " (tensors must be contiguous, without gaps or overlaps)");
            }
            expectedBegin = entry.end;
        }
        if (expectedBegin > dataBytes) {
            throw new SafeTensorsException(file, "file is truncated: the header's tensors need " + expectedBegin
                    + " bytes of data but only " + dataBytes + " follow the header");
        }
        if (expectedBegin < dataBytes) {
            throw new SafeTensorsException(file, dataBytes + " bytes of data follow the header but its tensors "
                    + "cover only " + expectedBegin);
        }
    }

    private static void readValues(Path file, FileChannel channel, long position, Dtype dtype, float[] values)
            throws IOException {
        int perChunk = CHUNK_BYTES / dtype.bytes;
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8L, (long) dtype.bytes * values.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += perChunk) {
            int count = Math.min(perChunk, values.length - from);
            bytes.clear().limit(count * dtype.bytes);
            readFully(file, channel, bytes, position + (long) from * dtype.bytes);
            bytes.flip();
            dtype.decode(bytes, values, from, count);
        }
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafeTensorsException(file, "file ended at byte " + at + " while reading");
            }
            at += read;
        }
    }

    private static String kind(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String text) {
            return "the string \"" + text + "\"";
        }
        return value == null ? "nothing" : "the integer " + value;
    }
}
