package kindling.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kindling.io.SafeTensors;
import kindling.nn.Sequential;
import kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that only a separate process can produce: a training run killed with SIGKILL (no shutdown
 * hook, no finally block runs) in the middle of its checkpoint saves, and a save that the operating
 * system stops with "File too large".
 */
class CheckpointKillTest {
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CheckpointChild.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aRunKilledDuringCheckpointSavesAlwaysLeavesALoadableCheckpoint() throws Exception {
        Path run = dir.resolve("run");
        Path checkpoint = run.resolve("checkpoint.safetensors");
        Files.createDirectories(run);
        Random random = new Random(7);
        int killedMidSave = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            List<Path> stale = temporaryFiles(run);
            Process child = new ProcessBuilder(javaCommand("train", run.toString())).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder said = new StringBuilder();
            for (String line; (line = out.readLine()) != null && !line.equals("resumed"); ) {
                said.append(line).append('\n');                 // notes on stderr, e.g. which GEMM it uses
            }
            assertTrue(child.isAlive(), "the child could not resume after kill " + kill + ":\n" + said);
            // Kill as soon as a save of this child is under way (a new temporary file has appeared), a few ms into it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(checkpoint) && System.nanoTime() < deadline) {
                Thread.sleep(1);                                // the first run: its first checkpoint is complete
            }
            while (stale.containsAll(temporaryFiles(run)) && System.nanoTime() < deadline) {
                Thread.sleep(1);                                // not a busy wait: the child needs the CPU
            }
            Thread.sleep(random.nextInt(4));
            child.destroyForcibly();                            // SIGKILL on Unix
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            if (!temporaryFiles(run).isEmpty()) {
                killedMidSave++;
            }
            Map<String, Tensor> state = SafeTensors.load(checkpoint);       // whole, whatever the moment of the kill
            assertTrue(state.containsKey("model.0.weight"));
        }
        // The next save of the same checkpoint removes what the killed saves left behind.
        Sequential model = CheckpointChild.model();
        Trainer trainer = CheckpointChild.trainer(model, run, Integer.MAX_VALUE);
        int done = trainer.resume();
        assertTrue(done >= 1);
        Trainer oneMore = CheckpointChild.trainer(model, run, done + 1);
        assertEquals(done, oneMore.resume());
        oneMore.fit(CheckpointChild.data(), null);
        assertEquals(List.of(), temporaryFiles(run));
        assertEquals(Integer.toString(done + 1), SafeTensors.metadata(checkpoint).get("epoch"));
        System.out.println("CheckpointKillTest: " + KILLS + " kills, " + killedMidSave + " of them during a save");
    }

    @Test
    void aSaveStoppedByTheFileSizeLimitNamesTheFileAndKeepsTheOldOne() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell for ulimit");
        Path file = dir.resolve("small").resolve("model.safetensors");
        // ulimit -f counts 512-byte blocks on Linux' sh... and 1024-byte ones in bash: 512 KB or 1 MB, both under 4 MB.
        String command = "ulimit -f 1024 && exec " + String.join(" ", javaCommand("save", file.toString()).stream()
                .map(arg -> "'" + arg.replace("'", "'\\''") + "'").toList());
        Process child = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(output.contains(file + ": could not save (IOException: File too large); the file was not changed"),
                output);
        assertArrayEquals(new float[] {1, 1, 1}, SafeTensors.load(file).get("w").toArray());
        assertEquals(List.of(), temporaryFiles(file.getParent()));
    }
}
