package kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file: the length field, the header text as given (not padded), then {@code data}. */
    private Path file(String name, String header, byte[] data) throws IOException {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(text.length).put(text).put(data);
        return Files.write(dir.resolve(name), bytes.array());
    }

    private static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    private SafeTensorsException loadFails(Path file) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e;
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing: the bytes of the Rust safetensors library's own serialization tests
    // ------------------------------------------------------------------------------------------

    @Test
    void writesTheSameBytesAsTheRustLibrary() throws IOException {
        Path out = dir.resolve("attn.safetensors");
        SafeTensors.save(Map.of("attn.0", Tensor.arange(6).reshape(1, 2, 3)), out);
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, header.length());
        ByteBuffer expected = ByteBuffer.allocate(8 + 64 + 24).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(64).put(header.getBytes(StandardCharsets.US_ASCII)).put(floats(0, 1, 2, 3, 4, 5));
        assertArrayEquals(expected.array(), Files.readAllBytes(out));
    }

    @Test
    void padsTheHeaderWithSpacesToAMultipleOfEight() throws IOException {
        Path empty = dir.resolve("empty.safetensors");
        SafeTensors.save(Map.of(), empty);
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '},
                Files.readAllBytes(empty));
        Path withMetadata = dir.resolve("meta.safetensors");
        SafeTensors.save(Map.of(), Map.of("framework", "pt"), withMetadata);
        byte[] bytes = Files.readAllBytes(withMetadata);
        assertEquals(40, bytes[0]);
        assertEquals("{\"__metadata__\":{\"framework\":\"pt\"}}     ",
                new String(bytes, 8, 40, StandardCharsets.US_ASCII));
        assertEquals(Map.of("framework", "pt"), SafeTensors.metadata(withMetadata));
        assertEquals(Map.of(), SafeTensors.load(withMetadata));
    }

    @Test
    void sortsTensorsByNameAsUtf8Bytes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.ones(1));
        tensors.put("2.weight", Tensor.ones(2));
        tensors.put("10.weight", Tensor.ones(3));
        tensors.put("a", Tensor.ones(1));
        Path out = dir.resolve("sorted.safetensors");
        SafeTensors.save(tensors, out);
        assertEquals(List.of("10.weight", "2.weight", "a", "b"), List.copyOf(SafeTensors.load(out).keySet()));
        String header = new String(Files.readAllBytes(out), 8, 136, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{\"10.weight\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}"), header);
    }

    @Test
    void roundTripsValuesShapesNamesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("features.0.weight", Tensor.randn(3, 4));
        tensors.put("transposed", Tensor.randn(3, 2).t());           // not contiguous: written row-major
        tensors.put("scalar", Tensor.scalar(-2.5f));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("odd \"name\"\n\u00e9\u0001", Tensor.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f}));
        Map<String, String> metadata = Map.of("format", "pt", "note", "line\nbreak \"quoted\"");
        Path out = dir.resolve("round.safetensors");
        SafeTensors.save(tensors, metadata, out);
        Map<String, Tensor> loaded = SafeTensors.load(out);
        assertEquals(tensors.keySet(), loaded.keySet());
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor back = loaded.get(entry.getKey());
            assertArrayEquals(entry.getValue().shape(), back.shape(), entry.getKey());
            assertArrayEquals(entry.getValue().toArray(), back.toArray(), entry.getKey());
        }
        assertEquals(Float.floatToRawIntBits(-0f),
                Float.floatToRawIntBits(loaded.get("odd \"name\"\n\u00e9\u0001").get(2)));
        assertEquals(metadata, SafeTensors.metadata(out));
        String header = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"odd \\\"name\\\"\\n\u00e9\\u0001\""), header);
        assertEquals(0, (Files.size(out) - 8 - ByteBuffer.wrap(Files.readAllBytes(out), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong()) % 4);
    }

    @Test
    void refusesBadNamesAndNullTensors() {
        Path out = dir.resolve("bad.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.ones(1));
        assertTrue(assertThrows(SafeTensorsException.class, () -> SafeTensors.save(reserved, out))
                .getMessage().contains("'__metadata__'"));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        assertTrue(assertThrows(SafeTensorsException.class, () -> SafeTensors.save(nullTensor, out))
                .getMessage().endsWith("cannot save tensor 'w': it is null"));
        assertTrue(Files.notExists(out));
    }

    // ------------------------------------------------------------------------------------------
    // Atomic writes
    // ------------------------------------------------------------------------------------------

    @Test
    void successfulSaveReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path out = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(2)), out);
        SafeTensors.save(Map.of("w", Tensor.full(3f, 2)), out);
        assertArrayEquals(new float[] {3f, 3f}, SafeTensors.load(out).get("w").toArray());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void writeFailingMidwayKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
        Path out = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(2)), out);
        byte[] before = Files.readAllBytes(out);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(out, stream -> {
            stream.write(new byte[100_000]);                       // half a file reaches the disk...
            throw new IOException("disk full");                   // ...then the write fails
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void failedRenameRemovesTheTemporaryFile() throws IOException {
        Path occupied = Files.createDirectory(dir.resolve("model.safetensors"));
        Files.writeString(occupied.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> SafeTensors.save(Map.of("w", Tensor.ones(2)), occupied));
        assertEquals("x", Files.readString(occupied.resolve("keep.txt")));
        assertEquals(List.of(), leftovers());
    }

    // ------------------------------------------------------------------------------------------
    // Reading: every corruption names the file and the problem
    // ------------------------------------------------------------------------------------------

    private static final String ONE_TENSOR = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";

    @Test
    void readsAHandWrittenFileWithWhitespaceAndExtraFields() throws IOException {
        Path f = file("hand.safetensors", "{ \"__metadata__\" : { } ,\n \"w\": {\"shape\": [2, 2], \"dtype\": \"F32\", "
                + "\"data_offsets\": [0, 16], \"note\": [\"ignored\"]} }  ", floats(1, 2, 3, 4));
        Tensor w = SafeTensors.load(f).get("w");
        assertArrayEquals(new int[] {2, 2}, w.shape());
        assertEquals(3f, w.get(1, 0));
    }

    @Test
    void rejectsAFileTooShortForTheLength() throws IOException {
        Path f = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
        assertTrue(loadFails(f).getMessage().contains("file is 3 bytes, too short"));
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        Path f = dir.resolve("length.safetensors");
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertTrue(loadFails(f).getMessage().contains("header length 1000 exceeds the 4 bytes after the length field"));
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertTrue(loadFails(f).getMessage().contains("header length 18446744073709551615 exceeds"));
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(4, 4)), f);
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(whole, whole.length - 10));
        assertTrue(loadFails(f).getMessage().endsWith("file is truncated: the header's tensors need 64 bytes of "
                + "data but only 54 follow the header"));
        Files.write(f, Arrays.copyOf(whole, 20));
        assertTrue(loadFails(f).getMessage().contains("exceeds"));
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path f = file("trailing.safetensors", ONE_TENSOR, floats(1, 2, 3, 4, 5));
        assertTrue(loadFails(f).getMessage().contains("20 bytes of data follow the header but its tensors cover only 16"));
    }

    @Test
    void rejectsInvalidUtf8AndMalformedJson() throws IOException {
        Path f = dir.resolve("utf8.safetensors");
        Files.write(f, new byte[] {2, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC3, (byte) 0x28});
        assertTrue(loadFails(f).getMessage().contains("not valid UTF-8"));
        Path json = file("json.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}", floats(1, 2, 3, 4));
        assertTrue(loadFails(json).getMessage().contains("malformed JSON header at character"));
        Path array = file("array.safetensors", "[1, 2]", new byte[0]);
        assertTrue(loadFails(array).getMessage().endsWith("header must be a JSON object, got an array"));
    }

    @Test
    void rejectsAnUnsupportedDtypeNamingTheTensor() throws IOException {
        Path f = file("bool.safetensors", "{\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],"
                + "\"data_offsets\":[0,2]}}", new byte[2]);
        assertTrue(loadFails(f).getMessage().endsWith("tensor 'mask' has dtype BOOL; Kindling reads "
                + "F32, F64, F16, BF16, I32 and I64 (converted to float)"));
    }

    @Test
    void readsIntegersAsFloats() throws IOException {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.putLong(7).putInt(-3).putInt(1 << 20);
        Path f = file("ints.safetensors", "{\"count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"ids\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]}}", data.array());
        Map<String, Tensor> loaded = SafeTensors.load(f);
        assertEquals(7f, loaded.get("count").item());
        assertArrayEquals(new float[] {-3f, 1 << 20}, loaded.get("ids").toArray());
    }

    @Test
    void rejectsShapesThatDoNotMatchTheByteLength() throws IOException {
        Path f = file("shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}",
                floats(1, 2, 3, 4));
        assertTrue(loadFails(f).getMessage().endsWith("tensor 'w': shape (2, 3) of F32 needs 24 bytes but "
                + "data_offsets [0, 16] span 16"));
        Path negative = file("neg.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}",
                new byte[0]);
        assertTrue(loadFails(negative).getMessage().contains("shape [-1] is negative"));
    }

    @Test
    void rejectsGapsAndOverlapsBetweenTensors() throws IOException {
        Path gap = file("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3));
        assertTrue(loadFails(gap).getMessage().contains("tensor 'b': data_offsets [8, 12] should begin at 4"));
        Path overlap = file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2));
        assertTrue(loadFails(overlap).getMessage().contains("should begin at"));
        Path backwards = file("backwards.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[4,0]}}", floats(1));
        assertTrue(loadFails(backwards).getMessage().contains("must be [begin, end] with 0 <= begin <= end"));
    }

    @Test
    void rejectsMissingOrMistypedFields() throws IOException {
        Path noDtype = file("nodtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));
        assertTrue(loadFails(noDtype).getMessage().endsWith("tensor 'w': dtype must be a string, got nothing"));
        Path stringShape = file("strshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],"
                + "\"data_offsets\":[0,4]}}", floats(1));
        assertTrue(loadFails(stringShape).getMessage().contains("element 0 is the string \"1\""));
        Path notObject = file("notobj.safetensors", "{\"w\":3}", new byte[0]);
        assertTrue(loadFails(notObject).getMessage().contains("tensor 'w': expected an object"));
        Path badMeta = file("meta.safetensors", "{\"__metadata__\":{\"epoch\":3}}", new byte[0]);
        assertTrue(loadFails(badMeta).getMessage().contains("__metadata__ value for 'epoch' must be a string, "
                + "got the integer 3"));
    }

    @Test
    void decodesHalfPrecisionExactly() {
        assertEquals(1f, Dtype.halfToFloat(0x3C00));
        assertEquals(-2f, Dtype.halfToFloat(0xC000));
        assertEquals(65504f, Dtype.halfToFloat(0x7BFF));
        assertEquals(0x1p-24f, Dtype.halfToFloat(0x0001));
        assertEquals(0x1.ff8p-15f, Dtype.halfToFloat(0x03FF));
        assertEquals(Float.POSITIVE_INFINITY, Dtype.halfToFloat(0x7C00));
        assertTrue(Float.isNaN(Dtype.halfToFloat(0x7E00)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Dtype.halfToFloat(0x8000)));
    }
}
