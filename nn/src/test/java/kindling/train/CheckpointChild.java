package kindling.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kindling.data.DataLoader;
import kindling.data.TensorDataset;
import kindling.io.SafeTensors;
import kindling.nn.CrossEntropyLoss;
import kindling.nn.Linear;
import kindling.nn.ReLU;
import kindling.nn.Sequential;
import kindling.optim.SGD;
import kindling.tensor.Generator;
import kindling.tensor.Tensor;

/**
 * The program {@link CheckpointKillTest} runs in a child JVM (not a test itself).
 * <ul>
 *   <li>{@code train <dir>}: resumes from {@code dir}'s checkpoint if there is one, then trains with a
 *       checkpoint after every epoch until killed. An epoch is one tiny batch and the model has
 *       0.27 M parameters (a 2 MB checkpoint with the momentum buffers), so saves follow each other
 *       quickly.</li>
 *   <li>{@code save <file>}: saves 4 MB over {@code file} and prints the error message, if any (run
 *       under {@code ulimit -f} to make the write fail with "File too large").</li>
 * </ul>
 */
public final class CheckpointChild {
    private CheckpointChild() {
    }

    static Sequential model() {
        Generator.manualSeed(1);
        return new Sequential(new Linear(64, 4096), new ReLU(), new Linear(4096, 2));
    }

    static Trainer trainer(Sequential model, Path dir, int epochs) {
        SGD sgd = SGD.builder(model.parameters()).lr(0.01f).momentum(0.9f).build();
        return Trainer.builder(model, new CrossEntropyLoss(), sgd).epochs(epochs).checkpoints(dir)
                .output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false).build();
    }

    static DataLoader data() {
        Generator g = new Generator(2);
        return DataLoader.builder(new TensorDataset(Tensor.randn(g, 4, 64), Tensor.randint(g, 0, 2, 4)))
                .batchSize(4).build();
    }

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[1]);
        if (args[0].equals("train")) {
            Trainer trainer = trainer(model(), path, 1_000_000);
            trainer.resume();
            System.out.println("resumed");
            System.out.flush();
            trainer.fit(data(), null);
        } else {
            Files.createDirectories(path.getParent());
            SafeTensors.save(Map.of("w", Tensor.ones(3)), path);
            try {
                SafeTensors.save(Map.of("w", Tensor.ones(1 << 20)), path);
                System.out.println("saved");
            } catch (IOException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
