package kindling.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kindling.tensor.Shape;
import kindling.tensor.Tensor;

/**
 * The reading half of {@link SafeTensors}: parses the header with {@link JsonReader}, checks every
 * entry and the offsets against the file size, and only then reads the data, converting each dtype
 * to float ({@link Dtype}). Every failure is a {@link SafeTensorsException} naming the file.
 */
final class SafeTensorsReader {
    /** The Rust library refuses headers above 100 MB; so does Kindling, before allocating anything. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensorsReader() {
    }

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
    static Map<String, Tensor> load(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
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
    static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return readHeader(file, channel).metadata;
        }
    }

    /**
     * The file opened for reading. A directory opens on Linux and fails only at the first read with a
     * bare "Is a directory"; refuse it here, naming it, as any other file that cannot be opened.
     */
    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new SafeTensorsException(file, "is a directory, not a safetensors file");
        }
        if (!Files.exists(file)) {
            throw new SafeTensorsException(file, "no such file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafeTensorsException(file, "cannot open (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
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
            if (name.equals(SafeTensors.METADATA_KEY)) {
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
            throw new SafeTensorsException(file, SafeTensors.METADATA_KEY + " must be an object of strings, got " + kind(value));
        }
        for (Map.Entry<?, ?> item : map.entrySet()) {
            if (!(item.getValue() instanceof String text)) {
                throw new SafeTensorsException(file, SafeTensors.METADATA_KEY + " value for '" + item.getKey()
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
                    + "; Kindling reads F32, F64, F16, BF16, I32 and I64 (converted to float)");
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
