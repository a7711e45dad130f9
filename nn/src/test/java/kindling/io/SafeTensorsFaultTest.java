package kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading when something is wrong: names UTF-8 cannot hold, directories, leftovers of killed saves. */
class SafeTensorsFaultTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void namesWithAnUnpairedSurrogateAreRefusedBeforeTheGoodFileIsReplaced() throws IOException {
        Path out = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(2)), out);
        byte[] good = Files.readAllBytes(out);
        Map<String, Tensor> clashing = new LinkedHashMap<>();
        clashing.put("layer\uD800", Tensor.ones(2));        // both would be written as "layer?"
        clashing.put("layer\uDC00", Tensor.zeros(2));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.save(clashing, out));
        assertTrue(e.getMessage().startsWith(out + ": cannot save a tensor named 'layer\\uD800': it holds an unpaired "
                + "UTF-16 surrogate \\uD800 at index 5"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(out), "the good file must be untouched");
        assertEquals(List.of("model.safetensors"), names());
        assertThrows(SafeTensorsException.class,
                () -> SafeTensors.save(Map.of("w", Tensor.ones(1)), Map.of("note", "x\uDBFF"), out));
        assertThrows(SafeTensorsException.class,
                () -> SafeTensors.save(Map.of("w", Tensor.ones(1)), Map.of("\uDFFFkey", "x"), out));
        assertArrayEquals(good, Files.readAllBytes(out));
    }

    @Test
    void pairedSurrogatesAreOrdinaryCharactersAndRoundTrip() throws IOException {
        Path out = dir.resolve("emoji.safetensors");
        String name = "fire\uD83D\uDD25";                    // U+1F525, a surrogate pair
        SafeTensors.save(Map.of(name, Tensor.ones(2)), Map.of("by", "\uD83D\uDE00"), out);
        assertArrayEquals(new float[] {1, 1}, SafeTensors.load(out).get(name).toArray());
        assertEquals("\uD83D\uDE00", SafeTensors.metadata(out).get("by"));
        assertEquals(-1, SafeTensors.unpairedSurrogate(name));
        assertEquals(0, SafeTensors.unpairedSurrogate("\uDD25x"));
        assertEquals(1, SafeTensors.unpairedSurrogate("x\uD83D"));
    }

    @Test
    void theMessageEscapesEveryUnpairedSurrogateAndKeepsThePairs() {
        Path out = dir.resolve("escaped.safetensors");
        // A lone low, a pair, a high before a high, a high at the end.
        String name = "a\uDC00b\uD83D\uDE00c\uD800\uD801d\uD802";
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> SafeTensors.save(Map.of(name, Tensor.ones(1)), out));
        assertEquals(out + ": cannot save a tensor named 'a\\uDC00b\uD83D\uDE00c\\uD800\\uD801d\\uD802': it holds "
                + "an unpaired UTF-16 surrogate \\uDC00 at index 1, which UTF-8 cannot encode", e.getMessage());
    }

    @Test
    void loadingADirectoryOrAMissingFileNamesIt() {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(dir));
        assertEquals(dir + ": is a directory, not a safetensors file", e.getMessage());
        Path missing = dir.resolve("nope.safetensors");
        assertEquals(missing + ": no such file",
                assertThrows(SafeTensorsException.class, () -> SafeTensors.metadata(missing)).getMessage());
    }

    @Test
    void aSaveThatFailsNamesTheTargetNotTheTemporaryFile() {
        Path out = dir.resolve("no-such-dir").resolve("model.safetensors");
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> SafeTensors.save(Map.of("w", Tensor.ones(2)), out));
        assertTrue(e.getMessage().startsWith(out + ": could not save (NoSuchFileException: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the file was not changed"), e.getMessage());
    }

    @Test
    void theNextSaveRemovesTemporaryFilesThatKilledSavesLeftBehind() throws IOException {
        Path out = dir.resolve("model.safetensors");
        Files.write(dir.resolve(".model.safetensors.1f3a9c.tmp"), new byte[1000]);       // a save killed midway
        Files.write(dir.resolve(".model.safetensors.7fffffffffffffff.tmp"), new byte[10]);
        Files.writeString(dir.resolve(".other.safetensors.1f3a9c.tmp"), "another target's");
        Files.writeString(dir.resolve(".model.safetensors.notes.tmp"), "not a name we make");
        Files.writeString(dir.resolve("model.safetensors.1f3a9c.tmp"), "not hidden: not ours");
        SafeTensors.save(Map.of("w", Tensor.ones(2)), out);
        assertEquals(List.of(".model.safetensors.notes.tmp", ".other.safetensors.1f3a9c.tmp", "model.safetensors",
                "model.safetensors.1f3a9c.tmp"), names());
    }

    @Test
    void aTemporaryFileBeingWrittenIsNotTakenForAStaleOne() throws IOException {
        Path out = dir.resolve("model.safetensors");
        AtomicFiles.write(out, stream -> {
            stream.write(new byte[] {1, 2, 3});
            stream.flush();
            // A second save of the same target from this JVM starts while the first is still writing.
            AtomicFiles.removeStaleTemporaryFiles(out.toAbsolutePath());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
            }
        });
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        assertFalse(names().stream().anyMatch(n -> n.endsWith(".tmp")));
    }
}
