package kindling.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * directory, forced to disk, then renamed over the target in one atomic step ({@link AtomicFiles}), so a crash leaves
 * either the old file or the new one, never half of one.
 *
 * <p><b>Reading</b> ({@link SafeTensorsReader}) accepts F32, and converts F64, F16, BF16, I32 and I64 to float (so
 * PyTorch's I64 {@code num_batches_tracked} loads); any other dtype (U8, BOOL, ...) is
 * rejected naming the tensor. Everything is checked before a tensor is built: header length against
 * the file size, UTF-8, JSON syntax, each entry's fields, offsets contiguous from 0 to the end of the
 * file, and byte length = numel × dtype size. Each failure throws {@link SafeTensorsException}
 * naming the file and the problem.
 */
public final class SafeTensors {
    static final String METADATA_KEY = "__metadata__";
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
        try {
            AtomicFiles.write(file, out -> {
                out.write(littleEndianLong(header.length));
                out.write(header);
                for (String name : names) {
                    writeFloats(tensors.get(name).toArray(), out);
                }
            });
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            // The system's message ("File too large", "No space left on device") names no file, or names
            // the temporary one; say which save failed, and that the old file is as it was.
            throw new SafeTensorsException(file, "could not save (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the file was not changed", e);
        }
    }

    /** The index of the first UTF-16 surrogate in {@code text} without its partner, or -1. */
    static int unpairedSurrogate(String text) {
        return unpairedSurrogate(text, 0);
    }

    /**
     * The index of the first unpaired surrogate at or after {@code from}, or -1. The search may go on
     * from just past an unpaired one: the character after it cannot be its partner.
     */
    private static int unpairedSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Refuses a name or metadata string UTF-8 cannot encode: Java would write '?' for an unpaired
     * surrogate, so two such names would collide and the file could not be read back.
     */
    private static void checkEncodable(Path file, String what, String text) throws SafeTensorsException {
        int at = unpairedSurrogate(text);
        if (at >= 0) {
            throw new SafeTensorsException(file, "cannot save " + what + " '" + escapeSurrogates(text, at)
                    + "': it holds an unpaired UTF-16 surrogate " + escape(text.charAt(at))
                    + " at index " + at + ", which UTF-8 cannot encode");
        }
    }

    /**
     * {@code text} with each unpaired surrogate written as a Java escape (backslash, u, four hex digits),
     * so the message prints; {@code first} is the first one's index, where the search goes on from.
     */
    private static String escapeSurrogates(String text, int first) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int at = first; at >= 0; at = unpairedSurrogate(text, at + 1)) {
            out.append(text, copied, at).append(escape(text.charAt(at)));
            copied = at + 1;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** {@code c} as a Java escape, e.g. backslash u D800. */
    private static String escape(char c) {
        return String.format("\\u%04X", (int) c);
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
            checkEncodable(file, "a tensor named", name);
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
                checkEncodable(file, "the metadata key", entry.getKey());
                checkEncodable(file, "the metadata value for '" + entry.getKey() + "',", entry.getValue());
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

    // ------------------------------------------------------------------------------------------
    // Reading (SafeTensorsReader)
    // ------------------------------------------------------------------------------------------

    /**
     * Reads every tensor of {@code file} as a float tensor, in the order of their data in the file.
     * The whole header is validated before any tensor is built.
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return SafeTensorsReader.load(file);
    }

    /** The {@code __metadata__} strings of {@code file} (empty when it has none), after the same checks as {@link #load}. */
    public static Map<String, String> metadata(Path file) throws IOException {
        return SafeTensorsReader.metadata(file);
    }
}
