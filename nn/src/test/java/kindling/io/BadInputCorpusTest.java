package kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import kindling.data.DataFileException;
import kindling.data.Idx;
import kindling.nn.BatchNorm1d;
import kindling.nn.Linear;
import kindling.nn.Sequential;
import kindling.nn.StateDictException;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad inputs, each of which must give a clear error that names the file (or, for a
 * state dict in memory, the operation) and change nothing: no model weight, no optimizer state, no
 * file in the directory. Every case is built here from a few bytes, so the corpus reads as a list
 * of what can go wrong.
 */
class BadInputCorpusTest {
    @TempDir
    static Path dir;

    /** What is done with a bad file. */
    enum Read { SAFETENSORS, MODEL_FILE, IDX_IMAGES, IDX_LABELS }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    private static byte[] safetensors(String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(text.length).put(text).put(data).array();
    }

    private static byte[] lengthThen(long headerLength, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).put(rest).array();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    private static byte[] images(int magic, int count, int rows, int columns, int dataBytes) {
        return ByteBuffer.allocate(16 + dataBytes).putInt(magic).putInt(count).putInt(rows).putInt(columns).array();
    }

    private static byte[] labels(int count, int dataBytes) {
        return ByteBuffer.allocate(8 + dataBytes).putInt(2049).putInt(count).array();
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] corruptCrc(byte[] gz) {
        byte[] copy = gz.clone();
        copy[copy.length - 8] ^= 0x55;                            // the CRC-32 in the gzip trailer
        return copy;
    }

    private static Arguments file(String name, Read read, byte[] bytes, String expected) {
        return Arguments.of(name, read, bytes, expected);
    }

    static Stream<Arguments> badFiles() {
        byte[] sixteen = new byte[16];
        String w = entry("0.weight", "F32", "[2,2]", 0, 16);
        List<Arguments> cases = new ArrayList<>(List.of(
            file("empty", Read.SAFETENSORS, new byte[0], "too short for the 8-byte header length"),
            file("seven bytes", Read.SAFETENSORS, new byte[7], "too short for the 8-byte header length"),
            file("header longer than the file", Read.SAFETENSORS, lengthThen(1000, new byte[10]), "exceeds the 10 bytes"),
            file("header length above 2^63", Read.SAFETENSORS, lengthThen(-5, new byte[10]), "exceeds"),
            file("empty header", Read.SAFETENSORS, lengthThen(0, new byte[0]), ""),
            file("invalid UTF-8", Read.SAFETENSORS, lengthThen(4, new byte[] {'{', (byte) 0xC3, '}', ' '}), "UTF-8"),
            file("not JSON", Read.SAFETENSORS, safetensors("{\"a\":", new byte[0]), ""),
            file("a JSON array", Read.SAFETENSORS, safetensors("[1,2]", new byte[0]), "must be a JSON object"),
            file("duplicate key", Read.SAFETENSORS, safetensors("{" + w + "," + w + "}", sixteen), "duplicate"),
            file("no dtype", Read.SAFETENSORS, safetensors("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}",
                    new byte[4]), "'w'"),
            file("dtype BOOL", Read.SAFETENSORS, safetensors("{" + entry("mask", "BOOL", "[4]", 0, 4) + "}",
                    new byte[4]), "tensor 'mask' has dtype BOOL"),
            file("dtype not a string", Read.SAFETENSORS, safetensors("{\"w\":{\"dtype\":7,\"shape\":[1],"
                    + "\"data_offsets\":[0,4]}}", new byte[4]), "dtype must be a string"),
            file("negative size", Read.SAFETENSORS, safetensors("{" + entry("w", "F32", "[-1,4]", 0, 16) + "}",
                    sixteen), "'w'"),
            file("shape not an array", Read.SAFETENSORS, safetensors("{" + entry("w", "F32", "4", 0, 16) + "}",
                    sixteen), "shape must be an array"),
            file("offsets reversed", Read.SAFETENSORS, safetensors("{" + entry("w", "F32", "[4]", 16, 0) + "}",
                    sixteen), "'w'"),
            file("bytes do not match the shape", Read.SAFETENSORS, safetensors("{" + entry("w", "F32", "[3]", 0, 16)
                    + "}", sixteen), "'w'"),
            file("gap between tensors", Read.SAFETENSORS, safetensors("{" + entry("a", "F32", "[1]", 0, 4) + ","
                    + entry("b", "F32", "[2]", 8, 16) + "}", sixteen), "data_offsets"),
            file("overlapping tensors", Read.SAFETENSORS, safetensors("{" + entry("a", "F32", "[2]", 0, 8) + ","
                    + entry("b", "F32", "[2]", 4, 12) + "}", new byte[12]), "data_offsets"),
            file("truncated data", Read.SAFETENSORS, safetensors("{" + w + "}", new byte[10]), "truncated"),
            file("trailing bytes", Read.SAFETENSORS, safetensors("{" + w + "}", new byte[20]), "20 bytes of data"),
            file("metadata not an object", Read.SAFETENSORS, safetensors("{\"__metadata__\":[1]}", new byte[0]),
                    "__metadata__ must be an object"),
            file("metadata value not a string", Read.SAFETENSORS, safetensors("{\"__metadata__\":{\"a\":1}}",
                    new byte[0]), "__metadata__ value for 'a'"),
            file("deeply nested JSON", Read.SAFETENSORS, safetensors("[".repeat(100_000), new byte[0]), ""),
            file("model file with a wrong shape", Read.MODEL_FILE, safetensors("{" + entry("0.weight", "F32", "[2,2]",
                    0, 16) + "}", sixteen), "size mismatch for 0.weight"),
            file("model file with a missing key", Read.MODEL_FILE, safetensors("{}", new byte[0]), "Missing key(s)"),
            file("IDX: empty", Read.IDX_IMAGES, new byte[0], "too short to be an IDX file (0 bytes)"),
            file("IDX: labels read as images", Read.IDX_IMAGES, labels(2, 2), "magic number 2049, expected 2051"),
            file("IDX: images read as labels", Read.IDX_LABELS, images(2051, 1, 2, 2, 4), "magic number 2051"),
            file("IDX: truncated header", Read.IDX_IMAGES, Arrays.copyOf(images(2051, 1, 2, 2, 0), 10),
                    "truncated header"),
            file("IDX: negative count", Read.IDX_IMAGES, images(2051, -1, 28, 28, 0), "bad header: -1 images"),
            file("IDX: zero rows", Read.IDX_IMAGES, images(2051, 1, 0, 28, 0), "bad header"),
            file("IDX: truncated data", Read.IDX_IMAGES, images(2051, 2, 2, 2, 5), "truncated"),
            file("IDX: trailing bytes", Read.IDX_LABELS, labels(2, 3), "has trailing bytes"),
            file("IDX: gzip cut short", Read.IDX_LABELS, Arrays.copyOf(gzip(labels(100, 100)), 30),
                    "truncated gzip stream"),
            file("IDX: gzip with a bad CRC", Read.IDX_LABELS, corruptCrc(gzip(labels(3, 3))), "corrupt gzip data"),
            file("IDX: gzip with trailing bytes", Read.IDX_IMAGES, gzip(images(2051, 1, 28, 28, 784 + 5000)),
                    "has trailing bytes"),
            file("IDX: more than an array holds", Read.IDX_IMAGES, images(2051, 100_000, 200, 200, 0),
                    "more than one Java array holds")));
        return cases.stream();
    }

    private static Sequential model() {
        Generator.manualSeed(3);
        return new Sequential(new Linear(4, 3), new BatchNorm1d(3));
    }

    private static Map<String, float[]> values(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((key, value) -> out.put(key, value.toArray()));
        return out;
    }

    private static void assertSameValues(Map<String, float[]> before, Map<String, float[]> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((key, value) -> assertArrayEquals(value, after.get(key), key + " changed"));
    }

    private static List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsRefusedNamingItAndNothingChanges(String name, Read read, byte[] bytes, String expected)
            throws IOException {
        Path file = Files.write(dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")), bytes);
        List<String> filesBefore = listing();
        Sequential model = model();
        Map<String, float[]> weightsBefore = values(model.stateDict());
        Exception e = assertThrows(Exception.class, () -> {
            switch (read) {
                case SAFETENSORS -> SafeTensors.load(file);
                case MODEL_FILE -> model.load(file);
                case IDX_IMAGES -> Idx.readImages(file);
                case IDX_LABELS -> Idx.readLabels(file);
            }
        });
        String message = e.getMessage();
        switch (read) {
            case SAFETENSORS -> assertTrue(e instanceof SafeTensorsException && message.startsWith(file + ": "), message);
            case IDX_IMAGES, IDX_LABELS -> assertTrue(e instanceof DataFileException && message.startsWith(file + ": "),
                    message);
            case MODEL_FILE -> assertTrue(e instanceof StateDictException
                    && message.startsWith(file + ": Error(s) in loading state dict for Sequential"), message);
        }
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        assertSameValues(weightsBefore, values(model.stateDict()));
        assertEquals(filesBefore, listing());
        assertArrayEquals(bytes, Files.readAllBytes(file), "reading changed the file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kindling.io.BadInputCorpusTest#missingFiles")
    void aPathThatIsNoFileIsNamed(String name, Read read) throws IOException {
        Path path = name.equals("a directory") ? Files.createDirectories(dir.resolve("a-directory")) : dir.resolve("absent");
        IOException e = assertThrows(IOException.class, () -> {
            switch (read) {
                case SAFETENSORS, MODEL_FILE -> SafeTensors.load(path);
                case IDX_IMAGES -> Idx.readImages(path);
                case IDX_LABELS -> Idx.readLabels(path);
            }
        });
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
    }

    static Stream<Arguments> missingFiles() {
        return Stream.of(Arguments.of("a directory", Read.SAFETENSORS), Arguments.of("a missing file", Read.SAFETENSORS),
                Arguments.of("a directory", Read.IDX_IMAGES), Arguments.of("a missing file", Read.IDX_LABELS));
    }

    // ------------------------------------------------------------------------------------------
    // State dicts in memory: the model's and the optimizer's
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> badModelStates() {
        Map<String, Tensor> good = model().stateDict();
        return Stream.of(
            Arguments.of("missing key", without(good, "1.bias"), "Missing key(s) in state dict: \"1.bias\""),
            Arguments.of("unexpected key", with(good, "2.weight", Tensor.ones(1)), "Unexpected key(s) in state dict: "
                    + "\"2.weight\""),
            Arguments.of("wrong shape", with(good, "0.weight", Tensor.ones(4, 3)), "size mismatch for 0.weight"),
            Arguments.of("a scalar for a vector", with(good, "1.running_mean", Tensor.scalar(0)),
                    "size mismatch for 1.running_mean"),
            Arguments.of("null value", with(good, "0.bias", null), "value for 0.bias is null"));
    }

    private static Map<String, Tensor> with(Map<String, Tensor> state, String key, Tensor value) {
        Map<String, Tensor> copy = new LinkedHashMap<>(state);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Tensor> without(Map<String, Tensor> state, String key) {
        Map<String, Tensor> copy = new LinkedHashMap<>(state);
        copy.remove(key);
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModelStates")
    void aBadModelStateDictIsRefusedAndTheModelIsUnchanged(String name, Map<String, Tensor> state, String expected) {
        Sequential model = model();
        for (Tensor p : model.parameters()) {
            try (kindling.autograd.NoGrad ignored = kindling.autograd.NoGrad.enter()) {
                p.add_(1f);                                         // differs from the state's values
            }
        }
        Map<String, float[]> before = values(model.stateDict());
        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("Error(s) in loading state dict for Sequential"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertSameValues(before, values(model.stateDict()));
    }

    static Stream<Arguments> badOptimizerStates() {
        Sequential model = model();
        SGD trained = SGD.builder(model.parameters()).lr(0.1f).momentum(0.9f).build();
        for (Tensor p : model.parameters()) {
            p.setGrad(Tensor.onesLike(p));
        }
        trained.step();
        Map<String, Tensor> good = trained.stateDict();
        return Stream.of(
            Arguments.of("another momentum", with(good, "param_groups.0.momentum", Tensor.scalar(0.5f)),
                    "momentum=0.9"),
            Arguments.of("a parameter index out of range", with(good, "state.9.momentum_buffer", Tensor.ones(3)),
                    "unexpected key state.9.momentum_buffer"),
            Arguments.of("a state of the wrong shape", with(good, "state.0.momentum_buffer", Tensor.ones(4, 3)),
                    "size mismatch for state.0.momentum_buffer"),
            Arguments.of("an unknown state name", with(good, "state.0.exp_avg", Tensor.ones(3, 4)),
                    "unexpected key state.0.exp_avg"),
            Arguments.of("no lr", without(good, "param_groups.0.lr"), "missing key param_groups.0.lr"),
            Arguments.of("a negative lr", with(good, "param_groups.0.lr", Tensor.scalar(-1)), "expected lr >= 0"),
            Arguments.of("an lr that is not one number", with(good, "param_groups.0.lr", Tensor.ones(2)),
                    "should hold one number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptimizerStates")
    void aBadOptimizerStateDictIsRefusedAndTheOptimizerIsUnchanged(String name, Map<String, Tensor> state,
            String expected) {
        Sequential model = model();
        SGD sgd = SGD.builder(model.parameters()).lr(0.3f).momentum(0.9f).build();
        Map<String, float[]> before = values(sgd.stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("Error(s) in loading state_dict for SGD"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertSameValues(before, values(sgd.stateDict()));
    }
}
